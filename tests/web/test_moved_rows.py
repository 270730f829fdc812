"""Moved passages on the story page: each side's row links to the other's, the similarity map draws the link, and
corrections and their undo keep what the run found."""

import re

import pytest
from django.urls import reverse

from alignment import review
from alignment.models import Divergence
from tests.api.test_api import token_client
from tests.review.test_review_operations import HTMX, layout_of, pair
from tests.web.test_views_alignment import Div, build_story

pytestmark = pytest.mark.django_db

QUOTE_EN = "“We will rebuild it,” the mayor said."
QUOTE_RU = "«Мы его восстановим», — сказал мэр."


@pytest.fixture
def story(owner):
    """The English version opens with the mayor's quote, the Russian one tells it last."""
    built = build_story(owner, [
        ([QUOTE_EN], [], [Div("moved", "Moved: the Russian version has this at sentence 3")]),
        (["The bridge collapsed on Monday."], ["Мост обрушился в понедельник."], []),
        (["Nobody was hurt."], ["Никто не пострадал."], []),
        ([], [QUOTE_RU], [Div("moved", "Moved: the English version has this at sentence 1")]),
    ])
    Divergence.objects.filter(pair__story=built, pair__order=0).update(counterpart={"en": [], "ru": [2]})
    Divergence.objects.filter(pair__story=built, pair__order=3).update(counterpart={"en": [0], "ru": []})
    return built


def row(html, number):
    start = html.index(f'id="pair-{number}"')
    return html[start:html.index("</tr>", start)]


def links(html_row):
    return re.findall(r'<a class="counterpart__link" href="([^"]+)" data-pair="(\d+)">([^<]+)</a>', html_row)


def test_each_sides_row_links_to_the_others(client, owner, story):
    client.force_login(owner)
    html = client.get(story.get_absolute_url()).content.decode()
    to_russian, to_english = links(row(html, 1)), links(row(html, 4))
    assert to_russian == [(reverse("story_pair", args=[story.code, 4]), "4",
                           "Go to its counterpart: Russian sentence 3, pair 4")]
    assert to_english == [(reverse("story_pair", args=[story.code, 1]), "1",
                           "Go to its counterpart: English sentence 1, pair 1")]
    assert "kind-moved" in row(html, 1) and "Moved" in row(html, 4)


def test_a_link_to_a_row_not_loaded_yet_opens_the_page_that_holds_it(client, owner, story):
    client.force_login(owner)
    response = client.get(reverse("story_pair", args=[story.code, 4]))
    assert response.status_code == 302 and response["Location"].endswith("#pair-4")


def test_the_similarity_map_draws_the_link_through_the_cell_where_the_two_meet(client, owner, story):
    client.force_login(owner)
    html = client.get(reverse("story_similarity_map", args=[story.code]), **HTMX).content.decode()
    # The English row stands at Russian place 0, English sentence 0; its counterpart is Russian sentence 2,
    # whose row stands at English place 3 (after the three English sentences).
    assert '<path class="simmap__link" d="M0 0.5H2.5V3"></path>' in html
    assert re.search(r'<rect class="simmap__mark simmap__meet kind-moved" x="2" y="0" width="1" height="1" '
                     r'data-pair="4">', html)


def test_the_api_gives_each_moved_divergence_its_counterpart(owner, story):
    data = token_client(owner).get(f"/api/stories/{story.code}/alignment/").json()
    moved = [(p["en"], p["ru"], d["counterpart"]) for p in data["pairs"] for d in p["divergences"]]
    assert moved == [([0], [], {"en": [], "ru": [2]}), ([], [2], {"en": [0], "ru": []})]


def test_a_correction_that_leaves_the_sentences_unpaired_keeps_the_move(owner, story):
    review.merge(story, owner, pair(story, 1).pk)  # the quote joins the next pair: the move is gone from here
    assert [d.kind for d in pair(story, 1).divergences.all()] != ["moved"]
    review.detach(story, owner, pair(story, 1).pk, "en", 0)  # and leaves it again: the run's move holds once more
    assert layout_of(story)[0] == ((0,), ())
    [moved] = pair(story, 1).divergences.all()
    assert (moved.kind, moved.counterpart) == ("moved", {"en": [], "ru": [2]})


def test_undo_gives_back_the_counterpart(owner, story):
    review.merge(story, owner, pair(story, 1).pk)
    review.undo(story, owner)
    [moved] = pair(story, 1).divergences.all()
    assert (moved.kind, moved.counterpart) == ("moved", {"en": [], "ru": [2]})


def test_a_moved_passage_of_two_pairs_is_one_block_linking_once_to_its_counterpart(client, owner):
    story = build_story(owner, [
        (["First moved sentence."], [], [Div("moved", "Moved: the Russian version has this at sentences 2–3")]),
        (["Second moved sentence."], [], [Div("moved", "Moved: the Russian version has this at sentences 2–3")]),
        (["The bridge collapsed."], ["Мост обрушился."], []),
        ([], ["Первое перенесённое предложение."], [Div("moved", "Moved: the English version has this there")]),
        ([], ["Второе перенесённое предложение."], [Div("moved", "Moved: the English version has this there")]),
    ])
    Divergence.objects.filter(pair__story=story, pair__order__lt=2).update(counterpart={"en": [], "ru": [1, 2]})
    Divergence.objects.filter(pair__story=story, pair__order__gt=2).update(counterpart={"en": [0, 1], "ru": []})
    client.force_login(owner)
    html = client.get(story.get_absolute_url()).content.decode()
    assert links(row(html, 1)) == [(reverse("story_pair", args=[story.code, 4]), "4",
                                    "Go to its counterpart: Russian sentences 2–3, pair 4")]
    assert links(row(html, 4)) == [(reverse("story_pair", args=[story.code, 1]), "1",
                                    "Go to its counterpart: English sentences 1–2, pair 1")]
    assert 'kind-moved pair--passage" id="pair-1"' in html and "One passage: 2 pairs, 2 sentences" in row(html, 1)
