"""Verdicts on divergences: confirm, dismiss or reopen, with a category and a note; who and when; the filters
by verdict; the review progress and the event that refreshes it; and the exports that carry it all."""

import csv
import io
import json

import pytest
from django.urls import reverse

from alignment import review
from alignment.models import Divergence, DivergenceCategory, EditAction, Verdict
from tests.review.test_review_operations import HTMX, owner_client, pair, story, url  # noqa: F401 (fixtures)
from tests.web.test_views_alignment import rows_of

pytestmark = pytest.mark.django_db

def divergence(story, number):
    return pair(story, number).divergences.get()


def give(client, story, number, verdict, htmx=True, **fields):
    data = {"divergence": divergence(story, number).pk, "verdict": verdict, **fields}
    return client.post(url("story_verdict", story) + "?filter=all&pages=1", data, **(HTMX if htmx else {}))


def test_confirming_from_htmx_returns_the_row_and_the_event_the_progress_follows(owner_client, owner, story):
    response = give(owner_client, story, 5, Verdict.CONFIRMED, category="mistranslation", note="43, not 42.")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<tr class="pair pair--flagged kind-number" id="pair-5">')
    assert '<span class="verdict-badge verdict-badge--confirmed">Confirmed</span>' in html
    assert '<p class="review-note"><strong>Mistranslation</strong>: 43, not 42.</p>' in html
    assert 'data-key="c" aria-pressed="true">Confirm</button>' in html
    assert 'value="pending" class="mini mini--quiet">Reopen</button>' in html
    assert json.loads(response["HX-Trigger"]) == {"review-changed": {}}
    d = divergence(story, 5)
    assert (d.verdict, d.category, d.note, d.reviewed_by) == (Verdict.CONFIRMED, "mistranslation", "43, not 42.", owner)
    assert d.reviewed_at is not None


def test_a_verdict_is_recorded_in_the_history(owner_client, owner, story):
    give(owner_client, story, 2, Verdict.DISMISSED, category="editorial_cut")
    edit = story.edits.get()
    assert (edit.action, edit.user) == (EditAction.VERDICT, owner)
    assert edit.summary == "Dismissed “Only in English” in pair 2 as editorial cut"
    assert edit.payload["before"]["verdict"] == Verdict.PENDING and edit.payload["after"]["verdict"] == "dismissed"


def test_reopening_takes_the_verdict_back_and_keeps_the_note(owner_client, story):
    give(owner_client, story, 2, Verdict.DISMISSED, note="A cut.")
    give(owner_client, story, 2, Verdict.PENDING, note="A cut.")
    d = divergence(story, 2)
    assert (d.verdict, d.note) == (Verdict.PENDING, "A cut.")
    assert review.progress(story).reviewed == 0 and review.progress(story).annotated == 1
    assert [e.summary for e in story.edits.order_by("pk")] == [
        "Dismissed “Only in English” in pair 2 with a note", "Reopened “Only in English” in pair 2",
    ]


def test_a_note_saved_without_a_verdict_is_an_update_of_the_review(owner_client, story):
    give(owner_client, story, 5, Verdict.PENDING, category="other", note="Ask the desk.")
    assert story.edits.get().summary == "Updated the review of “Number” in pair 5 as other with a note"
    assert divergence(story, 5).verdict == Verdict.PENDING


@pytest.mark.parametrize("fields, message", [
    ({"verdict": "maybe"}, "A verdict is one of Not reviewed, Confirmed, Dismissed."),
    ({"verdict": "confirmed", "category": "typo"}, "A category is one of Editorial cut, Mistranslation"),
    ({"verdict": "confirmed", "divergence": "999999"}, "That divergence is no longer there"),
    ({"verdict": "confirmed", "divergence": "x"}, "Choose a divergence to review."),
])
def test_a_wrong_verdict_is_refused_with_the_reason(owner_client, story, fields, message):
    data = {"divergence": divergence(story, 5).pk, **fields}
    response = owner_client.post(url("story_verdict", story), data, **HTMX)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert divergence(story, 5).verdict == Verdict.PENDING and not story.edits.exists()


def test_a_note_over_the_limit_is_refused_naming_the_field_and_the_limit(owner_client, story):
    response = give(owner_client, story, 5, Verdict.CONFIRMED, category="mistranslation", note="x" * 2_001)
    assert response.status_code == 422
    assert "A note is at most 2,000 characters; this one has 2,001." in response.content.decode()
    # Only the notice changes (hx-retarget): the form, with everything typed in it, stays on the page.
    assert response["HX-Retarget"] == "#notice"
    assert divergence(story, 5).verdict == Verdict.PENDING and not story.edits.exists()


def test_a_note_of_exactly_the_limit_is_kept_whole(owner_client, story):
    note = "Ё" * 2_000
    assert give(owner_client, story, 5, Verdict.CONFIRMED, note=f"  {note}\n").status_code == 200
    assert divergence(story, 5).note == note


def test_a_divergence_of_another_story_cannot_be_reviewed_through_this_one(owner_client, owner, story):
    from tests.web.test_views_alignment import Div, build_story

    other = build_story(owner, [(["One two three four."], [], [Div("only_en")])], title="Other")
    theirs = other.pairs.get().divergences.get()
    response = owner_client.post(url("story_verdict", story), {"divergence": theirs.pk, "verdict": "confirmed"}, **HTMX)
    assert response.status_code == 422
    assert Divergence.objects.get(pk=theirs.pk).verdict == Verdict.PENDING


def test_without_javascript_a_verdict_goes_back_to_the_pair(owner_client, story):
    response = give(owner_client, story, 5, Verdict.CONFIRMED, htmx=False)
    assert response.status_code == 302
    assert response["Location"] == f"{story.get_absolute_url()}?filter=all#pair-5"


def test_every_divergence_has_its_verdict_form_with_the_categories(owner_client, story):
    html = owner_client.get(story.get_absolute_url()).content.decode()
    assert html.count('<form class="verdict" method="post"') == 3
    assert html.count('data-key="c" aria-pressed="false">Confirm</button>') == 3
    for value, label in DivergenceCategory.choices:
        assert f'<option value="{value}">{label}</option>' in html


# ---------------------------------------------------------------------------------------------------- Filters


def test_the_pairs_can_be_filtered_by_verdict_in_the_same_url_scheme(owner_client, story):
    give(owner_client, story, 2, Verdict.CONFIRMED)
    give(owner_client, story, 3, Verdict.DISMISSED)
    shown = {}
    for value, label in (("unreviewed", "Not reviewed"), ("confirmed", "Confirmed"), ("dismissed", "Dismissed")):
        html = owner_client.get(f"{story.get_absolute_url()}?filter={value}").content.decode()
        shown[value] = [int(row.rsplit("pair-", 1)[1].rstrip('">')) for row in rows_of(html)]
        assert f'aria-current="true">{label} <span class="chip__count">' in html
    assert shown == {"unreviewed": [5], "confirmed": [2], "dismissed": [3]}
    fragment = owner_client.get(url("story_pairs", story) + "?filter=confirmed", **HTMX).content.decode()
    assert fragment.lstrip().startswith('<div id="alignment"') and len(rows_of(fragment)) == 1


def test_the_verdict_chips_sit_after_the_kinds_with_their_counts(owner_client, story):
    give(owner_client, story, 2, Verdict.CONFIRMED)
    html = owner_client.get(story.get_absolute_url()).content.decode()
    nav = html[html.index('<nav id="filters"'):html.index("</nav>", html.index('<nav id="filters"'))]
    assert nav.index("Partial") < nav.index(">Review</span>") < nav.index("Not reviewed")
    story_url, pairs_url = story.get_absolute_url(), url("story_pairs", story)
    assert (f'<a href="{story_url}?filter=confirmed" hx-get="{pairs_url}?filter=confirmed" hx-target="#alignment"\n'
            f'         hx-swap="outerHTML" hx-push-url="{story_url}?filter=confirmed"\n'
            '         class="chip chip--verdict verdict-confirmed"') in nav
    assert 'Not reviewed <span class="chip__count">2</span>' in nav
    assert 'Confirmed <span class="chip__count">1</span>' in nav
    assert 'Dismissed <span class="chip__count">0</span>' in nav


# ---------------------------------------------------------------------------------------------------- Progress


def test_the_story_shows_how_many_divergences_are_reviewed(owner_client, story):
    html = owner_client.get(story.get_absolute_url()).content.decode()
    assert '<span class="review-count">0 of 3</span>' in html
    assert (f'hx-get="{url("story_progress", story)}?filter=all" hx-trigger="review-changed from:body" '
            'hx-swap="outerHTML"') in html
    give(owner_client, story, 2, Verdict.CONFIRMED)
    give(owner_client, story, 3, Verdict.DISMISSED)
    give(owner_client, story, 3, Verdict.CONFIRMED)  # changed, still one
    html = owner_client.get(story.get_absolute_url()).content.decode()
    assert '<span class="review-count">2 of 3</span>' in html
    assert '<progress class="review-bar" max="3" value="2" aria-label="Divergences reviewed">67%</progress>' in html


def test_the_progress_fragment_brings_the_chips_along_out_of_band(owner_client, story):
    give(owner_client, story, 5, Verdict.DISMISSED)
    response = owner_client.get(url("story_progress", story) + "?filter=dismissed", **HTMX)
    html = response.content.decode()
    assert html.lstrip().startswith('<div class="stat stat--review" id="review-progress"')
    assert '<span class="review-count">1 of 3</span>' in html
    assert '<nav id="filters" class="filters" aria-label="Show pairs" hx-swap-oob="true">' in html
    assert 'aria-current="true">Dismissed <span class="chip__count">1</span>' in html
    assert "<html" not in html


def test_without_htmx_the_progress_fragment_is_the_story_page(owner_client, story):
    response = owner_client.get(url("story_progress", story))
    assert response.status_code == 302 and response["Location"] == story.get_absolute_url()


def test_the_progress_counts_add_up(story, owner):
    progress = review.progress(story)
    assert (progress.reviewed, progress.total, progress.percent) == (0, 3, 0)
    review.review_divergence(story, owner, divergence(story, 5).pk, Verdict.CONFIRMED)
    progress = review.progress(story)
    assert (progress.reviewed, progress.total, progress.percent) == (1, 3, 33)
    assert progress.by_verdict == {"pending": 2, "confirmed": 1, "dismissed": 0}


# ---------------------------------------------------------------------------------------------------- Exports


def test_the_divergence_report_carries_the_category_the_reviewer_and_the_time(owner_client, owner, story):
    give(owner_client, story, 5, Verdict.CONFIRMED, category="mistranslation", note="43, not 42.")
    reviewed_at = divergence(story, 5).reviewed_at
    content = owner_client.get(reverse("story_export", args=[story.code, "csv"])).content.decode("utf-8-sig")
    rows = {row["kind"]: row for row in csv.DictReader(io.StringIO(content))}
    assert (rows["number"]["verdict"], rows["number"]["category"], rows["number"]["note"]) == (
        "confirmed", "mistranslation", "43, not 42."
    )
    assert rows["number"]["reviewed_by"] == "olga"
    assert rows["number"]["reviewed_at"] == reviewed_at.isoformat()
    assert rows["only_en"]["reviewed_by"] == "" and rows["only_en"]["category"] == ""


def test_my_stories_says_how_far_each_review_has_come(owner_client, story):
    give(owner_client, story, 5, Verdict.CONFIRMED)
    html = owner_client.get(reverse("stories")).content.decode()
    assert '<span class="muted review-state">1 of 3 reviewed</span>' in html
