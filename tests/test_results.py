"""Loading a story's stored results, and the one rule for when a story has results to read."""

import pytest
from django.test import Client
from django.urls import reverse

from alignment.models import Job, JobStatus, Story
from tests.conftest import make_story
from tests.test_api import EN, RU, token_client

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------------------------------------------- Ready


def answers(owner, story) -> dict[str, int]:
    """What each way to the results answers: the API's alignment and export, the page's export and report."""
    api = token_client(owner)
    page = Client()
    page.force_login(owner)
    return {
        "api alignment": api.get(f"/api/stories/{story.code}/alignment/").status_code,
        "api export": api.get(f"/api/stories/{story.code}/export/?format=json").status_code,
        "page export": page.get(reverse("story_export", args=[story.code, "json"])).status_code,
        "page report": page.get(reverse("story_report", args=[story.code])).status_code,
    }


@pytest.fixture
def processed(owner, no_broker):
    return make_story(owner, en=EN, ru=RU)


def test_a_done_story_is_served_by_the_api_and_the_page_alike(owner, processed):
    assert processed.results_ready()
    assert set(answers(owner, processed).values()) == {200}


@pytest.mark.parametrize("state", [JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.FAILED])
def test_a_story_whose_latest_job_is_not_done_is_a_conflict_for_the_api_and_the_page_alike(owner, processed, state):
    Job.objects.create(story=processed, status=state)  # a new run, over the results of the first
    assert not processed.results_ready()
    assert set(answers(owner, processed).values()) == {409}


def test_a_story_without_a_job_has_no_results_for_the_api_or_the_page(owner, processed):
    # Its jobs deleted in the admin: the rows and the statistics stay, but its page says it was never processed
    # and offers to process it, so neither the page nor the API serves them, and the API says it can be run.
    processed.jobs.all().delete()
    assert processed.stats and processed.pairs.exists()
    assert not processed.results_ready()
    assert set(answers(owner, processed).values()) == {409}
    data = token_client(owner).get(f"/api/stories/{processed.code}/").json()
    assert (data["status"], data["progress"]) == ("failed", 0.0) and "stats" not in data
    assert token_client(owner).get("/api/stories/").json()["results"][0]["status"] == "failed"


def test_of_two_jobs_created_in_the_same_instant_the_one_saved_last_is_the_latest(owner, processed):
    done = processed.jobs.get()
    queued = Job.objects.create(story=processed, status=JobStatus.QUEUED, created=done.created)
    assert processed.latest_job() == queued and not processed.results_ready()
    assert processed.results_ready(done) and not processed.results_ready(None)
    listed = Story.objects.with_latest_job().get(pk=processed.pk)
    assert (listed.latest_job_id, listed.latest_status) == (queued.pk, JobStatus.QUEUED)
