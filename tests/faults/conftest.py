"""Fault tests: real processes (Redis, PostgreSQL, Celery workers, gunicorn), each on its own port, and the
fault caused for real. They run in `make test`; `-m "not faults"` leaves them out."""

import pytest

from tests.faults import scenarios
from tests.faults.processes import OwnRedis, Unavailable
from tests.needs import missing
from tests.worker_process import database_url


def pytest_configure(config):
    config.addinivalue_line("markers", "faults: causes a fault for real with real server processes (seconds each)")


@pytest.fixture
def site(transactional_db, owner, tmp_path):
    # The worker processes see only committed rows: the database is shared, not wrapped in a transaction.
    return scenarios.Site(tmp_path, database_url(), owner)


@pytest.fixture
def survive(site):
    """Run a scenario and fail with its checks and logs unless every check passed."""

    def run(scenario, fault="scenario"):
        try:
            outcome = scenarios.run(scenario, site, fault)
        except Unavailable as exc:
            missing(str(exc))
        assert outcome.survived, outcome.report()
        return outcome

    return run


@pytest.fixture
def own_redis(site):
    try:
        return OwnRedis(site.folder)
    except Unavailable as exc:
        missing(str(exc))
