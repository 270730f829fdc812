"""A names glossary in the browser: "Add to glossary" on a story's name divergence, the story re-checked at once
(its flag gone, its pairs as they were), and another story that names the same person re-checked by a real worker
while the glossary page shows the progress."""

import pytest
from playwright.sync_api import expect

from alignment.models import EditAction, GlossaryEntry
from tests.glossary.conftest import IVAN_REASON, PUTIN_REASON, named_rows, names_of
from tests.web.test_views_alignment import build_story
from tests.worker_process import worker_log_tail

RECHECK_TIMEOUT_MS = 120_000


@pytest.fixture
def stories(owner, transactional_db):
    return build_story(owner, named_rows(), title="Ivan's story"), build_story(owner, named_rows(), title="Twin")


def test_adding_a_name_to_the_glossary_re_checks_the_story(page, stories, worker, screenshot):
    story, twin = stories
    proc, log = worker
    page.goto(story.get_absolute_url())
    row = page.locator("#pair-3")
    expect(row.locator(".flag")).to_contain_text(IVAN_REASON)
    sentences = (row.locator("td[lang=en]").inner_text(), row.locator("td[lang=ru]").inner_text())
    screenshot("a-name-flag")

    row.get_by_role("link", name="Add to glossary").click()
    expect(page.get_by_role("heading", name="Add to glossary")).to_be_visible()
    english, russian = page.get_by_label("English", exact=True), page.get_by_label("Russian (any case form will do)")
    expect(english).to_have_value("Terrible")
    expect(russian).to_have_value("Грозный")  # in its dictionary form
    english.fill("Ivan the Terrible")
    russian.fill("Иван Грозный")
    page.get_by_label("Note").fill("Tsar of All Russia")
    screenshot("the-form")
    page.get_by_role("button", name="Add to glossary").click()

    expect(page.locator(".messages")).to_contain_text(
        "Added Ivan the Terrible ↔ Иван Грозный to your glossary. This story was re-checked: 1 name flag gone.")
    row = page.locator("#pair-3")
    expect(row.locator(".flag")).to_have_count(0)
    assert (row.locator("td[lang=en]").inner_text(), row.locator("td[lang=ru]").inner_text()) == sentences
    expect(page.locator("#pair-5 .flag")).to_contain_text(PUTIN_REASON)  # no glossary name: left as it was
    page.get_by_text("History", exact=True).click()
    expect(page.locator("#history-list li").first).to_contain_text(
        "Re-checked the names against the glossary: 1 name flag gone")
    assert story.edits.get().action == EditAction.RECHECK and story.jobs.count() == 1  # not aligned again
    screenshot("re-checked")

    # The other story that names him is the worker's: the glossary page follows it to the end.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Glossary").click()
    expect(page.locator(".glossary-table")).to_contain_text("Tsar of All Russia")
    try:
        expect(page.locator("#glossary-recheck")).to_contain_text("Re-checked 2 stories", timeout=RECHECK_TIMEOUT_MS)
    except AssertionError:
        pytest.fail(f"the re-check did not finish in time; worker log:\n{worker_log_tail(log)}")
    expect(page.locator("#glossary-recheck")).to_contain_text("the name flags of 1 changed")
    assert names_of(twin) == [(4, PUTIN_REASON)]
    assert GlossaryEntry.objects.get().note == "Tsar of All Russia"
    screenshot("glossary-page")
    page.goto(twin.get_absolute_url())
    expect(page.locator("#pair-3 .flag")).to_have_count(0)
    assert proc.poll() is None, "the worker died"
