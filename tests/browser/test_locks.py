"""Locking a pair in the browser and re-aligning the rest with a real worker: the locked pair comes back as it
was, still locked, and its row says so."""

import re

import pytest
from playwright.sync_api import expect

from alignment.models import EditAction
from alignment.samples import sample_story
from tests.conftest import make_story
from tests.worker_process import worker_log_tail

JOB_TIMEOUT_MS = 180_000


@pytest.fixture
def processed(owner, transactional_db, monkeypatch):
    from alignment import tasks

    monkeypatch.setattr(tasks, "enqueue", lambda job_id: True)  # processed here, not by the worker
    sample = sample_story()
    story = make_story(owner, en=sample.en, ru=sample.ru)
    monkeypatch.undo()
    return story


def test_a_locked_pair_survives_re_aligning_the_rest(page, processed, worker, screenshot):
    proc, log = worker
    page.goto(processed.get_absolute_url())
    row = page.locator("#pair-3")
    before = (row.locator("td[lang=en]").inner_text(), row.locator("td[lang=ru]").inner_text())
    row.get_by_title("Correct pair 3").click()
    row.get_by_role("button", name=re.compile("^Lock the pair")).click()
    expect(page.locator("#pair-3 .locked")).to_have_text("locked")
    assert processed.edits.filter(action=EditAction.LOCK).count() == 1
    screenshot("locked")

    page.reload()
    page.get_by_role("button", name="Re-align the rest").first.click()
    state = page.locator("#story-state")
    expect(page.locator("#story-state.state--active")).to_be_attached()  # the new run, queued
    try:
        expect(page.locator("#story-state.state--done")).to_be_attached(timeout=JOB_TIMEOUT_MS)
    except AssertionError:
        pytest.fail(f"the job did not finish in time; worker log:\n{worker_log_tail(log)}\n{state.inner_text()}")
    assert processed.jobs.count() == 2 and processed.latest_job().status == "done"
    locked = processed.pairs.get(locked=True)
    page.reload()
    kept = page.locator(f"#pair-{locked.order + 1}")
    expect(kept.locator(".locked")).to_have_text("locked")
    assert (kept.locator("td[lang=en]").inner_text(), kept.locator("td[lang=ru]").inner_text()) == before
    screenshot("re-aligned")
    assert proc.poll() is None, "the worker died"
