"""Search benchmark: a collection's search (alignment.corpus.search) and its page, over a collection of many stories
made of the development stories' real sentences, on PostgreSQL (its full-text search) or SQLite (the fallback).

    python -m benchmarks.search [--stories 1000] [--repeats 10] [--database postgres://postgres@127.0.0.1:5432]
    python -m benchmarks.search --database sqlite

Builds the collection row by row, as a finished job would have saved it, in a throwaway database (a new
PostgreSQL database dropped at the end, or a temporary SQLite file), so it never touches yours. Run it from the
project root: pysbd ships a top-level package also named ``benchmarks``, and the current folder must come first.
Target (issue 16): a search over a 1,000-story collection answers in <= 200 ms on PostgreSQL.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

from .report import print_table

DEV_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "ntrex128_en-ru"
# (query, language): a common word, a rare one, a Russian word in a case form the texts may not hold, a phrase,
# two words, and a word searched in one language only.
QUERIES = [
    ("government", None), ("earthquake", None), ("президенту", None), ('"prime minister"', None),
    ("police said", None), ("Москва", "ru"), ("people", "en"),
]


def setup_django(database: str, var_dir: Path, name: str = "") -> str:
    """Settings on a throwaway database (on PostgreSQL, ``name`` or a new name); returns the PostgreSQL database to
    drop afterwards ("" for SQLite)."""
    os.environ["SVERKA_VAR_DIR"] = str(var_dir)
    os.environ["DEBUG"] = "false"  # DEBUG would keep every query
    os.environ["SECRET_KEY"] = "benchmark-only-secret-key-" + "x" * 40
    os.environ["SVERKA_HTTPS"] = "false"  # the test client asks over plain HTTP
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    for name in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL"):
        os.environ.pop(name, None)
    scratch = ""
    if database != "sqlite":
        import psycopg

        scratch = name or f"sverka_search_bench_{uuid.uuid4().hex[:8]}"
        server = urlsplit(database)
        with psycopg.connect(server._replace(path="/postgres").geturl(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{scratch}"')  # left by a run that was killed
            conn.execute(f'CREATE DATABASE "{scratch}"')
        os.environ["DATABASE_URL"] = server._replace(path=f"/{scratch}").geturl()
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return scratch


def drop(database: str, scratch: str) -> None:
    from django.db import connections

    connections.close_all()
    import psycopg

    with psycopg.connect(urlsplit(database)._replace(path="/postgres").geturl(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{scratch}"')


def dev_stories() -> list[tuple[list[str], list[str]]]:
    """Each development story's English and Russian lines."""
    folders = sorted(p for p in DEV_DATA.iterdir() if (p / "en.txt").exists())
    if not folders:
        raise SystemExit(f"No development stories in {DEV_DATA}")
    return [tuple((f / f"{lang}.txt").read_text(encoding="utf-8").splitlines() for lang in ("en", "ru"))
            for f in folders]


def build_collection(count: int):
    """``count`` stories in one collection, each a development story saved as 1-1 pairs (the shorter side's
    length; the rest unpaired), a tenth of the pairs with a divergence. Returns the collection."""
    from django.contrib.auth import get_user_model

    from alignment.models import Collection, Divergence, Document, Job, JobStatus, Pair, Sentence, Story

    owner = get_user_model().objects.create_user("bench", password="bench-password-123")
    collection = Collection.objects.create(owner=owner, name="Benchmark")
    sources = dev_stories()
    for k in range(count):
        en_lines, ru_lines = sources[k % len(sources)]
        story = Story.objects.create(owner=owner, title=f"Story {k}")
        docs = {lang: Document.objects.create(story=story, language=lang, text="\n".join(lines))
                for lang, lines in (("en", en_lines), ("ru", ru_lines))}
        pairs = Pair.objects.bulk_create(
            Pair(story=story, order=n, score=0.9, similarity=0.8) for n in range(max(len(en_lines), len(ru_lines)))
        )
        sentences = []
        for lang, lines in (("en", en_lines), ("ru", ru_lines)):
            start = 0
            for n, line in enumerate(lines):
                sentences.append(Sentence(document=docs[lang], pair=pairs[n], language=lang, index=n, text=line,
                                          start=start, end=start + len(line)))
                start += len(line) + 1
        Sentence.objects.bulk_create(sentences)
        Divergence.objects.bulk_create(
            Divergence(pair=pair, kind="name", severity=0.5, reason="A name without a counterpart")
            for n, pair in enumerate(pairs) if n % 10 == 3
        )
        Job.objects.create(story=story, status=JobStatus.DONE, progress=1.0, stage="done")
        collection.stories.add(story)
    return collection


def run(stories: int, repeats: int, database: str) -> None:
    with tempfile.TemporaryDirectory() as var_dir:
        scratch = setup_django(database, Path(var_dir))
        try:
            measure(stories, repeats)
        finally:
            if scratch:
                drop(database, scratch)


def measure(stories: int, repeats: int) -> None:
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from alignment.corpus.search import search
    from alignment.models import Sentence

    started = time.perf_counter()
    collection = build_collection(stories)
    built = time.perf_counter() - started
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(collection.owner)
    url = reverse("collection_search", args=[collection.code])
    counts = stories >= 1000 and connection.vendor == "postgresql"  # what the target is set for
    rows = []
    for query, language in QUERIES:
        queries: list[str] = []
        with connection.execute_wrapper(lambda execute, sql, *rest: queries.append(sql) or execute(sql, *rest)):
            page = search(collection.stories.all(), query, language)
        times, page_times = [], []
        for _ in range(repeats):
            start = time.perf_counter()
            search(collection.stories.all(), query, language)
            times.append(time.perf_counter() - start)
            start = time.perf_counter()
            response = client.get(url, {"q": query, "lang": language or ""}, HTTP_HX_REQUEST="true")
            page_times.append(time.perf_counter() - start)
            if response.status_code != 200:
                raise RuntimeError(f"{url} answered {response.status_code}")
        median = statistics.median(times)
        rows.append([query, language or "both", page.total, len(queries), median * 1000, max(times) * 1000,
                     statistics.median(page_times) * 1000, median <= 0.200 if counts else None])
    sentences = Sentence.objects.filter(document__story__collections=collection).count()
    notes = ["target: <= 200 ms for the search on PostgreSQL over 1,000 stories; the fragment adds rendering 20 hits"]
    if connection.vendor == "postgresql":
        notes.append(f"full-text indexes on the sentences: {', '.join(search_indexes()) or 'none'}")
    print_table(
        f"Search over {stories} stories ({sentences} sentences, built in {built:.0f} s) on {connection.vendor}, "
        f"median of {repeats}",
        ["query", "language", "pairs found", "SQL queries", "search ms (median)", "search ms (max)",
         "fragment ms (median)", "target met"],
        rows,
        notes,
    )


def search_indexes() -> list[str]:
    """The indexes PostgreSQL has on the sentences' to_tsvector: without them every search reads every sentence."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'alignment_sentence' "
                       "AND indexdef LIKE '%%to_tsvector%%' ORDER BY indexname")
        return [name for (name,) in cursor.fetchall()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--database", default=os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432",
                        help='a PostgreSQL server\'s URL (a scratch database is made on it), or "sqlite"')
    args = parser.parse_args()
    run(args.stories, args.repeats, args.database)


if __name__ == "__main__":
    main()
