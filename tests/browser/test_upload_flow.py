"""Uploading a pair of files in the browser: the story page follows the job through htmx polling, in place,
until a real worker has processed it and the aligned rows appear."""

import re

import pytest
from playwright.sync_api import expect

from alignment.models import Story
from alignment.samples import SAMPLE_DIR
from tests.worker_process import worker_log_tail

# A cold worker loads the embedding model before its first job; a busy 2-core machine is slow at it.
JOB_TIMEOUT_MS = 180_000


def test_an_uploaded_pair_is_processed_and_its_rows_appear(page, worker, screenshot):
    proc, log = worker
    page.get_by_role("link", name="New story").first.click()
    expect(page.get_by_role("heading", name="New story")).to_be_visible()
    page.get_by_label("Title").fill("Shark sighting")
    page.locator("fieldset.side--en").get_by_label("…or a file").set_input_files(SAMPLE_DIR / "en.txt")
    page.locator("fieldset.side--ru").get_by_label("…or a file").set_input_files(SAMPLE_DIR / "ru.txt")
    screenshot("upload-form")

    polls = []
    page.on("response", lambda response: "/status/" in response.url and polls.append(response.status))
    page.get_by_role("button", name="Compare").click()

    expect(page.get_by_role("status")).to_contain_text("Story saved")
    story = Story.objects.get(title="Shark sighting")
    expect(page).to_have_url(f"/stories/{story.code}/")
    state = page.locator("#story-state")
    expect(state).to_have_class(re.compile(r"\bstate--active\b"))
    expect(state.get_by_role("progressbar", name="Progress")).to_be_visible()
    screenshot("progress")
    # Survives only if the results replace the progress region in place, without loading the page again.
    page.evaluate("window.stillTheSamePage = true")

    try:
        expect(page.locator("#story-state:not(.state--active)")).to_be_attached(timeout=JOB_TIMEOUT_MS)
    except AssertionError:
        pytest.fail(f"the job did not finish in time; worker log:\n{worker_log_tail(log)}")
    if "state--failed" in state.get_attribute("class"):
        pytest.fail(f"the job failed: {state.inner_text()}\nworker log:\n{worker_log_tail(log)}")

    expect(state).to_have_class(re.compile(r"\bstate--done\b"))
    assert page.evaluate("window.stillTheSamePage") is True
    assert polls and polls[-1] == 286, f"the status polls answered {polls}; the last should stop polling"
    # One row per aligned pair, and every sentence of both versions in exactly one of them.
    rows = page.locator("#pair-rows tr.pair")
    expect(rows).to_have_count(story.pairs.count())
    for document in story.documents.all():
        sentences = page.locator(f"#pair-rows td[lang={document.language}] .sentence")
        expect(sentences).to_have_count(document.sentences.count())
    expect(rows.first.locator("td[lang=en]")).to_contain_text("Shark injures")
    expect(page.locator("#pair-rows tr.pair--flagged").first).to_be_visible()
    expect(page.locator("#client-error")).to_be_hidden()
    screenshot("results")
    assert proc.poll() is None, "the worker died"


def test_a_page_kept_through_a_form_error_is_read_by_the_worker(page, worker, screenshot, tmp_path):
    proc, log = worker
    english = (SAMPLE_DIR / "en.txt").read_text(encoding="utf-8")
    paragraphs = "".join(f"<p>{line}</p>" for line in english.splitlines() if line.strip())
    saved = tmp_path / "shark.html"
    saved.write_text(f"<!doctype html><html><body><nav><a href='/'>Home</a></nav><article>{paragraphs}</article>"
                     "</body></html>", encoding="utf-8")
    page.get_by_role("link", name="New story").first.click()
    page.get_by_label("Title").fill("Shark page")
    page.locator("fieldset.side--en").get_by_label("…or a file").set_input_files(saved)
    page.get_by_role("button", name="Compare").click()  # no Russian side yet: the form comes back

    expect(page.get_by_text("Paste the Russian text or upload a file.")).to_be_visible()
    expect(page.locator("fieldset.side--en .kept-file")).to_contain_text("shark.html is kept")
    screenshot("file-kept")
    page.locator("fieldset.side--ru").get_by_label("…or a file").set_input_files(SAMPLE_DIR / "ru.txt")
    page.get_by_role("button", name="Compare").click()

    expect(page.get_by_role("status")).to_contain_text("Story saved")
    state = page.locator("#story-state")
    try:
        expect(page.locator("#story-state:not(.state--active)")).to_be_attached(timeout=JOB_TIMEOUT_MS)
    except AssertionError:
        pytest.fail(f"the job did not finish in time; worker log:\n{worker_log_tail(log)}")
    if "state--failed" in state.get_attribute("class"):
        pytest.fail(f"the job failed: {state.inner_text()}\nworker log:\n{worker_log_tail(log)}")
    expect(page.locator("#pair-rows tr.pair td[lang=en]").nth(1)).to_contain_text(english.splitlines()[2][:40])
    story = Story.objects.get(title="Shark page")
    assert story.document("en").file_name == "shark.html" and story.document("en").raw is None
    assert proc.poll() is None, "the worker died"
