"""A shared link in a real browser: the owner makes one on the story's page of links, choosing what it shows;
someone else opens it in a fresh browser (no cookies, no login) and sees only that, with its printable version;
once the owner revokes it, the same address is a 404."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import STEP_TIMEOUT_MS
from tests.sharing.conftest import PENDING_REASON, TITLE, story  # noqa: F401 (the fixture)


def test_a_shared_link_opens_in_a_fresh_browser_without_logging_in(page, chromium, live_server, story, screenshot):
    page.goto(story.get_absolute_url())
    page.get_by_role("link", name="Shared links").click()
    expect(page.get_by_role("heading", name="Shared links")).to_be_visible()
    page.get_by_label("The divergences I choose").check()
    page.locator(".share-choice", has_text=PENDING_REASON).get_by_role("checkbox").check()
    page.get_by_label("Works for").select_option(label="1 day")
    page.get_by_label("Who it is for").fill("The desk editor")
    page.get_by_role("button", name="Make the link").click()
    expect(page.get_by_text("Made a new link.")).to_be_visible()
    address = page.get_by_label("Address of the link The desk editor").input_value()
    screenshot("owner-links")

    stranger = chromium.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    stranger.set_default_timeout(STEP_TIMEOUT_MS)
    problems = []
    try:
        shared = stranger.new_page()
        shared.on("pageerror", lambda error: problems.append(str(error)))
        shared.on("console", lambda m: "Content Security Policy" in m.text and problems.append(m.text))
        response = shared.goto(address)
        assert response.status == 200
        assert response.headers["x-robots-tag"] == "noindex, nofollow"
        assert response.headers["referrer-policy"] == "no-referrer"
        expect(shared.get_by_role("heading", name=TITLE)).to_be_visible()
        expect(shared.locator("tr.pair--flagged")).to_have_count(1)
        expect(shared.locator("tr.pair--flagged")).to_contain_text("Critics were detained at the opening.")
        expect(shared.locator("tr.pair--context")).to_have_count(2)  # the pair before it and the one after
        expect(shared.get_by_text("It cost 42 million dollars.")).to_have_count(0)
        expect(shared.locator("form, button, script, [hx-get], [hx-post]")).to_have_count(0)
        expect(shared.get_by_text("olga")).to_have_count(0)
        expect(shared.get_by_text("The desk editor")).to_have_count(0)  # the owner's name for the link
        assert stranger.cookies() == []  # nothing of a session, nor a CSRF token
        screenshot_of(shared, screenshot, "shared-view")

        shared.get_by_role("link", name="Printable version").click()
        expect(shared.get_by_role("heading", name="What one edition omits")).to_be_visible()
        expect(shared.locator(".sources-table tbody tr")).to_have_count(2)
        expect(shared.locator(".checksum code").first).to_have_text(re.compile(r"^[0-9a-f]{64}$"))
        shared.emulate_media(media="print")  # the site's print rules: no site chrome, no screen-only help
        expect(shared.locator(".site-header")).to_be_hidden()
        expect(shared.locator(".screen-only")).to_be_hidden()
        expect(shared.locator("tr.pair--flagged")).to_be_visible()
        screenshot_of(shared, screenshot, "shared-print")
        shared.emulate_media(media="screen")

        page.reload()
        page.locator(".share-link--working").get_by_role("button", name="Revoke").click()
        expect(page.get_by_text("Revoked: the link now leads nowhere.")).to_be_visible()
        assert shared.goto(address).status == 404
    finally:
        stranger.close()
    assert problems == []


def screenshot_of(other_page, screenshot, name):
    """The fixture screenshots the owner's tab; this saves the stranger's the same way."""
    path = screenshot(name)
    other_page.screenshot(path=path, full_page=True)
