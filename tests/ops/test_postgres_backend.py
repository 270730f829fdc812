"""The PostgreSQL backend checks a persistent connection before a request reuses it only after it sat idle: the check
is a round trip of its own at every request otherwise. A broken idle connection is still found and replaced before
any query of the request runs. (tests/faults/test_database_restart.py restarts a real server under gunicorn.)"""

import time

from django.db.backends.postgresql.base import DatabaseWrapper as DjangoWrapper

from alignment.ops.postgres import base


class Connection:
    """What the wrapper holds between requests: a psycopg connection that answers the check, or a broken one."""

    def __init__(self, alive: bool):
        self.alive, self.checked, self.closed = alive, 0, False

    def close(self):
        self.closed = True


def wrapper(connection: Connection, idle: float, monkeypatch) -> base.DatabaseWrapper:
    db = base.DatabaseWrapper({"NAME": "sverka", "OPTIONS": {}, "AUTOCOMMIT": True, "TIME_ZONE": None,
                               "CONN_MAX_AGE": 60, "CONN_HEALTH_CHECKS": True})
    db.connection, db.health_check_enabled, db.health_check_done = connection, True, False
    db._last_used = time.monotonic() - idle

    def is_usable():
        connection.checked += 1
        return connection.alive

    monkeypatch.setattr(db, "is_usable", is_usable)
    return db


def test_a_connection_used_a_moment_ago_is_reused_without_a_check(monkeypatch):
    connection = Connection(alive=True)
    db = wrapper(connection, idle=0.01, monkeypatch=monkeypatch)
    db.close_if_health_check_failed()
    assert connection.checked == 0 and db.connection is connection and db.health_check_done


def test_a_connection_idle_for_a_while_is_checked_and_kept_if_it_answers(monkeypatch):
    connection = Connection(alive=True)
    db = wrapper(connection, idle=base.CHECK_AFTER_IDLE_SECONDS + 0.5, monkeypatch=monkeypatch)
    db.close_if_health_check_failed()
    assert connection.checked == 1 and db.connection is connection


def test_a_broken_idle_connection_is_closed_before_the_request_uses_it(monkeypatch):
    connection = Connection(alive=False)
    db = wrapper(connection, idle=base.CHECK_AFTER_IDLE_SECONDS + 0.5, monkeypatch=monkeypatch)
    db.close_if_health_check_failed()
    assert connection.checked == 1 and connection.closed and db.connection is None


def test_making_a_cursor_counts_as_use(monkeypatch):
    db = wrapper(Connection(alive=True), idle=60, monkeypatch=monkeypatch)
    monkeypatch.setattr(DjangoWrapper, "create_cursor", lambda self, name=None: "cursor")
    assert db.create_cursor() == "cursor"
    assert time.monotonic() - db._last_used < 1
