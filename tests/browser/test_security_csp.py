"""The Content Security Policy in a real browser. The ``page`` fixture fails any test whose pages break the policy
(it watches the console); this checks that the watch works: Chromium refuses inline script and style under the
site's own policy, and says so on the console in the words the fixture looks for."""

from tests.browser.conftest import STEP_TIMEOUT_MS

PROBE = (
    "<!doctype html><title>probe</title><p id='styled' style='color: rgb(255, 0, 0)'>Probe</p>"
    "<script>document.title = 'the inline script ran'</script>"
)


def test_the_sites_policy_blocks_inline_code_and_the_browser_says_so(chromium, live_server, db):
    context = chromium.new_context(base_url=live_server.url)
    context.set_default_timeout(STEP_TIMEOUT_MS)
    page = context.new_page()
    console = []
    page.on("console", lambda message: console.append(message.text))
    try:
        policy = page.request.get("/accounts/login/").headers["content-security-policy"]
        page.route("**/probe/", lambda route: route.fulfill(
            status=200, content_type="text/html", body=PROBE, headers={"Content-Security-Policy": policy},
        ))
        page.goto("/probe/")
        assert page.title() == "probe"
        assert page.locator("#styled").evaluate("el => getComputedStyle(el).color") != "rgb(255, 0, 0)"
        refusals = [text for text in console if "Content Security Policy" in text]
        assert any("inline script" in text for text in refusals), console
        assert any("inline style" in text for text in refusals), console
    finally:
        context.close()
