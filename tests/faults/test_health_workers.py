import pytest
from django.core.cache import cache

from tests.faults import scenarios
from tests.faults.processes import Worker, wait_until

pytestmark = pytest.mark.faults


def test_healthz_names_the_workers_that_answer_and_is_degraded_without_any(site, own_redis, client, staff):
    client.force_login(staff)  # the workers are for operators' eyes only
    queue = scenarios.new_queue()
    with own_redis as redis, scenarios.sending_to(redis.url, queue):
        worker = Worker(site.folder, site.database_url, redis.url, queue)
        try:
            def answering():
                cache.clear()  # the ping's answer is kept for a while
                return client.get("/healthz").json()["workers"]

            names = wait_until(answering, scenarios.DEADLINE, "the worker to answer a ping", interval=0.5)
            assert [name.split("@")[0] for name in names] == [worker.name]
            assert client.get("/healthz").status_code == 200
        finally:
            worker.stop()
        cache.clear()
        response = client.get("/healthz")
        assert response.status_code == 200
        assert response.json() == {"status": "degraded", "database": "ok", "broker": "ok", "workers": []}
