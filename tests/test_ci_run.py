""".ci/run stops with a clear message when PostgreSQL or Redis does not answer, instead of running the suite.

The script runs for real, with stand-ins for the commands it calls put first on PATH: the services answer or not
as the test says, starting them does nothing, waiting takes no time, and ``make`` only notes that it ran."""

import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT

SCRIPT = ROOT / ".ci" / "run"


def stand_in(folder: Path, name: str, body: str) -> None:
    path = folder / name
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(0o755)


@pytest.fixture
def run_ci(tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    ran_make = tmp_path / "make-ran"

    def run(postgres: bool, redis: bool) -> tuple[subprocess.CompletedProcess, str | None]:
        stand_in(bin_dir, "pg_isready", "exit 0" if postgres else "exit 2")
        stand_in(bin_dir, "redis-cli", "echo PONG" if redis else "echo 'Could not connect to Redis' >&2; exit 1")
        for name in ("pg_ctlcluster", "redis-server"):
            stand_in(bin_dir, name, "exit 1")  # starting it fails, as on a machine without it
        stand_in(bin_dir, "sleep", "exit 0")
        stand_in(bin_dir, "make", f'echo "$@" > {ran_make}')
        done = subprocess.run(["bash", str(SCRIPT)], capture_output=True, text=True, timeout=60,
                              env={"PATH": f"{bin_dir}:/usr/bin:/bin", "HOME": str(tmp_path)})
        return done, ran_make.read_text().strip() if ran_make.exists() else None

    return run


def test_with_both_services_answering_it_runs_the_tests_on_them(run_ci):
    done, make = run_ci(postgres=True, redis=True)
    assert done.returncode == 0, done.stderr
    assert make == "test"
    assert "tests on PostgreSQL (postgres://postgres@127.0.0.1:5432/sverka) and Redis" in done.stdout


@pytest.mark.parametrize("postgres, redis", [(False, True), (True, False), (False, False)])
def test_it_stops_naming_each_service_that_does_not_answer(run_ci, postgres, redis):
    done, make = run_ci(postgres, redis)
    assert done.returncode == 1
    assert make is None
    assert ("PostgreSQL on 127.0.0.1:5432 (pg_isready) does not answer" in done.stderr) is not postgres
    assert ("Redis on 127.0.0.1:6379 (redis-cli ping) does not answer" in done.stderr) is not redis
    assert "stopping before the tests" in done.stderr
