"""Django's PostgreSQL backend, with one change: a persistent connection is checked before a request reuses it
(CONN_HEALTH_CHECKS) only when it has sat idle for a while. The check is a round trip of its own, one in four of a
story page's; a connection that ran a query a moment ago is alive, or that query failed, and then Django checked it
at the end of its request already and closed it if it was broken. A database restart takes longer than the wait, so
the first request after one still finds every connection checked."""

from __future__ import annotations

import time

from django.db.backends.postgresql import base

# A connection idle at least this long is checked before it is reused.
CHECK_AFTER_IDLE_SECONDS = 1.0


class DatabaseWrapper(base.DatabaseWrapper):
    _last_used = float("-inf")  # time.monotonic() when it last made a cursor

    def create_cursor(self, name=None):
        self._last_used = time.monotonic()
        return super().create_cursor(name)

    def close_if_health_check_failed(self):
        if self.connection is not None and time.monotonic() - self._last_used < CHECK_AFTER_IDLE_SECONDS:
            self.health_check_done = True
            return
        super().close_if_health_check_failed()
