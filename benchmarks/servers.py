"""A benchmark's own servers: a throwaway PostgreSQL cluster (or a SQLite file, when asked for or when PostgreSQL
cannot start) and, if the benchmark needs one, a Redis server, in a temporary folder on ports of their own, so
that a benchmark never touches your data. benchmarks.load, benchmarks.corpus and benchmarks.collection_report
start theirs here."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class OwnServers:
    database: str  # the one in use: "postgres", or "sqlite"
    database_url: str
    redis_url: str = ""  # "" without Redis
    stops: list[Callable[[], None]] = field(default_factory=list)  # in the order the servers started

    def stop(self) -> None:
        for stop in reversed(self.stops):
            stop()


def own_servers(folder: Path, database: str, redis: bool = False) -> OwnServers:
    """Start the servers, ``database`` "postgres" or "sqlite" (the file in ``folder``). If one fails to start,
    those already started are stopped before the error goes on. The project's root goes first on ``sys.path``,
    where the servers' code is (tests.faults.processes) and the app processes' helpers with it."""
    sys.path.insert(0, str(ROOT))
    from tests.faults.processes import OwnPostgres, OwnRedis, Unavailable

    sqlite = f"sqlite:///{folder / 'sverka.sqlite3'}"
    servers = OwnServers(database, sqlite)
    try:
        if redis:
            own_redis = OwnRedis(folder).start()
            servers.stops.append(own_redis.stop)
            servers.redis_url = own_redis.url
        if database == "postgres":
            try:
                pg = OwnPostgres().init()
                servers.stops.append(pg.remove)
                servers.database_url = pg.create_database("sverka")
            except Unavailable as exc:
                print(f"PostgreSQL unavailable ({exc}); using SQLite")
                servers.database = "sqlite"
                servers.database_url = sqlite
    except BaseException:
        servers.stop()
        raise
    return servers
