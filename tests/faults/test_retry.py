"""A transient error (the database connection lost mid-job) is retried through the broker, not in the process: a
real worker raises it once, Celery sends the task back to the broker with its countdown, the broker delivers it
again, and the job ends done on its second attempt. tests/test_tasks.py checks the same rule through .apply()."""

from pathlib import Path

import pytest

from tests.faults import scenarios
from tests.faults.processes import OwnRedis, Worker
from tests.worker_process import embedded_broker

pytestmark = pytest.mark.faults

BACKOFF = 2  # seconds before the first retry (SVERKA_RETRY_BACKOFF, doubled on each further retry)


def retried_through(broker: str, site: scenarios.Site, outcome: scenarios.Outcome) -> None:
    from alignment.models import JobStatus

    queue, marker, deliveries = scenarios.new_queue(), site.folder / "transient-in-embed", site.folder / "deliveries"
    with scenarios.sending_to(broker, queue):
        worker = Worker(site.folder, site.database_url, broker, queue, app=scenarios.FAULT_APP,
                        SVERKA_FAULT_TRANSIENT_IN_EMBED=marker, SVERKA_FAULT_DELIVERIES=deliveries,
                        SVERKA_RETRY_BACKOFF=BACKOFF)
        outcome.logs.append(worker.log)
        try:
            story = scenarios.upload(site, "Retried through the broker")
            job = scenarios.wait_for_job(story.jobs.get().pk, {JobStatus.DONE, JobStatus.FAILED}, worker=worker)
            raised_at = float(marker.read_text()) if marker.exists() else None
            outcome.check("the first attempt hit the planted OperationalError", raised_at is not None)
            delivered = [line.split() for line in deliveries.read_text().splitlines()]
            outcome.note = f"delivered {len(delivered)} times"
            outcome.check("the broker delivered the task twice, the second time as its first retry",
                          len(delivered) == 2 and delivered[0][0] == delivered[1][0]
                          and [retries for _, retries in delivered] == ["0", "1"])
            outcome.check(f"the retry started no sooner than its countdown ({BACKOFF} s) after the error",
                          raised_at is not None and job.started.timestamp() >= raised_at + BACKOFF)
            outcome.check("the job ended done, on its second attempt", job.status == JobStatus.DONE
                          and job.attempts == 2 and not job.error)
            outcome.check("its results are whole", scenarios.results_are_whole(story))
        finally:
            worker.stop()


def test_a_transient_error_is_retried_through_redis_and_the_job_ends_done(survive):
    def scenario(site, outcome):
        with OwnRedis(site.folder) as redis:
            retried_through(redis.url, site, outcome)

    survive(scenario, "transient error, retried through Redis")


def test_a_transient_error_is_retried_through_the_embedded_broker_too(survive, tmp_path: Path):
    survive(lambda site, outcome: retried_through(embedded_broker(tmp_path), site, outcome),
            "transient error, retried through the embedded broker")
