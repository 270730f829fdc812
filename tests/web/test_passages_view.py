"""Passages on the story page, in the JSON and in the review: a run of unpaired sentences on one side is one block
with one verdict, counted as passages and sentences; furniture comes folded."""

import io
import json
import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from alignment import review
from alignment.models import Divergence, EditAction, Verdict
from alignment.results import load_results
from alignment.web import rows
from tests.api.test_api import token_client
from tests.review.test_review_operations import HTMX, url
from tests.web.test_views_alignment import Div, build_story, rows_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(owner):
    return build_story(owner, [
        (["The mayor opened the bridge."], ["Мэр открыл мост."], []),
        (["The first cut sentence."], [], [Div("only_en", "Only in English.", 0.6)]),
        (["The second cut sentence.", "The third."], [], [Div("only_en", "Only in English.", 0.7),
                                                          Div("meaning", "Put in place of another.", 0.4)]),
        (["It cost 42 million dollars."], ["Он стоил 43 миллиона долларов."], [Div("number", "42 vs 43.", 0.8)]),
        ([], ["Поддержите нас."], [Div("boilerplate", "A donation appeal.", 0.1)]),
        ([], ["Подпишитесь на рассылку."], [Div("boilerplate", "A newsletter box.", 0.1)]),
        ([], ["Наш канал в Telegram."], [Div("boilerplate", "A newsletter box.", 0.1)]),
        (["The bridge opens in May."], ["Мост откроют в мае."], []),
        (["Subscribe to our newsletter."], [], [Div("boilerplate", "A newsletter box.", 0.1)]),
    ])


def page(client, owner, story, query=""):
    client.force_login(owner)
    return client.get(story.get_absolute_url() + query).content.decode()


def ids_of(story, *numbers):
    return [story.pairs.get(order=n - 1).pk for n in numbers]


def give(client, story, pairs, verdict, **fields):
    data = {"pairs": ",".join(map(str, pairs)), "verdict": verdict, **fields}
    return client.post(url("story_passage_verdict", story) + "?filter=all&pages=1", data, **HTMX)


EXPECTED = [
    {"side": "en", "kind": "only_en", "pairs": [1, 2], "sentences": 3},
    {"side": "ru", "kind": "boilerplate", "pairs": [4, 5, 6], "sentences": 3},
    {"side": "en", "kind": "boilerplate", "pairs": [8], "sentences": 1},
]


# ---------------------------------------------------------------------------------------------------- The JSON


def test_the_api_names_the_pairs_of_each_passage(owner, story):
    data = token_client(owner).get(f"/api/stories/{story.code}/alignment/").json()
    assert data["passages"] == EXPECTED
    assert list(data) == ["embedder", "sentences", "pairs", "passages", "stats"]


def test_the_json_export_carries_the_same_passages(client, owner, story):
    client.force_login(owner)
    response = client.get(reverse("story_export", args=[story.code, "json"]))
    assert json.loads(response.content)["passages"] == EXPECTED


def test_the_command_line_lists_a_passage_for_every_run_of_unpaired_sentences(tmp_path):
    en = "The talks failed on Monday.\nBoth sides left.\nDonate to keep us going.\nSupport our journalism.\n"
    ru = "Переговоры провалились в понедельник.\nОбе стороны уехали.\n"
    (tmp_path / "en.txt").write_text(en, encoding="utf-8")
    (tmp_path / "ru.txt").write_text(ru, encoding="utf-8")
    out = io.StringIO()
    call_command("align", str(tmp_path / "en.txt"), str(tmp_path / "ru.txt"), "--presegmented", stdout=out)
    data = json.loads(out.getvalue())
    unpaired = [k for k, p in enumerate(data["pairs"]) if not (p["en"] and p["ru"])]
    assert unpaired and [k for p in data["passages"] for k in p["pairs"]] == unpaired
    for passage in data["passages"]:
        assert passage["sentences"] == sum(len(data["pairs"][k][passage["side"]]) for k in passage["pairs"])


# ---------------------------------------------------------------------------------------------------- The page


def test_a_passage_is_one_block_with_one_verdict_form(client, owner, story):
    html = page(client, owner, story)
    block = re.search(r'<tr class="pair pair--flagged kind-only_en pair--passage" id="pair-2">(.*?)</tr>', html, re.S)
    assert block, "the passage of pairs 2 and 3 is one row"
    assert '<span class="num__n">2–3</span>' in block[1]
    assert 'id="pair-3"' in block[1]  # a link to the second pair still lands in the block
    assert block[1].count('<form class="verdict"') == 1
    assert f'name="pairs" value="{",".join(map(str, ids_of(story, 2, 3)))}"' in block[1]
    assert "One passage: 2 pairs, 3 sentences. A verdict here goes to its 3 divergences." in block[1]
    assert block[1].count('class="row-menu"') == 2  # each pair can still be corrected
    assert len(rows_of(html)) == 6  # 9 pairs: 2 in one block, 3 in another


def test_furniture_comes_folded_and_dimmed_with_its_count(client, owner, story):
    html = page(client, owner, story)
    assert '<tr class="pair pair--flagged kind-boilerplate pair--passage pair--furniture" id="pair-5">' in html
    assert ('<details class="furniture"><summary class="furniture__summary" lang="en">Outlet furniture — 3 sentences'
            '</summary>') in html
    assert "Outlet furniture — 1 sentence</summary>" in html
    assert '<details class="furniture" open' not in html


def test_the_counts_go_by_passages_and_sentences(client, owner, story):
    html = page(client, owner, story)
    assert '<span class="badge badge--small kind-only_en">Only in English: 1 passage, 3 sentences</span>' in html
    assert '<span class="badge badge--small kind-boilerplate">Boilerplate: 2 passages, 4 sentences</span>' in html
    assert '<span class="badge badge--small kind-number">Number 1</span>' in html
    assert 'Only in English: <span class="chip__count">1 passage, 3 sentences</span>' in html
    assert 'Boilerplate: <span class="chip__count">2 passages, 4 sentences</span>' in html


def test_a_filter_that_picks_one_pair_of_a_passage_shows_all_of_it(client, owner, story):
    html = page(client, owner, story, "?filter=meaning")
    assert rows_of(html) == ['<tr class="pair pair--flagged kind-only_en pair--passage" id="pair-2">']
    assert "The first cut sentence." in html and "The third." in html


def test_a_passage_is_not_cut_by_the_end_of_a_page(client, owner, story, monkeypatch):
    monkeypatch.setattr(rows, "PAIRS_PER_PAGE", 2)
    first = page(client, owner, story)
    assert [re.search(r'id="(pair-\d+)"', r)[1] for r in rows_of(first)] == ["pair-1", "pair-2"]
    assert "The second cut sentence." in first
    second = page(client, owner, story, "?page=2")
    assert [re.search(r'id="(pair-\d+)"', r)[1] for r in rows_of(second)] == ["pair-4"]
    assert "The second cut sentence." not in second
    monkeypatch.setattr(rows, "PAIRS_PER_PAGE", 1)
    rest = client.get(url("story_pairs", story) + "?filter=all&page=3", **HTMX).content.decode()
    assert not rows_of(rest) and "No pairs to show" not in rest  # pair 3 came with pair 2, on page 2
    assert 'id="load-more"' in rest and "page=4" in rest


# ---------------------------------------------------------------------------------------------------- The verdict


def test_a_verdict_on_a_passage_reaches_every_divergence_of_its_pairs(client, owner, story):
    client.force_login(owner)
    response = give(client, story, ids_of(story, 2, 3), Verdict.CONFIRMED, category="editorial_cut", note="Cut.")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<tr class="pair pair--flagged kind-only_en pair--passage" id="pair-2">')
    assert '<span class="verdict-badge verdict-badge--confirmed">Confirmed</span>' in html
    assert json.loads(response["HX-Trigger"]) == {"review-changed": {}}
    reviewed = Divergence.objects.filter(pair__in=ids_of(story, 2, 3))
    assert reviewed.count() == 3
    assert {(d.verdict, d.category, d.note, d.reviewed_by) for d in reviewed} == {
        (Verdict.CONFIRMED, "editorial_cut", "Cut.", owner)
    }
    assert Divergence.objects.exclude(pair__in=ids_of(story, 2, 3)).filter(verdict=Verdict.CONFIRMED).count() == 0
    edit = story.edits.get()
    assert (edit.action, edit.user) == (EditAction.VERDICT, owner)
    assert edit.summary == ("Confirmed the passage “Only in English” in pairs 2–3 (3 sentences) as editorial cut "
                            "with a note")
    assert review.progress(story).reviewed == 3


def test_reopening_a_passage_takes_every_verdict_back(client, owner, story):
    client.force_login(owner)
    give(client, story, ids_of(story, 5, 6, 7), Verdict.DISMISSED, category="boilerplate")
    give(client, story, ids_of(story, 5, 6, 7), Verdict.PENDING, category="boilerplate")
    assert set(Divergence.objects.filter(pair__in=ids_of(story, 5, 6, 7)).values_list("verdict", flat=True)) == {
        Verdict.PENDING
    }
    assert [e.summary for e in story.edits.order_by("pk")] == [
        "Dismissed the passage “Boilerplate” in pairs 5–7 (3 sentences) as boilerplate",
        "Reopened the passage “Boilerplate” in pairs 5–7 (3 sentences) as boilerplate",
    ]


def test_a_passage_note_over_the_limit_is_refused_naming_the_field_and_the_limit(client, owner, story):
    client.force_login(owner)
    response = give(client, story, ids_of(story, 2, 3), "dismissed", note="x" * 2_001)
    assert response.status_code == 422
    assert "A note is at most 2,000 characters" in response.content.decode()
    assert not Divergence.objects.exclude(verdict=Verdict.PENDING).exists() and not story.edits.exists()


def test_without_javascript_a_verdict_goes_back_to_the_passage(client, owner, story):
    client.force_login(owner)
    response = client.post(url("story_passage_verdict", story) + "?filter=all",
                           {"pairs": ",".join(map(str, ids_of(story, 2, 3))), "verdict": "dismissed"})
    assert response.status_code == 302 and response["Location"].endswith("?filter=all#pair-2")


@pytest.mark.parametrize("pairs, message", [
    ("2", "That passage is no longer there"),  # only part of it
    ("2,3,4", "That passage is no longer there"),  # more than it
    ("1", "That passage is no longer there"),  # a pair with both sides
    ("x", "Choose a passage to review."),
])
def test_a_verdict_on_what_is_not_a_passage_is_refused(client, owner, story, pairs, message):
    client.force_login(owner)
    numbers = {"1": [1], "2": [2], "2,3,4": [2, 3, 4]}
    ids = ",".join(map(str, ids_of(story, *numbers[pairs]))) if pairs in numbers else pairs
    response = client.post(url("story_passage_verdict", story), {"pairs": ids, "verdict": "confirmed"}, **HTMX)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Divergence.objects.exclude(verdict=Verdict.PENDING).exists() and not story.edits.exists()


def test_another_user_cannot_give_a_passage_a_verdict(client, other_user, story):
    client.force_login(other_user)
    response = give(client, story, ids_of(story, 2, 3), Verdict.CONFIRMED)
    assert response.status_code == 404
    assert not Divergence.objects.exclude(verdict=Verdict.PENDING).exists() and not story.edits.exists()


def test_a_passage_verdict_needs_the_csrf_token(owner, story):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    response = give(client, story, ids_of(story, 2, 3), Verdict.CONFIRMED)
    assert response.status_code == 403
    assert not Divergence.objects.exclude(verdict=Verdict.PENDING).exists()


def test_the_stored_passages_are_those_of_the_pipeline(story):
    found = load_results(story).passages
    assert [([story.pairs.get(pk=pk).order for pk in p.pairs], p.passage.kind, p.passage.sentences) for p in found] == [
        ([1, 2], "only_en", 3), ([4, 5, 6], "boilerplate", 3), ([8], "boilerplate", 1),
    ]
