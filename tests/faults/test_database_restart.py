import pytest

from tests.faults import scenarios

pytestmark = pytest.mark.faults


def test_gunicorn_answers_503_while_postgresql_restarts_and_recovers_without_a_restart(survive):
    survive(scenarios.postgres_restarted)
