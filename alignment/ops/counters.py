"""Rate limits as atomic counters in the "limits" cache: Redis, shared by every process, when REDIS_URL is set;
else the web process's memory, shared by its threads (config/settings.py, CACHES).

A window of an hour is kept as sixty counters of a minute each. A request adds one to the current minute's
counter with ``cache.incr``, which is atomic (one INCR in Redis, under a lock in memory), and reads the others:
of many requests at once, exactly as many as the limit allows go through, whichever process they reach. A
refused request takes its one back, so a refusal does not count. An event counts for the hour that follows
the minute it came in.

A get, a change and a set of one value, as before, lets two processes (or threads) read the same count and both
go through: the limit held per process at best."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from django.core.cache import caches

CACHE_ALIAS = "limits"


@dataclass(frozen=True)
class RateWindow:
    """At most ``limit`` events per key in any ``seconds`` (counted in ``buckets`` steps)."""

    name: str
    limit: int
    seconds: int
    buckets: int = 60

    @property
    def step(self) -> float:
        return self.seconds / self.buckets

    def _keys(self, key: str, current: int) -> list[str]:
        """The keys of the window's counters, oldest first, the current one last."""
        return [f"sverka:rate:{self.name}:{key}:{index}" for index in range(current - self.buckets + 1, current + 1)]

    def hit(self, key: str, now: float | None = None) -> int:
        """Count one event for ``key``. Returns 0 if it is within the limit, else the seconds until there is
        room (and does not count it). Raises whatever the cache raises when it cannot be reached."""
        if self.limit <= 0:
            return 0
        now = time.time() if now is None else now
        current = math.floor(now / self.step)
        keys = self._keys(key, current)
        cache = caches[CACHE_ALIAS]
        # Kept one step beyond the window, so that the counter outlives every window that reads it.
        cache.add(keys[-1], 0, timeout=math.ceil(self.seconds + self.step))
        mine = cache.incr(keys[-1])
        found = cache.get_many(keys[:-1])
        earlier = [int(found.get(k, 0)) for k in keys[:-1]]
        if sum(earlier) + mine <= self.limit:
            return 0
        cache.decr(keys[-1])
        return self._wait(earlier, current, now)

    def _wait(self, earlier: list[int], current: int, now: float) -> int:
        """Seconds until enough of the oldest events have left the window for one more. The current counter is
        taken to be full: beyond the limit it holds only refusals not yet taken back, by requests at this moment."""
        excess = max(sum(earlier) - self.limit, 0) + 1  # how many must leave
        for offset, count in enumerate(earlier):
            excess -= count
            if excess <= 0:
                # Counter ``offset`` leaves the window once it has moved on by ``buckets`` steps.
                return max(math.ceil((current + 1 + offset) * self.step - now), 1)
        return max(math.ceil((current + self.buckets) * self.step - now), 1)  # when the current counter leaves
