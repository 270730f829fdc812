"""Running a story again replaces its results, keeping its locked pairs (corrected ones among them) and the
reviews of every pair it makes of the same sentences. While reviewers' work on pairs that are not locked is at
risk, the Run again button goes to a page that says how much, and the server refuses without ``confirm=1``."""

import pytest

from alignment import review
from alignment.models import EditAction, JobStatus, Verdict
from tests.review.test_review_operations import HTMX, owner_client, pair, story, url  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

@pytest.fixture
def corrected(story, owner):
    """The story with two corrections, one of them undone, and a verdict."""
    review.merge(story, owner, pair(story, 2).pk)
    review.split(story, owner, pair(story, 3).pk)
    review.undo(story, owner)
    review.review_divergence(story, owner, pair(story, 4).divergences.get().pk, Verdict.CONFIRMED)
    return story


def test_without_reviewers_work_run_again_queues_at_once(owner_client, story, no_broker):
    html = owner_client.get(story.get_absolute_url()).content.decode()
    assert f'<form method="post" action="{url("story_retry", story)}"' in html
    response = owner_client.post(url("story_retry", story))
    assert response.status_code == 302
    assert story.jobs.count() == 2 and story.latest_job().status == JobStatus.QUEUED
    assert story.edits.get().summary == "Ran the story again"


def test_with_corrections_the_button_leads_to_a_page_that_says_what_is_lost(owner_client, corrected):
    html = owner_client.get(corrected.get_absolute_url()).content.decode()
    # The corrected pair is locked: the button re-aligns the rest.
    assert f'<a class="chip" href="{url("story_rerun", corrected)}">Re-align the rest…</a>' in html
    assert f'action="{url("story_retry", corrected)}"' not in html
    page = " ".join(owner_client.get(url("story_rerun", corrected)).content.decode().split())
    # The undone correction is gone, the standing one is locked and kept; the verdict, on a pair not locked, is
    # at risk.
    assert "Its <strong>1 locked pair</strong> stay as they are" in page
    assert "At risk, on pairs that are not locked: <strong>1 reviewed divergence</strong>:" in page
    assert '<input type="hidden" name="confirm" value="1">' in page
    assert "Re-align the rest and risk them</button>" in page


def test_the_server_refuses_to_run_again_without_confirmation(owner_client, corrected, no_broker):
    response = owner_client.post(url("story_retry", corrected))
    assert response.status_code == 409
    html = response.content.decode()
    assert ("The story was not run again: running it again may discard 1 reviewed divergence (on pairs not "
            "locked).") in html
    assert corrected.jobs.count() == 1 and no_broker == []


def test_from_htmx_the_refusal_sends_the_browser_to_the_page_that_asks(owner_client, corrected, no_broker):
    response = owner_client.post(url("story_retry", corrected), **HTMX)
    assert response["HX-Redirect"] == url("story_rerun", corrected)
    assert corrected.jobs.count() == 1


def test_confirmed_it_runs_again_and_the_history_says_what_was_discarded(
    owner_client, owner, corrected, no_broker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(url("story_retry", corrected), {"confirm": "1"})
    assert response.status_code == 302
    latest = corrected.latest_job()
    assert latest.status == JobStatus.QUEUED and no_broker == [latest.pk]
    edit = corrected.edits.filter(action=EditAction.RERUN).get()
    assert edit.user == owner
    assert edit.summary == ("Ran the story again, risking 1 reviewed divergence (on pairs not locked), keeping 1 "
                            "locked pair")


def test_a_corrected_pair_unlocked_is_at_risk(corrected, owner):
    assert review.lost_work(corrected) == review.LostWork(corrections=0, reviews=1, locked=1)
    review.set_locked(corrected, owner, pair(corrected, 2).pk, False)
    assert review.lost_work(corrected) == review.LostWork(corrections=1, reviews=1, locked=0)


def test_a_second_click_while_a_run_waits_queues_nothing(owner_client, story, no_broker):
    owner_client.post(url("story_retry", story))
    owner_client.post(url("story_retry", story), {"confirm": "1"})
    assert story.jobs.count() == 2


def test_lost_work_reads_as_words():
    assert str(review.LostWork(2, 0)) == "2 corrected pairs (on pairs not locked)"
    assert str(review.LostWork(1, 3, locked=4)) == "1 corrected pair and 3 reviewed divergences (on pairs not locked)"
    assert not review.LostWork(0, 0, locked=5)


def test_the_api_refuses_to_run_again_without_confirmation_and_says_what_is_lost(
    owner, corrected, no_broker, django_capture_on_commit_callbacks
):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(owner)
    address = f"/api/stories/{corrected.code}/retry/"
    refused = api.post(address, format="json")
    assert refused.status_code == 409
    assert refused.json() | {"detail": ""} == {
        "detail": "", "corrections": 0, "reviewed_divergences": 1, "locked_pairs": 1,
        "confirm": 'POST again with {"confirm": true} to go ahead.',
    }
    assert "may discard 1 reviewed divergence (on pairs not locked)" in refused.json()["detail"]
    assert corrected.jobs.count() == 1 and no_broker == []
    with django_capture_on_commit_callbacks(execute=True):
        accepted = api.post(address, {"confirm": True}, format="json")
    assert accepted.status_code == 202
    assert corrected.jobs.count() == 2 and len(no_broker) == 1
    assert corrected.edits.filter(action=EditAction.RERUN).count() == 1
