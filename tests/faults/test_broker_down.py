import pytest

from tests.faults import scenarios

pytestmark = pytest.mark.faults


def test_jobs_survive_redis_stopping_mid_job_and_coming_back_empty(survive):
    survive(scenarios.redis_restarted)


def test_an_upload_while_the_broker_is_down_is_saved_and_processed_once_it_is_back(survive):
    survive(scenarios.upload_while_broker_down)
