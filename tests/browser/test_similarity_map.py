"""The similarity map in the browser: it loads on the story page, and a click on it brings the row of the pair at
that point into view, highlighted and focused, loading the page of rows that holds it when it is not shown."""

import re

import pytest
from playwright.sync_api import expect

from alignment import jobs, samples
from alignment.models import DivergenceKind
from alignment.web.rows import PAIRS_PER_PAGE
from tests.conftest import make_story
from tests.web.test_similarity_map import add_map
from tests.web.test_views_alignment import build_story, many_pairs


@pytest.fixture
def sample_story(owner, no_broker):
    """The shipped sample, processed in this process: its Russian copy leaves out a sentence on purpose."""
    sample = samples.sample_story()
    return make_story(owner, title=sample.title, en=sample.en, ru=sample.ru)


def sentences(pair, lang):
    return sorted(s.index for s in pair.sentences.all() if s.language == lang)


def click_cell(plot, en: int, ru: int, en_count: int, ru_count: int):
    """Click the middle of the cell of English sentence ``en`` and Russian sentence ``ru`` (0-based)."""
    box = plot.bounding_box()
    plot.click(position={"x": (ru + 0.5) / ru_count * box["width"], "y": (en + 0.5) / en_count * box["height"]})


def test_a_point_of_the_map_brings_its_pair_into_view(page, sample_story, screenshot):
    pairs = list(sample_story.pairs.order_by("order").prefetch_related("sentences"))
    n, m = sample_story.stats["en_sentences"], sample_story.stats["ru_sentences"]
    page.goto(sample_story.get_absolute_url())
    plot = page.locator("#similarity-map .simmap__plot")
    expect(plot).to_be_visible()
    expect(page.locator("#similarity-map .simmap__image")).to_have_count(1)
    screenshot("map")

    # The last pair with a sentence on each side: its cell is on the line, its row below the fold.
    last = next(p for p in reversed(pairs) if sentences(p, "en") and sentences(p, "ru"))
    row = page.locator(f"#pair-{last.order + 1}")
    expect(row).not_to_be_in_viewport()
    click_cell(plot, sentences(last, "en")[0], sentences(last, "ru")[0], n, m)
    expect(row).to_be_in_viewport()
    expect(row).to_have_class(re.compile(r"\bpair--located\b"))
    expect(row).to_be_focused()
    screenshot("row-located")

    # A box of a divergence leads to its pair, here the English sentence left out of the Russian copy.
    only_en = next(p for p in pairs if p.divergences.filter(kind=DivergenceKind.ONLY_EN).exists())
    page.locator("#similarity-map .simmap__mark.kind-only_en").first.click()
    lone = page.locator(f"#pair-{only_en.order + 1}")
    expect(lone).to_be_focused()
    expect(lone).to_have_class(re.compile(r"\bpair--located\b"))
    expect(row).not_to_have_class(re.compile(r"\bpair--located\b"))

    # Off the line, a point goes to the pair of its English sentence.
    first_en = next(p for p in pairs if sentences(p, "en") and sentences(p, "ru"))
    click_cell(plot, sentences(first_en, "en")[0], m - 1, n, m)
    expect(page.locator(f"#pair-{first_en.order + 1}")).to_be_focused()
    expect(page.locator("#client-error")).to_be_hidden()


def test_a_pair_on_a_later_page_of_rows_is_loaded_and_shown(page, owner, screenshot):
    count = PAIRS_PER_PAGE + 30
    story = build_story(owner, many_pairs(count), title="A long story")
    add_map(story, count, count)
    page.goto(story.get_absolute_url())
    plot = page.locator("#similarity-map .simmap__plot")
    expect(plot).to_be_visible()
    expect(page.locator("#pair-rows tr.pair")).to_have_count(PAIRS_PER_PAGE)

    # A row on this page: no page is loaded, the row is found where it is.
    click_cell(plot, 60, 60, count, count)
    expect(page.locator("#pair-61")).to_be_focused()
    expect(page.locator("#pair-61")).to_be_in_viewport()

    # A row past "Load more": the page of rows that holds it is loaded, and it is shown, highlighted.
    target = PAIRS_PER_PAGE + 20
    click_cell(plot, target - 1, target - 1, count, count)
    expect(page).to_have_url(re.compile(rf"\?page=2#pair-{target}$"))
    row = page.locator(f"#pair-{target}")
    expect(row).to_be_in_viewport()
    expect(page.locator(f"#pair-{target}:target")).to_have_count(1)
    expect(page.locator("#similarity-map .simmap__plot")).to_be_visible()
    expect(row).to_be_in_viewport()  # still, once the map has come in above the rows
    screenshot("later-page")


def test_the_map_comes_in_when_the_job_finishes(page, owner, no_broker):
    sample = samples.sample_story()
    story = make_story(owner, title=sample.title, en=sample.en, ru=sample.ru, process=False)
    page.goto(story.get_absolute_url())
    expect(page.locator("#story-state.state--active")).to_be_visible()
    expect(page.locator("#similarity-map")).to_be_empty()

    # The worker's part, done here: the page, polling, shows the results, and the map follows them.
    jobs.run_job(story.jobs.get().pk)
    expect(page.locator("#story-state.state--done")).to_be_visible()
    expect(page.locator("#similarity-map .simmap__image")).to_have_count(1)
    expect(page.locator("#similarity-map details.simmap")).to_have_attribute("open", "")
