"""tests/needs.py: a test whose data, package or service is missing skips on a developer's machine and fails on CI,
and on CI no other skip gets through either. Each case runs in a pytest of its own, with and without CI=true."""

import pytest

from tests.conftest import ROOT

pytest_plugins = ["pytester"]

CASES = '''
import pytest

from tests.needs import need, need_data, need_module


def test_needs_data(tmp_path):
    need_data(tmp_path / "no-such-set")


def test_needs_a_package():
    need_module("no_such_package_anywhere")


def test_needs_a_server():
    need(False, "Redis is not reachable at redis://127.0.0.1:1/0")


def test_has_what_it_needs(tmp_path):
    assert need_data(tmp_path) == tmp_path
    assert need_module("json").dumps(1) == "1"
    need(True, "never said")


def test_skips_by_itself():
    pytest.skip("a skip that does not go through need()")


@pytest.mark.skipif(True, reason="a marker that skips")
def test_skips_by_marker():
    pass


@pytest.mark.may_skip_on_ci("only Linux has /proc")
def test_may_skip():
    pytest.skip("no /proc here")


@pytest.mark.may_skip_on_ci
def test_may_skip_without_saying_why():
    pytest.skip("no reason given for allowing it")


@pytest.mark.xfail(reason="a known miss", strict=True)
def test_known_miss():
    assert False
'''

SKIPPED_MODULE = '''
import pytest

pytest.skip("a whole module that skips", allow_module_level=True)
'''


@pytest.fixture
def run(pytester, monkeypatch):
    pytester.makepyfile(test_cases=CASES, test_skipped_module=SKIPPED_MODULE)
    monkeypatch.setenv("PYTHONPATH", str(ROOT))

    def run_with(ci: str | None):
        if ci is None:
            monkeypatch.delenv("CI", raising=False)
        else:
            monkeypatch.setenv("CI", ci)
        # Without pytest-django: these tests touch no database, and the project's settings are not needed. A
        # module that fails to collect stops a run before any test; here the other cases should run all the same.
        return pytester.runpytest_subprocess("-p", "tests.needs", "-p", "no:django", "-p", "no:cacheprovider",
                                             "-rA", "--continue-on-collection-errors")

    return run_with


@pytest.mark.parametrize("ci", [None, "false", "1"])
def test_off_ci_a_missing_need_skips_saying_what_is_missing(run, ci):
    result = run(ci)
    result.assert_outcomes(passed=1, skipped=8, xfailed=1)
    result.stdout.fnmatch_lines_random([
        "SKIPPED*development data not found at */no-such-set",
        "SKIPPED*the package no_such_package_anywhere cannot be imported*make install*",
        "SKIPPED*Redis is not reachable at redis://127.0.0.1:1/0",
        "SKIPPED*a whole module that skips",
    ])


def test_on_ci_a_missing_need_fails_saying_what_is_missing(run):
    result = run("true")
    outcomes = result.parseoutcomes()
    assert outcomes.get("passed") == 1 and outcomes.get("xfailed") == 1
    result.stdout.fnmatch_lines_random([
        "FAILED test_cases.py::test_needs_data - *development data not found at */no-such-set; CI (CI=true) must "
        "provide it, so this test fails instead of skipping",
        "FAILED test_cases.py::test_needs_a_package - *the package no_such_package_anywhere cannot be imported*",
        "FAILED test_cases.py::test_needs_a_server - *Redis is not reachable at redis://127.0.0.1:1/0; CI*",
    ])


def test_on_ci_any_other_skip_fails_too_unless_marked_allowed_with_a_reason(run):
    result = run("TRUE")
    result.stdout.fnmatch_lines_random([
        "FAILED test_cases.py::test_skips_by_itself - a skip that does not go through need()",
        "ERROR test_cases.py::test_skips_by_marker - a marker that skips",
        "FAILED test_cases.py::test_may_skip_without_saying_why*",
        "ERROR test_skipped_module.py*",
        "SKIPPED*no /proc here",
    ])
    result.stdout.fnmatch_lines(["*a skip that does not go through need()", "On CI (CI=true) no test may skip*"])
    outcomes = result.parseoutcomes()
    # Failed: the three needs and the two skips of the test body; errors: the marker (at setup) and the module.
    assert (outcomes.get("failed"), outcomes.get("errors"), outcomes.get("skipped")) == (5, 2, 1)
