"""Running a story again replaces its results: while that would discard reviewers' corrections or verdicts,
the Run again button goes to a page that says how many, and the server refuses without ``confirm=1``."""

import pytest

from alignment import review
from alignment.models import EditAction, Job, JobStatus, Verdict
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
    assert f'<a class="chip" href="{url("story_rerun", corrected)}">Run again…</a>' in html
    assert f'action="{url("story_retry", corrected)}"' not in html
    page = owner_client.get(url("story_rerun", corrected)).content.decode()
    # The undone correction is not lost; the standing one and the verdict are.
    assert "<strong>1 correction</strong> to the alignment and <strong>1 reviewed divergence</strong>" in page
    assert "will be lost." in page
    assert '<input type="hidden" name="confirm" value="1">' in page
    assert "Run again and discard them</button>" in page


def test_the_server_refuses_to_run_again_without_confirmation(owner_client, corrected, no_broker):
    response = owner_client.post(url("story_retry", corrected))
    assert response.status_code == 409
    html = response.content.decode()
    assert "The story was not run again: running it again discards 1 correction and 1 reviewed divergence." in html
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
    assert edit.summary == "Ran the story again, discarding 1 correction and 1 reviewed divergence"


def test_corrections_of_an_earlier_run_are_not_counted(corrected):
    Job.objects.filter(story=corrected).update(status=JobStatus.DONE)
    Job.objects.create(story=corrected, status=JobStatus.DONE)  # a later run: its results have no corrections
    lost = review.lost_work(corrected)
    assert lost.corrections == 0


def test_a_second_click_while_a_run_waits_queues_nothing(owner_client, story, no_broker):
    owner_client.post(url("story_retry", story))
    owner_client.post(url("story_retry", story), {"confirm": "1"})
    assert story.jobs.count() == 2


def test_lost_work_reads_as_words():
    assert str(review.LostWork(2, 0)) == "2 corrections"
    assert str(review.LostWork(1, 3)) == "1 correction and 3 reviewed divergences"
    assert not review.LostWork(0, 0)


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
        "detail": "", "corrections": 1, "reviewed_divergences": 1,
        "confirm": 'POST again with {"confirm": true} to go ahead.',
    }
    assert "discards 1 correction and 1 reviewed divergence" in refused.json()["detail"]
    assert corrected.jobs.count() == 1 and no_broker == []
    with django_capture_on_commit_callbacks(execute=True):
        accepted = api.post(address, {"confirm": True}, format="json")
    assert accepted.status_code == 202
    assert corrected.jobs.count() == 2 and len(no_broker) == 1
    assert corrected.edits.filter(action=EditAction.RERUN).count() == 1
