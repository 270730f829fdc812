"""The filter chips of the alignment table: each shows only its rows, swapped in by htmx, and the URL keeps it."""

import re

import pytest
from playwright.sync_api import expect

from alignment import samples
from alignment.models import DivergenceKind
from alignment.results import load_results
from tests.conftest import make_story


def shown_rows(story, pairs) -> int:
    """The rows the table shows for these pairs: a passage shown as a block (web.rows.as_blocks) is one row, and
    shows whole when a filter picks any pair of it."""
    ids = set(pairs.values_list("pk", flat=True))
    blocks = [set(p.pairs) for p in load_results(story).passages
              if len(p.pairs) > 1 or p.passage.kind == DivergenceKind.BOILERPLATE]
    touched = [block for block in blocks if ids & block]
    return len(ids.union(*touched)) - sum(len(block) - 1 for block in touched)


@pytest.fixture
def sample_story(owner, no_broker):
    """The shipped sample, processed in this process: its Russian copy leaves out a sentence on purpose."""
    sample = samples.sample_story()
    return make_story(owner, title=sample.title, en=sample.en, ru=sample.ru)


def test_the_filter_chips_show_only_the_matching_rows(page, sample_story, screenshot):
    pairs = sample_story.pairs
    total = shown_rows(sample_story, pairs.all())
    divergent = shown_rows(sample_story, pairs.filter(divergences__isnull=False).distinct())
    only_en = shown_rows(sample_story, pairs.filter(divergences__kind=DivergenceKind.ONLY_EN).distinct())
    assert 0 < only_en <= divergent < total

    page.goto(sample_story.get_absolute_url())
    rows = page.locator("#pair-rows tr.pair")
    chips = page.get_by_role("navigation", name="Show pairs")
    expect(rows).to_have_count(total)
    screenshot("all-pairs")

    chips.get_by_role("link", name="Divergent only").click()
    expect(page).to_have_url(re.compile(r"\?filter=divergent$"))
    expect(rows).to_have_count(divergent)
    expect(page.locator("#pair-rows tr.pair:not(.pair--flagged)")).to_have_count(0)
    expect(chips.get_by_role("link", name="Divergent only")).to_have_attribute("aria-current", "true")
    screenshot("divergent-only")

    chips.get_by_role("link", name=DivergenceKind.ONLY_EN.label).click()
    expect(page).to_have_url(re.compile(r"\?filter=only_en$"))
    expect(rows).to_have_count(only_en)
    expect(page.locator("#pair-rows tr.pair:not(:has(.badge.kind-only_en))")).to_have_count(0)
    expect(rows.first.locator("td[lang=ru]")).to_contain_text("No Russian sentence")
    screenshot("only-in-english")

    # The URL keeps the filter: loading it afresh shows the same rows, and the same chip is current.
    page.reload()
    expect(rows).to_have_count(only_en)
    expect(chips.get_by_role("link", name=DivergenceKind.ONLY_EN.label)).to_have_attribute("aria-current", "true")

    chips.get_by_role("link", name="All pairs").click()
    expect(page).to_have_url(re.compile(r"\?filter=all$"))
    expect(rows).to_have_count(total)
    page.go_back()
    expect(page).to_have_url(re.compile(r"\?filter=only_en$"))
    expect(rows).to_have_count(only_en)
    expect(page.locator("#client-error")).to_be_hidden()
