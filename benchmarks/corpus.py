"""Corpus import: a batch of story pairs from the development set, imported with `manage.py import_pairs` and
processed by real Celery workers, on a PostgreSQL cluster and a Redis server of the benchmark's own.

    python -m benchmarks.corpus [--stories 100] [--workers 2] [--database postgres|sqlite]

It writes the development set's stories as file pairs with a manifest, starts the workers (each warmed with one
small job, as a running site's are), runs the command and times the batch from the command's start until every
story's job has ended. It prints the stories and sentence pairs, the seconds, and the stories and sentences per
second. Everything runs in a throwaway folder on its own ports. Run it from the project root.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .data import load_stories
from .report import print_table
from .servers import ROOT, own_servers

TARGET = "target: 100 story pairs (about 2,000 sentence pairs) imported and processed by 2 workers in <= 60 s"


def write_manifest(folder: Path, count: int, start: int = 0) -> tuple[Path, int]:
    """``count`` development stories as file pairs and a manifest, from the ``start``-th on; the number of sentence
    pairs they hold."""
    stories = load_stories()[start:]
    rows, sentences = ["title\ten\tru\tpublished"], 0
    for k in range(count):
        story = stories[k % len(stories)]
        tag = f" ({k // len(stories) + 1})" if k >= len(stories) else ""
        en = "\n".join(s + tag for s in story.en)
        ru = "\n".join(s + tag for s in story.ru)
        (folder / f"s{k}.en.txt").write_text(en, encoding="utf-8")
        (folder / f"s{k}.ru.txt").write_text(ru, encoding="utf-8")
        rows.append(f"{story.name}{tag}\ts{k}.en.txt\ts{k}.ru.txt\t2026-11-{k % 28 + 1:02d}")
        sentences += len(story.gold)
    manifest = folder / "manifest.tsv"
    manifest.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return manifest, sentences


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.corpus", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stories", type=int, default=100)
    parser.add_argument("--workers", type=int, default=2, help="Celery worker processes")
    parser.add_argument("--database", choices=["postgres", "sqlite"], default="postgres")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from tests.faults.processes import Worker, app_env

    with tempfile.TemporaryDirectory(prefix="sverka-corpus-") as tmp:
        folder = Path(tmp)
        servers = own_servers(folder, args.database, redis=True)
        database_url, redis_url = servers.database_url, servers.redis_url
        try:
            env = app_env(folder, database_url, DEBUG="true", SVERKA_HTTPS="false", CELERY_BROKER_URL=redis_url,
                          SVERKA_QUEUE="sverka-corpus", LOG_LEVEL="WARNING")
            manage = [sys.executable, "manage.py"]
            subprocess.run(manage + ["migrate", "--no-input"], cwd=ROOT, env=env, check=True, capture_output=True)
            subprocess.run(manage + ["shell", "-c", "from django.contrib.auth import get_user_model; "
                                     "get_user_model().objects.create_user('corpus', password='corpus-pw-1')"],
                           cwd=ROOT, env=env, check=True, capture_output=True)
            workers = [Worker(folder, database_url, redis_url, "sverka-corpus", LOG_LEVEL="WARNING", DEBUG="true",
                              SVERKA_HTTPS="false") for _ in range(args.workers)]
            servers.stops += [w.stop for w in workers]
            servers.stops.append(lambda: __import__("django.db").db.connections.close_all())
            warm = folder / "warm"
            warm.mkdir()
            # The warm-up's stories are the set's last ones, so that none of the benchmark's is known already.
            warm_manifest, _ = write_manifest(warm, args.workers, start=len(load_stories()) - args.workers)
            run_import(manage, env, warm_manifest, "warm-up")
            wait_done(env, "warm-up", args.workers, timeout=300, workers=workers)
            manifest, sentences = write_manifest(folder, args.stories)
            start = time.perf_counter()
            summary = run_import(manage, env, manifest, "benchmark")
            ended = wait_done(env, "benchmark", summary["queued"], timeout=900, workers=workers)
            seconds = time.perf_counter() - start
        finally:
            servers.stop()
    load = os.getloadavg()[0]
    print_table(
        f"Corpus import: {args.stories} stories from a manifest, {args.workers} workers, {servers.database}, Redis "
        f"(load average {load:.1f} after)",
        ["stories", "sentence pairs", "queued", "done", "failed", "seconds", "stories/s", "sentence pairs/s"],
        [[args.stories, sentences, summary["queued"], ended["done"], ended["failed"], seconds,
          args.stories / seconds, sentences / seconds]],
        [TARGET + (": met" if seconds <= 60 and not ended["failed"] and ended["done"] == args.stories
                   else ": NOT met")],
    )


def run_import(manage: list[str], env: dict, manifest: Path, collection: str) -> dict:
    done = subprocess.run(manage + ["import_pairs", str(manifest), "--collection", collection], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"import_pairs failed:\n{done.stdout}\n{done.stderr}")
    return json.loads(done.stdout)


def wait_done(env: dict, collection: str, expected: int, timeout: float, workers=()) -> dict:
    """Poll the collection's progress, from this process on the same database, until every story's job has
    ended."""
    import django
    from django.apps import apps

    if not apps.ready:
        os.environ.update({k: env[k] for k in ("DATABASE_URL", "SVERKA_VAR_DIR", "DEBUG", "SVERKA_HTTPS",
                                                "CELERY_BROKER_URL", "SVERKA_QUEUE")})
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        django.setup()
    from django.db import close_old_connections

    from alignment.corpus.imports import collection_progress
    from alignment.models import Collection

    deadline = time.monotonic() + timeout
    while True:
        if workers and all(w.proc.poll() is not None for w in workers):
            raise SystemExit(f"every worker exited:\n{workers[0].tail()}")
        close_old_connections()
        progress = collection_progress(Collection.objects.get(name=collection)).as_json()
        if progress["done"] + progress["failed"] >= expected or time.monotonic() > deadline:
            return progress
        time.sleep(0.25)


if __name__ == "__main__":
    main()
