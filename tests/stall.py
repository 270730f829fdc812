"""A guard for tests of input built to stall a regex or a parser: the code under test must come back at all.

The limit is generous (seconds, where the code takes milliseconds and the quadratic code it replaced takes
minutes), so the test says what the code does with such input, not how fast it runs."""

from __future__ import annotations

import contextlib
import signal

import pytest


class Stalled(Exception):
    pass


@contextlib.contextmanager
def comes_back(seconds: int = 20):
    def stop(signum, frame):
        raise Stalled(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    except Stalled as exc:
        pytest.fail(str(exc))
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
