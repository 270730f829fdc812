"""Browser tests: Debian's chromium, driven by Playwright, against a live server of the app.

- ``live_server`` (pytest-django) runs the app in a thread of this process, static files included; it needs
  transactional database access, so what a test writes is committed and the server (and a worker) can see it.
- ``page`` is a fresh browser tab, logged in as ``owner`` through the real login form.
- ``worker`` is a real ``celery worker`` process on the test database, for tests that need a job to finish.
- ``screenshot(name)`` saves the page as ``$SVERKA_SCREENSHOTS_DIR/<test>/<nn>-<name>.png`` (by default under
  ``<SVERKA_VAR_DIR>/test-artifacts/screenshots/``); a failed test gets a ``failed.png`` there too, whether it
  failed in its body, while logging in, or in the page's checks after it (JavaScript errors, CSP violations).
  The end of the run lists every ``failed.png`` saved, and where the other screenshots are.

Without chromium the tests skip, saying how to install it; on CI (``CI=true``) they fail instead (tests/needs.py).
"""

import os
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect, sync_playwright

from tests.needs import missing
from tests.worker_process import embedded_broker, redis_broker, running_worker

CHROMIUM = Path("/usr/bin/chromium")  # Debian's; `make test` installs it
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
# Each step waits for its condition up to this long; a job to finish is given longer (JOB_TIMEOUT_MS).
STEP_TIMEOUT_MS = 20_000


def screenshots_root() -> Path:
    default = Path(settings.VAR_DIR) / "test-artifacts" / "screenshots"
    return Path(os.environ.get("SVERKA_SCREENSHOTS_DIR") or default)


def browser_unavailable(why: str):
    missing(f"{why}. Install it with `apt-get install -y chromium` (`make test` does, as root)")


@pytest.fixture(scope="package")
def chromium():
    if not os.access(CHROMIUM, os.X_OK):
        browser_unavailable(f"chromium not found at {CHROMIUM}")
    # Playwright's sync API keeps an asyncio loop running in this thread, and Django refuses ORM calls from a
    # thread with a running loop; the test body's calls are plain synchronous code, so allow them, here only.
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            try:
                browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            except PlaywrightError as exc:
                browser_unavailable(f"chromium at {CHROMIUM} did not start: {exc.message.splitlines()[0]}")
            expect.set_options(timeout=STEP_TIMEOUT_MS)
            yield browser
            browser.close()


FAILED = pytest.StashKey[bool]()
# On the config: every failed.png saved in this run, and how many key screens ``screenshot`` saved.
FAILURE_SHOTS = pytest.StashKey[list[str]]()
KEY_SHOTS = pytest.StashKey[int]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    # Tells the page fixture, at teardown, to keep a screenshot of what the failed test saw.
    report = yield
    if report.when == "call" and report.failed:
        item.stash[FAILED] = True
    return report


def pytest_terminal_summary(terminalreporter, config):
    failed, taken = config.stash.get(FAILURE_SHOTS, []), config.stash.get(KEY_SHOTS, 0)
    if failed:
        terminalreporter.write_sep("-", "screenshots of failed browser tests")
        for line in failed:
            terminalreporter.write_line(line)
    if taken:
        terminalreporter.write_line(f"screenshots of the browser tests' key screens ({taken}): {screenshots_root()}/")


def keep_failure(config, page, folder: Path) -> None:
    """Save what the page of a failed test shows, to be listed at the end of the run."""
    path = folder / "failed.png"
    try:
        page.screenshot(path=path, full_page=True)
        line = str(path)
    except PlaywrightError as exc:  # the page itself may be what broke
        line = f"{path} could not be saved: {exc.message.splitlines()[0]}"
    config.stash.setdefault(FAILURE_SHOTS, []).append(line)


@pytest.fixture
def screenshots(request) -> Path:
    """This test's screenshot folder, emptied, so that it holds exactly what the last run saw."""
    folder = screenshots_root() / re.sub(r"[^\w.-]+", "_", request.node.name)
    shutil.rmtree(folder, ignore_errors=True)  # Playwright creates it again with the first screenshot
    return folder


@pytest.fixture
def page(request, chromium, live_server, owner, screenshots):
    """A new tab (its own cookies) on the live server, logged in as ``owner`` through the login form.
    The test fails if the page throws an uncaught JavaScript error or breaks the Content Security Policy."""
    context = chromium.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(STEP_TIMEOUT_MS)
    page = context.new_page()
    js_errors = []
    page.on("pageerror", lambda error: js_errors.append(error))
    # What the policy blocks raises nothing: the browser only says so on the console ("Refused to ... because it
    # violates the following Content Security Policy directive").
    csp_violations = []
    page.on("console", lambda message: "Content Security Policy" in message.text and csp_violations.append(message.text))

    failed_here = False
    try:
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill("olga")
        page.get_by_label("Password").fill("pw-olga-123456")
        page.get_by_role("button", name="Log in").click()
        expect(page.get_by_role("heading", name="My stories")).to_be_visible()
        yield page
        if js_errors:
            pytest.fail(f"uncaught JavaScript errors: {js_errors}")
        if csp_violations:
            pytest.fail(f"Content Security Policy violations: {csp_violations}")
    except (Exception, pytest.fail.Exception):
        # The login or the checks after the test body failed: the test's own report says nothing of it.
        failed_here = True
        raise
    finally:
        if failed_here or request.node.stash.get(FAILED, False):
            keep_failure(request.config, page, screenshots)
        context.close()


@pytest.fixture
def screenshot(request, page, screenshots):
    """``screenshot("results")`` saves the whole page as the test's next numbered screenshot."""
    taken = []

    def take(name: str) -> Path:
        taken.append(name)
        path = screenshots / f"{len(taken):02d}-{name}.png"
        page.screenshot(path=path, full_page=True)
        request.config.stash[KEY_SHOTS] = request.config.stash.get(KEY_SHOTS, 0) + 1
        return path

    return take


@pytest.fixture
def worker(transactional_db, tmp_path):
    """A real worker process, on Redis when REDIS_URL is set (as on CI), else on the embedded SQLite broker.
    Yields the process and its log file."""
    broker = redis_broker() if os.environ.get("REDIS_URL") else embedded_broker(tmp_path)
    with running_worker(broker, tmp_path) as proc_and_log:
        yield proc_and_log
