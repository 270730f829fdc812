"""Passages in the browser: furniture folded until opened, and one verdict for a whole passage, from the keys (a
passage is one stop for j and k) and the mouse."""

from playwright.sync_api import expect

from alignment.models import Divergence, Verdict
from tests.web.test_passages_view import ids_of, story  # noqa: F401 (the fixture)


def test_furniture_opens_and_a_passage_takes_one_verdict(page, story, screenshot):
    page.goto(story.get_absolute_url())
    furniture = page.locator("#pair-5")
    expect(furniture.get_by_text("Outlet furniture — 3 sentences")).to_be_visible()
    expect(furniture.get_by_text("Поддержите нас.")).to_be_hidden()
    screenshot("furniture-folded")

    furniture.get_by_text("Outlet furniture — 3 sentences").click()
    expect(furniture.get_by_text("Поддержите нас.")).to_be_visible()
    expect(furniture.get_by_text("Наш канал в Telegram.")).to_be_visible()
    screenshot("furniture-open")

    # j: pair 2 begins the cut passage (pairs 2 and 3); the next j goes past it, to pair 4.
    page.get_by_role("heading", name="Built story").click()
    page.keyboard.press("j")
    passage = page.locator("#pair-2")
    expect(passage).to_be_focused()
    page.keyboard.press("j")
    expect(page.locator("#pair-4")).to_be_focused()
    page.keyboard.press("k")
    expect(passage).to_be_focused()

    page.keyboard.press("c")
    expect(passage.locator(".verdict-badge")).to_have_text("Confirmed")
    expect(page.locator("#review-progress")).to_contain_text("3 of")
    expect(passage).to_contain_text("One passage: 2 pairs, 3 sentences")
    assert set(Divergence.objects.filter(pair__in=ids_of(story, 2, 3)).values_list("verdict", flat=True)) == {
        Verdict.CONFIRMED
    }
    screenshot("passage-confirmed")

    # d on the furniture, two stops on (pair 4, then pairs 5 to 7), dismisses all of it; then the mouse reopens it.
    expect(passage).to_be_focused()  # the block's new copy keeps the focus
    page.keyboard.press("j")
    page.keyboard.press("j")
    expect(furniture).to_be_focused()
    page.keyboard.press("d")
    expect(furniture.locator(".verdict-badge")).to_have_text("Dismissed")
    assert set(Divergence.objects.filter(pair__in=ids_of(story, 5, 6, 7)).values_list("verdict", flat=True)) == {
        Verdict.DISMISSED
    }
    screenshot("furniture-dismissed")
    furniture.get_by_role("button", name="Reopen").click()
    expect(furniture.locator(".verdict-badge")).to_have_count(0)
    assert set(Divergence.objects.filter(pair__in=ids_of(story, 5, 6, 7)).values_list("verdict", flat=True)) == {
        Verdict.PENDING
    }
    expect(page.locator("#client-error")).to_be_hidden()
