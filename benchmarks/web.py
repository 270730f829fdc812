"""Web application benchmarks: the alignment view's server time and query count by story size, the time a
correction and its undo take on real stories of those sizes, and the time from upload to results with a
real, warm worker on the embedded defaults (SQLite, no broker server).

    python -m benchmarks.web [--sizes 100,500,2000] [--repeats 20] [--stories 5]

Runs in a throwaway var folder, so it never touches your database. Run it from the project root:
pysbd ships a top-level package also named ``benchmarks``, and the current folder must come first.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .report import print_table

ROOT = Path(__file__).resolve().parent.parent


def setup_django(var_dir: Path) -> None:
    os.environ["SVERKA_VAR_DIR"] = str(var_dir)
    # Production mode: DEBUG would log every query and slow every page.
    os.environ["DEBUG"] = "false"
    os.environ["SECRET_KEY"] = "benchmark-only-secret-key-" + "x" * 40
    os.environ["SVERKA_HTTPS"] = "false"  # the test client asks over plain HTTP
    os.environ.setdefault("LOG_LEVEL", "WARNING")  # the tables, not every login and alignment
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    for name in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL"):
        os.environ.pop(name, None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def make_big_story(owner, pairs: int):
    """A processed-looking story of ``pairs`` 1-1 pairs, a tenth of them divergent, built row by row."""
    from alignment.models import Divergence, Document, Pair, Sentence, Story

    story = Story.objects.create(owner=owner, title=f"{pairs} pairs", stats={
        "en_sentences": pairs, "ru_sentences": pairs, "en_coverage": 0.98, "ru_coverage": 0.97,
        "mean_similarity": 0.71, "divergences": {"number": pairs // 10},
    })
    en_line, ru_line = "The minister said 25 people were hurt in Geneva.", "Министр сказал, что в Женеве пострадали 30 человек."
    en_doc = Document.objects.create(story=story, language="en", text="\n".join([en_line] * pairs))
    ru_doc = Document.objects.create(story=story, language="ru", text="\n".join([ru_line] * pairs))
    rows = Pair.objects.bulk_create(
        Pair(story=story, order=k, score=0.9, similarity=0.8, kinds="number" if k % 10 == 0 else "")
        for k in range(pairs)
    )
    sentences = []
    for k, pair in enumerate(rows):
        for doc, line in ((en_doc, en_line), (ru_doc, ru_line)):
            start = k * (len(line) + 1)
            sentences.append(Sentence(document=doc, pair=pair, language=doc.language, index=k, text=line,
                                      start=start, end=start + len(line)))
    Sentence.objects.bulk_create(sentences)
    Divergence.objects.bulk_create(
        Divergence(pair=pair, kind="number", severity=0.6, reason="Number differs: 25 in English, 30 in Russian",
                   en_spans=[[k * (len(en_line) + 1) + 18, k * (len(en_line) + 1) + 20]],
                   ru_spans=[[k * (len(ru_line) + 1) + 40, k * (len(ru_line) + 1) + 42]])
        for k, pair in enumerate(rows) if k % 10 == 0
    )
    from alignment.models import Job, JobStatus

    Job.objects.create(story=story, status=JobStatus.DONE, progress=1.0, stage="done")
    return story


def logged_in(username: str):
    """A new user, and a test client logged in as them."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    owner = get_user_model().objects.create_user(username, password=f"{username}-bench-password")
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(owner)
    return owner, client


def view_benchmark(sizes: list[int], repeats: int) -> None:
    from django.db import connection

    owner, client = logged_in("bench")
    rows = []
    for size in sizes:
        story = make_big_story(owner, size)
        url = story.get_absolute_url()
        queries = []
        with connection.execute_wrapper(lambda execute, sql, *rest: queries.append(sql) or execute(sql, *rest)):
            client.get(url)  # also warms the template cache
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - start)
            if response.status_code != 200:
                raise RuntimeError(f"{url} answered {response.status_code}")
        fragment_times = []
        for _ in range(repeats):
            start = time.perf_counter()
            client.get(url, {"filter": "divergent"}, HTTP_HX_REQUEST="true")
            fragment_times.append(time.perf_counter() - start)
        rows.append([size, len(queries), statistics.median(times) * 1000, max(times) * 1000,
                     statistics.median(fragment_times) * 1000, size != 500 or statistics.median(times) <= 0.150])
    print_table(
        f"Alignment view, server time (Django test client in process, SQLite, median of {repeats})",
        ["pairs", "SQL queries", "page ms (median)", "page ms (max)", "filtered fragment ms", "target met"],
        rows,
        ["target: a 500-pair story in <= 150 ms, with a query count that does not grow with the pairs"],
    )


def make_aligned_story(owner, sentences: int):
    """A story of development sentences (stories joined until ``sentences``), aligned and saved as a job would."""
    from alignment import jobs
    from alignment.models import Document, Job, JobStatus, Story
    from alignment.pipeline import AlignConfig, align_texts

    from .data import load_stories, long_story

    source = long_story(load_stories(), sentences)
    en, ru = "\n".join(source.en), "\n".join(source.ru)
    story = Story.objects.create(owner=owner, title=f"{len(source.en)} sentences")
    docs = {lang: Document.objects.create(story=story, language=lang, text=text) for lang, text in (("en", en), ("ru", ru))}
    result = align_texts(en, ru, AlignConfig(presegmented=True, embedder="use-m3"))
    jobs.save_result(story, docs, result)
    Job.objects.create(story=story, status=JobStatus.DONE, progress=1.0, stage="done")
    return story


def correction_benchmark(sizes: list[int], repeats: int) -> None:
    """A merge of two pairs in the middle of the story, and its undo, through the views as htmx asks for them."""
    from django.urls import reverse
    from threadpoolctl import threadpool_limits

    owner, client = logged_in("corrector")
    rows = []
    for size in sizes:
        with threadpool_limits(1):
            story = make_aligned_story(owner, size)
        correct, undo = (reverse(name, args=[story.code]) for name in ("story_correct", "story_undo"))
        pairs = story.pairs.count()
        merges, undos = [], []
        for _ in range(repeats):
            pair = story.pairs.get(order=pairs // 2)
            start = time.perf_counter()
            response = client.post(correct, {"op": "merge", "pair": pair.pk}, HTTP_HX_REQUEST="true")
            merges.append(time.perf_counter() - start)
            if response.status_code != 200:
                raise RuntimeError(f"merge answered {response.status_code}: {response.content[:300]!r}")
            start = time.perf_counter()
            response = client.post(undo, {}, HTTP_HX_REQUEST="true")
            undos.append(time.perf_counter() - start)
            if response.status_code != 200:
                raise RuntimeError(f"undo answered {response.status_code}: {response.content[:300]!r}")
        rows.append([pairs, merges[0] * 1000, statistics.median(merges) * 1000, statistics.median(undos) * 1000])
    print_table(
        f"A correction and its undo, server time (Django test client in process, SQLite; {repeats} of each)",
        ["pairs", "first merge ms", "merge ms (median)", "undo ms (median)"],
        rows,
        ["real development stories joined, aligned and saved as the worker does; the merge re-finds the",
         "divergences with the whole story's measure, and the response is the table again"],
    )


def worker_benchmark(var_dir: Path, stories: int) -> None:
    from django.contrib.auth import get_user_model

    from alignment.models import Job, JobStatus
    from alignment.stories import SideInput, create_story
    from .data import DEV_SET

    env = {**os.environ, "SVERKA_VAR_DIR": str(var_dir), "PYTHONPATH": str(ROOT)}
    log = var_dir / "worker.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config.celery", "worker", "--concurrency", "1",
             "--loglevel", "WARNING", "--without-gossip", "--without-mingle"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )
    try:
        owner = get_user_model().objects.create_user("uploader", password="bench-password-2")
        # A 30-sentence development story, as prose paragraphs.
        folder = DEV_SET / "scotsman.133744"
        en, ru = ("\n\n".join((folder / f"{lang}.txt").read_text(encoding="utf-8").splitlines()) for lang in ("en", "ru"))
        rows = []
        for k in range(stories + 1):
            start = time.perf_counter()
            story = create_story(owner, f"Run {k}", SideInput(en), SideInput(ru))
            job = story.jobs.get()
            while job.status not in (JobStatus.DONE, JobStatus.FAILED):
                if proc.poll() is not None or time.perf_counter() - start > 300:
                    raise RuntimeError(f"worker stopped or timed out; log:\n{log.read_text()[-3000:]}")
                time.sleep(0.05)
                job = Job.objects.get(pk=job.pk)
            total = time.perf_counter() - start
            queued = (job.started - job.created).total_seconds()
            worked = (job.finished - job.started).total_seconds()
            sentences = story.documents.get(language="en").sentences.count()
            rows.append(["cold (model load)" if k == 0 else f"warm #{k}", sentences, queued, worked, total,
                         k == 0 or total <= 3.0])
        print_table(
            "Upload to results, real worker on the embedded defaults (SQLite + SQLite broker, 1 process)",
            ["run", "EN sentences", "waited in queue s", "processing s", "upload to done s", "target met"],
            rows, ["target: <= 3 s from upload to results for a ~30-sentence story once the worker is warm;",
                   "the broker is polled, so the queue wait includes the transport's polling interval"],
        )
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.web", description=__doc__)
    parser.add_argument("--sizes", default="100,500,2000", help="story sizes in pairs, comma-separated")
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--stories", type=int, default=5, help="warm uploads to time after the first")
    parser.add_argument("--skip-worker", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="sverka-bench-") as tmp:
        setup_django(Path(tmp))
        view_benchmark([int(s) for s in args.sizes.split(",")], args.repeats)
        correction_benchmark([int(s) for s in args.sizes.split(",")], min(args.repeats, 5))
        if not args.skip_worker:
            worker_benchmark(Path(tmp), args.stories)


if __name__ == "__main__":
    main()
