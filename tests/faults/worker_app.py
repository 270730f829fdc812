"""The Celery app with a fault planted on demand, for worker processes of the fault scenarios:
``celery -A tests.faults.worker_app worker``. The fault itself (SIGKILL, a stopped server, the time limit) is
real; the plant only holds the job still at the moment the scenario needs, so that it strikes there every time.

Environment (each fires once, the first time it is reached, and writes the pool process's id to its marker
file; a marker that exists already disables it, so the attempt after the fault runs normally):

- SVERKA_FAULT_HOLD_IN_SAVE=<marker>: hold the job once save_result has written every row, before it returns.
- SVERKA_FAULT_HOLD_IN_EMBED=<marker>: hold the job at the start of the embedding stage.
- SVERKA_FAULT_HOLD_SECONDS: how long a hold lasts (default 600: until the scenario strikes).
"""

import os
import time
from pathlib import Path

from celery.signals import worker_process_init

from config.celery import app  # noqa: F401  (the app celery -A finds here)

HOLD_SECONDS = float(os.environ.get("SVERKA_FAULT_HOLD_SECONDS", "600"))


def _hold(marker: Path) -> bool:
    """Hold here, the first time only. True if it held."""
    if marker.exists():
        return False
    marker.write_text(str(os.getpid()))
    time.sleep(HOLD_SECONDS)
    return True


@worker_process_init.connect
def plant_faults(**kwargs):
    # In each pool process, once Django is set up (alignment.jobs imports the models).
    from alignment import jobs
    from alignment.models import Story

    if in_save := os.environ.get("SVERKA_FAULT_HOLD_IN_SAVE"):
        save = Story.save

        def held_save(story, *args, **kw):
            save(story, *args, **kw)
            # The last write of jobs.save_result: every row is written, and its transaction still open.
            if "stats" in (kw.get("update_fields") or ()):
                _hold(Path(in_save))

        Story.save = held_save

    if in_embed := os.environ.get("SVERKA_FAULT_HOLD_IN_EMBED"):
        report = jobs.ProgressReporter.__call__

        def held_report(self, stage, fraction):
            report(self, stage, fraction)
            if stage == "embed":
                _hold(Path(in_embed))

        jobs.ProgressReporter.__call__ = held_report
