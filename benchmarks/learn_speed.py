"""How long a collection takes to learn its furniture (alignment.corpus.furniture.learn), over a collection of many
stories made of the development stories' real sentences, each with a few lines of outlet furniture.

    python -m benchmarks.learn_speed [--stories 1000] [--repeats 5] [--database postgres://postgres@127.0.0.1:5432]
    python -m benchmarks.learn_speed --database sqlite

Builds the collection as finished jobs would have saved it, in a throwaway database (``sverka_learn`` on the
PostgreSQL server, dropped at the end, or a temporary SQLite file). Every development story is used once per round,
its sentences tagged with the round's number after the first, so that no news sentence recurs across stories; each
story carries 3 to 5 of the outlet's fixed lines and a "Read more" line with another story's headline. ``learn`` runs
once on the empty furniture list (it creates every entry) and then ``--repeats`` times again (it finds them all
known). Run it from the project root, as benchmarks.search.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from pathlib import Path

from .report import print_table
from .search import dev_stories, drop, setup_django

SCRATCH = "sverka_learn"
FIXED = {
    "en": ("Get our morning newsletter.", "Support independent reporting: donate today.", "Photo: Reuters",
           "Follow us on Telegram.", "This story was updated."),
    "ru": ("Подпишитесь на нашу утреннюю рассылку.", "Поддержите независимую журналистику.", "Фото: Reuters",
           "Подписывайтесь на наш Telegram.", "Материал обновлен."),
}


def build_collection(count: int):
    """``count`` stories in one collection, their sentences saved with their keys as jobs save them."""
    from django.contrib.auth import get_user_model

    from alignment.models import Collection, Document, Sentence, Story
    from alignment.pipeline.recurring import furniture_key

    owner = get_user_model().objects.create_user("bench", password="bench-password-123")
    collection = Collection.objects.create(owner=owner, name="Benchmark")
    sources = dev_stories()
    rng = random.Random(13)
    stories = Story.objects.bulk_create(Story(owner=owner, title=f"Story {k}") for k in range(count))
    docs = Document.objects.bulk_create(
        Document(story=story, language=lang, text="") for story in stories for lang in ("en", "ru"))

    def lines(k: int, side: int) -> list[str]:
        tag = f" ({k // len(sources) + 1})" if k >= len(sources) else ""
        return [line + tag for line in sources[k % len(sources)][side]]

    sentences = []
    for k, story in enumerate(stories):
        for side, lang in enumerate(("en", "ru")):
            fixed = rng.sample(FIXED[lang], rng.randint(3, 5))
            # The next story's headline: every "Read more" line occurs once.
            more = ("Read more: " if lang == "en" else "Читайте также: ") + lines(k + 1, side)[0]
            for n, text in enumerate(fixed[:1] + lines(k, side) + [more] + fixed[1:]):
                sentences.append(Sentence(document=docs[2 * k + side], language=lang, index=n, text=text, start=0,
                                          end=len(text), key=furniture_key(text)))
    Sentence.objects.bulk_create(sentences, batch_size=5000)
    collection.stories.add(*stories)
    return collection, len(sentences)


def measure(stories: int, repeats: int) -> None:
    from django.db import connection

    from alignment.corpus.furniture import learn

    started = time.perf_counter()
    collection, sentences = build_collection(stories)
    built = time.perf_counter() - started
    queries: list[str] = []
    start = time.perf_counter()
    with connection.execute_wrapper(lambda execute, sql, *rest: queries.append(sql) or execute(sql, *rest)):
        learned = learn(collection)
    first = time.perf_counter() - start
    again = []
    for _ in range(repeats):
        start = time.perf_counter()
        learn(collection)
        again.append(time.perf_counter() - start)
    print_table(
        f"learn over {stories} stories ({sentences} sentences, built in {built:.0f} s) on {connection.vendor}",
        ["stories", "sentences", "lines learned", "SQL queries (first)", "first learn s", "again s (median)",
         "again s (max)"],
        [[stories, sentences, learned, len(queries), first, statistics.median(again), max(again)]],
        [f"first: on an empty furniture list; again: {repeats} runs with every entry known; load average "
         f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--database", default="postgres://postgres@127.0.0.1:5432",
                        help=f'a PostgreSQL server\'s URL (the scratch database {SCRATCH} is made on it), or "sqlite"')
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as var_dir:
        scratch = setup_django(args.database, Path(var_dir), SCRATCH)
        try:
            measure(args.stories, args.repeats)
        finally:
            if scratch:
                drop(args.database, scratch)


if __name__ == "__main__":
    main()
