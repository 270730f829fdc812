"""Reliability: the faults tried and survived, the hostile inputs tried and refused, and the load figures.

    python -m benchmarks.reliability [--skip-load] [--only NAME-PART]

The faults are the scenarios of tests/faults (tests/faults/scenarios.py), run the same way with the same
checks: real Redis, PostgreSQL, Celery and gunicorn processes, each on its own port. The hostile inputs are
posted to the upload form; each must be refused, leaving no story behind. The load figures come from
benchmarks/load.py, run in its own process. Everything runs in a throwaway folder. Run it from the project root.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .report import print_table

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Hostile:
    """One hostile upload: the form's fields, and files by field name as (file name, bytes)."""

    name: str
    data: dict[str, str]
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)


_RU = "Переговоры в Женеве провалились в понедельник, сообщил министр."
_EN = "The talks in Geneva failed on Monday, the minister said."

# The hook: extend this list (name, form fields, files); each entry must be refused by the upload form.
HOSTILE_INPUTS: list[Hostile] = [
    Hostile("both sides empty", {"title": "Empty", "en_text": "", "ru_text": ""}),
    Hostile("only whitespace", {"title": "Blank", "en_text": " \n\t\n ", "ru_text": "\u3000\n"}),
    Hostile("binary file as English (PNG)", {"title": "Binary", "ru_text": _RU},
            {"en_file": ("en.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)}),
    Hostile("NUL bytes in the text", {"title": "NUL", "en_text": "The talks\x00 failed.\x00" * 20, "ru_text": _RU}),
    Hostile("file over the size limit", {"title": "Huge", "ru_text": _RU},
            {"en_file": ("en.txt", (_EN + "\n").encode() * (3 * 2**20 // len(_EN)))}),
    Hostile("both sides in English", {"title": "Same language", "en_text": _EN, "ru_text": _EN}),
    Hostile("no title", {"title": "", "en_text": _EN, "ru_text": _RU}),
    Hostile("a title over 300 characters", {"title": "T" * 301, "en_text": _EN, "ru_text": _RU}),
    Hostile("a .docx zip bomb", {"title": "Bomb", "ru_text": _RU}, {"en_file": ("story.docx", b"")}),
    Hostile("deeply nested HTML", {"title": "Nested", "ru_text": _RU},
            {"en_file": ("story.html", (b"<div>" * 200_000) + _EN.encode() + (b"</div>" * 200_000))}),
    Hostile("a file name that climbs out (../../etc/passwd)", {"title": "Traversal", "ru_text": _RU},
            {"en_file": ("../../etc/passwd", b"root:x:0:0:root:/root:/bin/bash\n")}),
    Hostile("a ZIP named .txt", {"title": "Mismatch", "ru_text": _RU},
            {"en_file": ("story.txt", b"PK\x03\x04" + bytes(200))}),
    Hostile("a text file named .docx", {"title": "Not a docx", "ru_text": _RU},
            {"en_file": ("story.docx", (_EN + "\n").encode() * 5)}),
    Hostile("javascript: as the source URL", {"title": "Link", "en_text": _EN, "ru_text": _RU,
                                                "en_url": "javascript:alert(1)"}),
]


def _zip_bomb() -> bytes:
    """A .docx whose one part inflates from a few kilobytes to 200 MB of zeros."""
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as docx:
        docx.writestr("[Content_Types].xml", "<Types/>")
        with docx.open("word/document.xml", "w") as part:
            block = bytes(2**20)
            for _ in range(200):
                part.write(block)
    return out.getvalue()


HOSTILE_INPUTS[-6] = Hostile("a .docx zip bomb", {"title": "Bomb", "ru_text": _RU},
                             {"en_file": ("story.docx", _zip_bomb())})


def setup_django(folder: Path) -> str:
    """This process on a SQLite database in ``folder`` (the worker processes share it). Its DATABASE_URL."""
    os.environ["SVERKA_VAR_DIR"] = str(folder)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # A developer's settings, as the tests' (tests/environment.py): the development key is refused otherwise.
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("SVERKA_HTTPS", "false")
    for name in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL"):
        os.environ.pop(name, None)
    os.environ["SVERKA_TRANSLATE"] = "0"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return f"sqlite:///{folder / 'sverka.sqlite3'}"


def faults(folder: Path, database_url: str, only: str) -> None:
    from django.contrib.auth import get_user_model

    from tests.faults import scenarios
    from tests.faults.processes import Unavailable

    owner = get_user_model().objects.create_user("ops", password="reliability-password-1")
    rows, failures = [], []
    for k, (fault, scenario) in enumerate(scenarios.SCENARIOS + long_story_scenarios()):
        if only not in fault:
            continue
        site = scenarios.Site(folder / f"fault-{k}", database_url, owner)
        site.folder.mkdir()
        try:
            outcome = scenarios.run(scenario, site, fault)
        except Unavailable as exc:
            rows.append([fault, None, "-", f"not tried: {exc}", None])
            continue
        passed = sum(ok for _, ok in outcome.checks)
        rows.append([fault, outcome.survived, f"{passed}/{len(outcome.checks)}", outcome.note, outcome.seconds])
        if not outcome.survived:
            failures.append(outcome.report())
    print_table("Faults caused for real (the scenarios of tests/faults)",
                ["fault", "survived", "checks", "recovery", "seconds"], rows)
    for report in failures:
        print(f"\n{report}")


def long_story_scenarios() -> list:
    """The lost-worker scenario on the defaults, on a 2,000-sentence story of the development set: the job is
    taken back, run again from the start and saved, and the recovery figure is what a user of a long story sees."""
    from tests.faults import scenarios

    from .data import load_stories, long_story

    doc = long_story(load_stories(), 2000)
    texts = (doc.en_text, doc.ru_text)
    return [
        (f"whole worker SIGKILLed mid-job, new worker on defaults ({broker}, {len(doc.en)}-sentence story)",
         lambda site, outcome, broker=broker: scenarios.worker_lost_on_defaults(site, outcome, broker, texts))
        for broker in ("embedded", "redis")
    ]


def hostile_inputs() -> None:
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    from alignment.models import Story

    user = get_user_model().objects.create_user("hostile", password="reliability-password-2")
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    rows = []
    for sample in HOSTILE_INPUTS:
        before = Story.objects.count()
        files = {name: SimpleUploadedFile(file_name, content) for name, (file_name, content) in sample.files.items()}
        response = client.post("/stories/new/", {**sample.data, **files})
        refused = response.status_code != 302 and Story.objects.count() == before
        rows.append([sample.name, response.status_code, refused])
    print_table("Hostile inputs posted to the upload form (HOSTILE_INPUTS in benchmarks/reliability.py)",
                ["input", "HTTP status", "refused"], rows,
                ["refused: the form answered with its errors (not a redirect to a new story) and saved nothing"])


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.reliability", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--skip-load", action="store_true", help="leave out benchmarks/load.py")
    parser.add_argument("--only", default="", help="only the faults whose name contains this")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="sverka-reliability-") as tmp:
        folder = Path(tmp)
        database_url = setup_django(folder)
        faults(folder, database_url, args.only)
        hostile_inputs()
    if not args.skip_load:
        subprocess.run([sys.executable, "-m", "benchmarks.load"], cwd=ROOT, check=False)


if __name__ == "__main__":
    main()
