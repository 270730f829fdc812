"""A collection's report at size: the server time of its page and of its API answer, and their SQL queries, for
collections of growing size (issue 16's target: 1,000 stories in at most 300 ms, with a number of queries that
does not grow with the collection).

    python -m benchmarks.collection_report [--sizes 100,1000] [--pairs 20] [--repeats 10] [--database postgres|sqlite]

Runs on a throwaway PostgreSQL cluster (or SQLite, if PostgreSQL cannot start) in a temporary folder, so it never
touches your database. The stories are built row by row, as processed stories look, without the pipeline. Run it
from the project root: pysbd ships a top-level package also named ``benchmarks``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from .report import print_table
from .servers import OwnServers, own_servers

EN = "The minister said 25 people were hurt in Geneva, Peskov added."
RU = "Министр сказал, что в Женеве пострадали 30 человек."


def setup(folder: Path, database: str) -> OwnServers:
    """Django on a fresh database in ``folder``: the servers to stop afterwards, and the database used."""
    servers = own_servers(folder, database)
    os.environ.update({
        "DATABASE_URL": servers.database_url, "SVERKA_VAR_DIR": str(folder), "DEBUG": "false", "SVERKA_HTTPS": "false",
        "SECRET_KEY": "benchmark-only-secret-key-" + "x" * 40, "LOG_LEVEL": "WARNING",
    })
    for name in ("REDIS_URL", "CELERY_BROKER_URL"):
        os.environ.pop(name, None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return servers


def _span(text: str, word: str, offset: int = 0) -> list[int]:
    return [offset + text.index(word), offset + text.index(word) + len(word)]


def add_stories(collection, count: int, pairs: int, first: int) -> None:
    """``count`` processed-looking stories of ``pairs`` pairs each: all two-sided but one English-only (only_en)
    and one Russian-only (boilerplate); a number divergence in the first pair, a name in the second, some ruled."""
    from alignment.models import Divergence, Document, Job, JobStatus, Pair, Sentence, Story, Verdict

    owner = collection.owner
    stories = Story.objects.bulk_create(
        Story(owner=owner, title=f"Story {first + i}", published=date(2025, 1, 1) + timedelta(days=(first + i) % 365),
              stats={"en_coverage": 0.9 + (i % 10) / 100, "ru_coverage": 0.85 + (i % 15) / 100})
        for i in range(count)
    )
    Job.objects.bulk_create(Job(story=s, status=JobStatus.DONE) for s in stories)
    docs = Document.objects.bulk_create(
        Document(story=s, language=lang, text=" ".join([line] * pairs)) for s in stories for lang, line in
        (("en", EN), ("ru", RU))
    )
    rows = Pair.objects.bulk_create(Pair(story=s, order=k) for s in stories for k in range(pairs))
    sentences, divergences = [], []
    for n, story in enumerate(stories):
        en_doc, ru_doc = docs[2 * n], docs[2 * n + 1]
        for k in range(pairs):
            pair = rows[n * pairs + k]
            if k != pairs - 1:  # the last pair is Russian only
                sentences.append(Sentence(document=en_doc, pair=pair, language="en", index=k, text=EN,
                                          start=k * (len(EN) + 1), end=k * (len(EN) + 1) + len(EN)))
            if k != pairs - 2:  # the one before it English only
                sentences.append(Sentence(document=ru_doc, pair=pair, language="ru", index=k, text=RU,
                                          start=k * (len(RU) + 1), end=k * (len(RU) + 1) + len(RU)))
        divergences += [
            Divergence(pair=rows[n * pairs], kind="number", severity=0.6, reason="Number differs",
                       en_spans=[_span(EN, "25")], ru_spans=[_span(RU, "30")],
                       verdict=Verdict.CONFIRMED if n % 3 == 0 else Verdict.PENDING),
            Divergence(pair=rows[n * pairs + 1], kind="name", severity=0.5, reason="Name only in English",
                       en_spans=[_span(EN, "Peskov", offset=len(EN) + 1)],
                       verdict=Verdict.DISMISSED if n % 4 == 0 else Verdict.PENDING),
            Divergence(pair=rows[n * pairs + pairs - 2], kind="only_en", severity=0.7, reason="Only in English"),
            Divergence(pair=rows[n * pairs + pairs - 1], kind="boilerplate", severity=0.1, reason="Boilerplate"),
        ]
    Sentence.objects.bulk_create(sentences, batch_size=5000)
    Divergence.objects.bulk_create(divergences, batch_size=5000)
    collection.stories.add(*stories)


def measure(client, url: str, repeats: int) -> tuple[float, float, float, int]:
    """In ms: the median and worst time of an answer made afresh (the report's cache emptied first), the median of
    one from the cache; and the queries of an answer made afresh. After one warm-up."""
    from django.core.cache import caches
    from django.db import connection

    def timed() -> float:
        start = time.perf_counter()
        assert client.get(url).status_code == 200
        return (time.perf_counter() - start) * 1000

    caches["pages"].clear()
    queries = []
    with connection.execute_wrapper(lambda execute, sql, *rest: queries.append(sql) or execute(sql, *rest)):
        timed()
    fresh, kept = [], []
    for _ in range(repeats):
        caches["pages"].clear()
        fresh.append(timed())
        kept.append(timed())
    return statistics.median(fresh), max(fresh), statistics.median(kept), len(queries)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.collection_report", description=__doc__)
    parser.add_argument("--sizes", default="100,1000", help="collection sizes, in stories, comma-separated")
    parser.add_argument("--pairs", type=int, default=20, help="pairs per story")
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--database", choices=["postgres", "sqlite"], default="postgres")
    args = parser.parse_args(argv)
    sizes = sorted(int(s) for s in args.sizes.split(","))
    folder = Path(tempfile.mkdtemp(prefix="sverka-report-bench-"))
    servers = setup(folder, args.database)
    try:
        from django.contrib.auth import get_user_model
        from django.test import Client

        from alignment.models import Collection

        owner = get_user_model().objects.create_user("reader", password="bench-password-1")
        collection = Collection.objects.create(owner=owner, name="Benchmark")
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(owner)
        rows, built = [], 0
        for size in sizes:
            add_stories(collection, size - built, args.pairs, built)
            built = size
            page = measure(client, f"/collections/{collection.code}/report/", args.repeats)
            api = measure(client, f"/api/collections/{collection.pk}/report/", args.repeats)
            rows.append([size, size * args.pairs, *(f"{ms:.0f}" for ms in page[:3]), page[3],
                         *(f"{ms:.0f}" for ms in api[:3]), api[3]])
        print_table(
            f"Collection report on {servers.database}, {args.pairs} pairs a story, {args.repeats} repeats",
            ["stories", "pairs", "page ms", "page ms (worst)", "page ms (kept)", "page queries",
             "API ms", "API ms (worst)", "API ms (kept)", "API queries"],
            rows,
            notes=["Target: a 1,000-story collection in at most 300 ms, its queries not growing with it. ms: made "
                   "afresh, median of the repeats; kept: from the cache, while nothing in the collection changes. "
                   "The queries (made afresh) include the session's, the user's and the cache key's."],
        )
    finally:
        servers.stop()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
