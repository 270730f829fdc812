"""Reviewing in the browser: correcting the alignment from a row's menu and undoing it, the keys (j, k, c, s
and the ? list), the review progress that follows a verdict, and the TMX export of the corrected story."""

import re

from playwright.sync_api import expect
from translate.storage import tmx

from alignment.models import EditAction, Verdict
from tests.review.test_review_operations import NUMBER_EN, NUMBER_RU, layout_of, story  # noqa: F401 (the fixture)

# Pairs 2 and 3 of the story: a lone English and a lone Russian sentence that belong together.
LONE_EN = "Thousands of people came to watch the ceremony."
LONE_RU = "Тысячи людей пришли посмотреть на церемонию."


def rows(page):
    return page.locator("#pair-rows tr.pair")


def focused_id(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


def test_merging_two_pairs_from_the_row_menu_and_undoing_it(page, story, screenshot):
    page.goto(story.get_absolute_url())
    expect(rows(page)).to_have_count(7)
    second = page.locator("#pair-2")
    second.get_by_title("Correct pair 2").click()
    menu = second.locator(".row-menu__panel")
    expect(menu).to_be_visible()
    screenshot("row-menu")

    menu.get_by_role("button", name="Merge with the next pair").click()
    expect(rows(page)).to_have_count(6)
    merged = page.locator("#pair-2")
    expect(merged.locator("td[lang=en]")).to_contain_text(LONE_EN)
    expect(merged.locator("td[lang=ru]")).to_contain_text(LONE_RU)
    expect(merged.locator(".edited")).to_have_text("edited")
    notice = page.locator("#notice")
    expect(notice).to_contain_text("Merged pairs 2 and 3.")
    expect(page.locator("#pair-2")).to_be_focused()  # the pair the change made keeps the focus
    assert layout_of(story)[1] == ((1,), (1,))
    screenshot("merged")

    notice.get_by_role("button", name="Undo").click()
    expect(rows(page)).to_have_count(7)
    expect(notice).to_contain_text("Undid: Merged pairs 2 and 3.")
    expect(page.locator("#pair-2 td[lang=ru]")).to_contain_text("No Russian sentence")
    expect(page.locator("#pair-3 td[lang=en]")).to_contain_text("No English sentence")
    assert layout_of(story)[1:3] == [((1,), ()), ((), (1,))]

    # The same with the key m on the focused pair (still the 2nd), and the toolbar's Undo.
    expect(page.locator("#pair-2")).to_be_focused()
    page.keyboard.press("m")
    expect(rows(page)).to_have_count(6)
    page.get_by_role("button", name="Undo: Merged pairs 2 and 3").click()
    expect(rows(page)).to_have_count(7)
    expect(page.get_by_role("button", name=re.compile("^Undo:"))).to_have_count(0)

    page.get_by_text("History", exact=True).click()
    history = page.locator("#history-list")
    expect(history.locator("li")).to_have_count(4)
    expect(history.locator("li").first).to_contain_text("Undid: Merged pairs 2 and 3")
    expect(history.locator("li").last).to_contain_text("Merged pairs 2 and 3 (undone)")
    expect(history.locator("li").last).to_contain_text("olga")
    assert [e.action for e in story.edits.order_by("pk")] == [EditAction.MERGE, EditAction.UNDO] * 2
    screenshot("undone-with-history")
    expect(page.locator("#client-error")).to_be_hidden()


def test_confirming_a_divergence_from_the_keyboard_updates_the_review_progress(page, story, screenshot):
    page.goto(story.get_absolute_url())
    progress = page.locator("#review-progress")
    expect(progress).to_contain_text("0 of 3")

    page.keyboard.press("j")
    expect(page.locator("#pair-2")).to_be_focused()
    page.keyboard.press("j")
    expect(page.locator("#pair-3")).to_be_focused()
    page.keyboard.press("k")
    expect(page.locator("#pair-2")).to_be_focused()
    # The focus is plain to see.
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
    assert page.evaluate("document.activeElement.matches(':focus-visible')") is True
    screenshot("focused-row")

    page.keyboard.press("c")
    expect(page.locator("#pair-2 .verdict-badge")).to_have_text("Confirmed")
    expect(progress).to_contain_text("1 of 3")  # refreshed by the review-changed event
    expect(page.locator("#filters")).to_contain_text("Confirmed 1")
    expect(page.locator("#pair-2")).to_be_focused()
    assert story.pairs.get(order=1).divergences.get().verdict == Verdict.CONFIRMED

    # d on the next divergent pair dismisses it; a second c on pair 2 has nothing left to confirm.
    page.keyboard.press("j")
    page.keyboard.press("d")
    expect(page.locator("#pair-3 .verdict-badge")).to_have_text("Dismissed")
    expect(progress).to_contain_text("2 of 3")

    # Keys do nothing while typing: a note with a "c" and a "j" in it.
    fifth = page.locator("#pair-5")
    fifth.get_by_text("Category and note").click()
    fifth.get_by_label("Note").fill("")
    fifth.get_by_label("Note").press_sequentially("cj")
    expect(fifth.get_by_label("Note")).to_have_value("cj")
    expect(fifth.get_by_label("Note")).to_be_focused()
    expect(progress).to_contain_text("2 of 3")

    # A correction the server refuses says why, and changes nothing.
    page.get_by_role("heading", name="Built story").click()  # out of the field: no row has the focus
    page.keyboard.press("k")  # from the bottom: the last divergent pair
    expect(page.locator("#pair-5")).to_be_focused()
    page.keyboard.press("k")
    expect(page.locator("#pair-3")).to_be_focused()
    page.keyboard.press("s")
    expect(page.locator("#notice")).to_contain_text("Pair 3 holds no more than one sentence a side")
    expect(rows(page)).to_have_count(7)
    screenshot("reviewed-by-keyboard")
    expect(page.locator("#client-error")).to_be_hidden()


def test_question_mark_opens_the_list_of_keys_as_a_dialog(page, story, screenshot):
    page.goto(story.get_absolute_url())
    page.keyboard.press("j")
    expect(page.locator("#pair-2")).to_be_focused()

    page.keyboard.press("?")
    dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Next divergent pair")
    close = dialog.get_by_role("button", name="Close")
    expect(close).to_be_focused()
    page.keyboard.press("Tab")  # the page behind is inert: the focus stays in the dialog (or the browser's own UI)
    assert page.evaluate("!document.activeElement || document.activeElement === document.body "
                         "|| !!document.activeElement.closest('dialog')")
    page.keyboard.press("j")  # no row moves behind the dialog
    screenshot("keys-dialog")

    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(page.locator("#pair-2")).to_be_focused()  # back where it was

    # The mouse way: the Keys button opens it, Close shuts it and the button has the focus again.
    keys = page.get_by_role("button", name="Keys ?")
    keys.click()
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Close").click()
    expect(dialog).to_be_hidden()
    expect(keys).to_be_focused()


def test_the_tmx_export_of_the_story_page_carries_the_corrections(page, story, screenshot, tmp_path):
    page.goto(story.get_absolute_url())
    page.locator("#pair-2").get_by_title("Correct pair 2").click()
    page.locator("#pair-2").get_by_role("button", name="Merge with the next pair").click()
    expect(rows(page)).to_have_count(6)
    screenshot("before-export")

    with page.expect_download() as download_info:
        page.get_by_role("navigation", name="Export").get_by_role("link", name="TMX").click()
    download = download_info.value
    assert download.suggested_filename == "built-story.tmx"
    path = tmp_path / download.suggested_filename
    download.save_as(path)

    store = tmx.tmxfile.parsestring(path.read_bytes())
    units = store.getunits()
    assert len(units) == 6  # every pair has both sides now
    assert [u.getid() for u in units] == ["1", "2", "3", "4", "5", "6"]
    assert (units[1].source, units[1].target) == (LONE_EN, LONE_RU)  # the pair the merge made
    assert (units[3].source, units[3].target) == (NUMBER_EN, NUMBER_RU)
    assert store.getsourcelanguage() == "en"
