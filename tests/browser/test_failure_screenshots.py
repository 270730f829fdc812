"""A browser test that fails keeps a screenshot of its page, whether it failed in its body or in the page's checks
after it, and the end of the run says where each one is. Three tiny browser tests run in a pytest of their own,
with this folder's conftest, on SQLite and the embedded broker, against a live server."""

import os
import subprocess
import sys

from tests.browser.conftest import CHROMIUM
from tests.conftest import ROOT
from tests.needs import need

TINY_TESTS = '''
from playwright.sync_api import expect


def test_body_fails(page):
    expect(page.get_by_role("heading", name="My stories")).to_be_visible()
    assert False, "planted failure in the test body"


def test_page_throws_after_the_body(page):
    # The body passes; the uncaught error fails the page fixture's check at teardown.
    with page.expect_event("pageerror"):
        page.evaluate("setTimeout(() => { throw new Error('planted uncaught error') })")


def test_passes(page, screenshot):
    screenshot("stories")
'''


def test_a_failure_in_the_body_or_in_the_page_checks_keeps_a_screenshot_and_the_run_lists_them(tmp_path):
    need(os.access(CHROMIUM, os.X_OK), f"chromium not found at {CHROMIUM}")
    (tmp_path / "test_tiny.py").write_text(TINY_TESTS)
    # Loaded by a conftest, not with -p: plugins given with -p load before pytest-django sets Django up.
    (tmp_path / "conftest.py").write_text('pytest_plugins = ["tests.conftest", "tests.browser.conftest"]\n')
    shots = tmp_path / "shots"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL")}
    env.update(PYTHONPATH=str(ROOT), SVERKA_VAR_DIR=str(tmp_path / "var"), SVERKA_SCREENSHOTS_DIR=str(shots))
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-c", str(ROOT / "pyproject.toml"), "--rootdir", str(tmp_path),
         "--confcutdir", str(tmp_path),
         "-p", "no:cacheprovider", str(tmp_path / "test_tiny.py")],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300,
    )
    out = done.stdout
    # test_page_throws_after_the_body passes its body and errors at teardown: it counts once in each.
    assert "1 failed, 2 passed, 1 error" in out, out + done.stderr
    assert "uncaught JavaScript errors" in out and "planted uncaught error" in out

    body, teardown = shots / "test_body_fails" / "failed.png", shots / "test_page_throws_after_the_body" / "failed.png"
    assert body.is_file() and teardown.is_file()
    assert sorted(p.name for p in (shots / "test_passes").iterdir()) == ["01-stories.png"]
    summary = out[out.index("screenshots of failed browser tests"):].splitlines()
    assert summary[1:3] == [str(body), str(teardown)]
    assert f"screenshots of the browser tests' key screens (1): {shots}/" in out
