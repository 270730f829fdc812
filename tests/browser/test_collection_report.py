"""The collection report in a real browser: its charts draw under the Content Security Policy (the ``page`` fixture
fails on any violation), with their tables beside them, and the page prints without the site's chrome."""

from django.urls import reverse
from playwright.sync_api import expect

from tests.corpus.report_rows import handmade


def test_the_report_draws_its_charts_and_prints_without_the_sites_chrome(page, owner, screenshot):
    collection, _ = handmade(owner)
    page.goto(reverse("collection_report", args=[collection.code]))
    expect(page.get_by_role("heading", name=f"Report: {collection.name}")).to_be_visible()
    charts = page.get_by_role("img")
    expect(charts).to_have_count(4)
    for name in ("Divergences by kind", "Divergences per story, by month of publication"):
        chart = page.get_by_role("img", name=name)
        expect(chart).to_be_visible()
        assert chart.bounding_box()["height"] > 40
    # The table beside the first chart: the same numbers, as text.
    expect(page.locator(".chart-figure").first.get_by_role("row", name="Name 3")).to_be_visible()
    screenshot("report")
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    assert page.locator("#chart-kinds").evaluate("el => getComputedStyle(el).color") == "rgb(0, 0, 0)"
    screenshot("report-print")
