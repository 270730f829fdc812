"""What a test needs from the machine: the development data in ../shared/data, an optional package, chromium, a
Redis or PostgreSQL server. On a developer's machine a test whose need is missing skips, saying what is missing;
on CI (``CI=true``) it fails instead, because CI must provide all of it, and a run that skipped passes while
testing nothing.

``need(condition, reason)`` is the one place that decides. Loaded as a plugin (``-p tests.needs`` in
pyproject.toml), this module also turns any skip that does not go through it into a failure on CI: a
``pytest.skip`` added later, a ``skipif`` marker, an empty parametrisation. A test that may legitimately skip on
CI says why with ``@pytest.mark.may_skip_on_ci("why")``.
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path
from types import ModuleType
from typing import NoReturn

import pytest

ALLOWED = "may_skip_on_ci"


def on_ci() -> bool:
    """True when the environment variable CI is "true", as .ci/run and the common CI services set it."""
    return os.environ.get("CI", "").lower() == "true"


def need(condition: object, reason: str) -> None:
    """Go on if ``condition`` holds; otherwise skip the test, or fail it on CI, naming what is missing."""
    if not condition:
        missing(reason)


def missing(reason: str) -> NoReturn:
    """Something the test needs is missing, as ``reason`` says: skip, or fail on CI."""
    if on_ci():
        pytest.fail(f"{reason}; CI (CI=true) must provide it, so this test fails instead of skipping",
                    pytrace=False)
    pytest.skip(reason)


def need_data(path: Path) -> Path:
    """A file or folder of the development data (../shared/data), which lives outside the repository."""
    need(path.exists(), f"development data not found at {path}")
    return path


def need_module(name: str) -> ModuleType:
    """An optional package (the dev extra's), imported; ``pytest.importorskip`` that fails on CI."""
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        why = str(exc)
    missing(f"the package {name} cannot be imported ({why}); `make install` installs the dev extra")


# ---------------------------------------------------------------------------------------------------- the plugin


def pytest_configure(config):
    config.addinivalue_line("markers", f"{ALLOWED}(why): this test may skip on CI too, for the reason given")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.skipped and not hasattr(report, "wasxfail") and on_ci():
        allowed = item.get_closest_marker(ALLOWED)
        if allowed is None or not allowed.args:
            _fail_instead(report)
    return report


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(collector):
    # A module that skips as a whole (pytest.skip(allow_module_level=True), importorskip at import).
    report = yield
    if report.skipped and on_ci():
        _fail_instead(report)
    return report


def _fail_instead(report) -> None:
    reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
    report.outcome = "failed"
    report.longrepr = (f"{reason.removeprefix('Skipped: ')}\nOn CI (CI=true) no test may skip: provide what it "
                       f"needs, or mark it @pytest.mark.{ALLOWED}(\"why\").")
