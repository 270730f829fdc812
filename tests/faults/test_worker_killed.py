import pytest

from tests.faults import scenarios

pytestmark = pytest.mark.faults


def test_a_worker_killed_while_saving_leaves_no_half_written_results_and_the_job_runs_again(survive):
    survive(scenarios.worker_killed_mid_save)


def test_a_job_whose_whole_worker_died_is_queued_again_by_the_sweeper_and_finishes(survive):
    survive(scenarios.worker_lost)


def test_a_job_whose_worker_died_with_its_attempts_used_is_failed_with_a_reason(survive):
    survive(lambda site, outcome: scenarios.worker_lost(site, outcome, max_attempts=1))


@pytest.mark.parametrize("broker", ["embedded", "redis"])
def test_a_new_worker_takes_back_at_once_the_job_of_a_worker_that_died_on_this_host(survive, broker):
    survive(lambda site, outcome: scenarios.worker_lost_on_defaults(site, outcome, broker))
