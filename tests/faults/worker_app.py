"""The Celery app with a fault planted on demand, for worker processes of the fault scenarios:
``celery -A tests.faults.worker_app worker``. The fault itself (SIGKILL, a stopped server, the time limit) is
real; the plant only holds the job still at the moment the scenario needs, so that it strikes there every time.

Environment (each fires once, the first time it is reached, and writes the pool process's id to its marker
file; a marker that exists already disables it, so the attempt after the fault runs normally):

- SVERKA_FAULT_HOLD_IN_SAVE=<marker>: hold the job once save_result has written every row, before it returns.
- SVERKA_FAULT_HOLD_IN_EMBED=<marker>: hold the job at the start of the embedding stage.
- SVERKA_FAULT_HOLD_SECONDS: how long a hold lasts (default 600: until the scenario strikes).
- SVERKA_FAULT_TRANSIENT_IN_EMBED=<marker>: at the start of the embedding stage, raise the OperationalError of a
  lost database connection, once; the marker holds the time it was raised (time.time()).

And, not a fault: SVERKA_FAULT_DELIVERIES=<file> appends a line "<task id> <retries>" for every task message the
worker starts, so a scenario can tell a retry that went through the broker.
"""

import os
import time
from pathlib import Path

from celery.signals import task_prerun, worker_process_init

from config.celery import app  # noqa: F401  (the app celery -A finds here)

HOLD_SECONDS = float(os.environ.get("SVERKA_FAULT_HOLD_SECONDS", "600"))


def _first_time(marker: Path, note: object) -> bool:
    """True the first time only: then the marker is written, with ``note``."""
    if marker.exists():
        return False
    marker.write_text(str(note))
    return True


def _hold(marker: Path) -> bool:
    """Hold here, the first time only. True if it held."""
    if not _first_time(marker, os.getpid()):
        return False
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

    if transient := os.environ.get("SVERKA_FAULT_TRANSIENT_IN_EMBED"):
        from django.db import OperationalError

        report_before = jobs.ProgressReporter.__call__

        def failing_report(self, stage, fraction):
            report_before(self, stage, fraction)
            if stage == "embed" and _first_time(Path(transient), time.time()):
                raise OperationalError("server closed the connection unexpectedly (planted by the fault scenario)")

        jobs.ProgressReporter.__call__ = failing_report


@task_prerun.connect
def note_delivery(task_id, task, **kwargs):
    if deliveries := os.environ.get("SVERKA_FAULT_DELIVERIES"):
        with open(deliveries, "a") as out:
            out.write(f"{task_id} {task.request.retries}\n")
