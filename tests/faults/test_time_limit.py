import pytest

from tests.faults import scenarios

pytestmark = pytest.mark.faults


def test_a_job_over_its_time_limit_is_failed_with_the_reason_and_retry_runs_it_again(survive):
    survive(scenarios.job_over_time_limit)
