"""The story page while its job runs: progress, polling, the 286 that stops it, failure and retry."""

import pytest
from django.urls import reverse

from alignment.models import Document, Job, JobStatus, Story
from tests.conftest import make_story

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def waiting(db, owner):
    """A saved story whose job has not run."""
    return make_story(owner, title="Waiting story", process=False, en="One. Two.", ru="Один. Два.")


def set_job(story, **fields):
    Job.objects.filter(story=story).update(**fields)


def page(client, user, url, **headers):
    client.force_login(user)
    return client.get(url, **headers)


def status_url(story):
    return reverse("story_status", args=[story.code])


def test_it_shows_the_title_and_the_source_urls(client, owner, waiting):
    Document.objects.filter(story=waiting, language="en").update(source_url="https://example.org/en/story")
    html = page(client, owner, waiting.get_absolute_url()).content.decode()
    assert "<h1>Waiting story</h1>" in html
    assert 'href="https://example.org/en/story"' in html
    assert "Russian source" not in html


def test_a_running_job_shows_a_progress_bar_and_its_stage_in_words(client, owner, waiting):
    set_job(waiting, status=JobStatus.RUNNING, stage="embed", progress=0.3, enqueued=True)
    html = page(client, owner, waiting.get_absolute_url()).content.decode()
    assert '<progress max="100" value="30"' in html
    assert "Embedding" in html
    assert "Running · 30%" in html


@pytest.mark.parametrize(("stage", "words"), [
    ("segment", "Splitting sentences"),
    ("embed", "Embedding"),
    ("align", "Aligning"),
    ("diverge", "Finding divergences"),
    ("save", "Saving"),
])
def test_each_stage_is_named_in_words(client, owner, waiting, stage, words):
    set_job(waiting, status=JobStatus.RUNNING, stage=stage, enqueued=True)
    assert f'<strong class="stage">{words}</strong>' in page(client, owner, waiting.get_absolute_url()).content.decode()


def test_the_progress_region_polls_the_status_every_second(client, owner, waiting):
    set_job(waiting, enqueued=True)
    html = page(client, owner, waiting.get_absolute_url()).content.decode()
    assert (f'<section id="story-state" class="state state--active"\n'
            f'         hx-get="{status_url(waiting)}"\n'
            f'         hx-trigger="every 1s" hx-swap="outerHTML">') in html
    assert "Waiting for a worker" in html


def test_a_job_the_broker_has_not_taken_says_processing_is_delayed(client, owner, waiting):
    set_job(waiting, enqueued=False)
    html = page(client, owner, waiting.get_absolute_url()).content.decode()
    assert ("Waiting for the queue: processing is delayed, the story is saved and will start automatically."
            in html)


def test_a_job_the_broker_has_taken_does_not_say_it_is_delayed(client, owner, waiting):
    set_job(waiting, enqueued=True)
    assert "processing is delayed" not in page(client, owner, waiting.get_absolute_url()).content.decode()


def test_the_status_keeps_polling_while_the_job_runs(client, owner, waiting):
    set_job(waiting, status=JobStatus.RUNNING, stage="align", progress=0.7, enqueued=True)
    response = page(client, owner, status_url(waiting), **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.strip().startswith('<section id="story-state"')
    assert 'hx-trigger="every 1s"' in html
    assert '<progress max="100" value="70"' in html and "Aligning" in html
    assert "<html" not in html


def test_the_status_stops_polling_with_286_and_the_results_once_done(client, owner, done_story):
    response = page(client, owner, status_url(done_story), **HTMX)
    html = response.content.decode()
    assert response.status_code == 286
    assert html.strip().startswith('<section id="story-state" class="state state--done">')
    assert 'hx-trigger="every 1s"' not in html
    assert '<div id="alignment"' in html and '<tr class="pair' in html


def test_the_status_stops_polling_with_286_and_the_error_once_failed(client, owner, waiting):
    set_job(waiting, status=JobStatus.FAILED, stage="failed", error="Both sides are in English.")
    response = page(client, owner, status_url(waiting), **HTMX)
    html = response.content.decode()
    assert response.status_code == 286
    assert "Both sides are in English." in html
    assert "Retry" in html and 'hx-trigger="every 1s"' not in html


def test_the_status_url_without_htmx_is_the_whole_story_page(client, owner, done_story):
    response = page(client, owner, status_url(done_story))
    assert response.status_code == 200
    assert "<html" in response.content.decode() and done_story.title in response.content.decode()


def test_the_story_page_for_htmx_is_only_the_region_that_follows_the_job(client, owner, done_story):
    response = page(client, owner, done_story.get_absolute_url(), **HTMX)
    html = response.content.decode()
    assert html.strip().startswith('<section id="story-state"')
    assert "<html" not in html and "<h1>" not in html


def test_a_history_restore_gets_the_whole_page_even_from_htmx(client, owner, done_story):
    response = page(
        client, owner, done_story.get_absolute_url() + "?filter=number",
        HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true",
    )
    assert "<html" in response.content.decode()


def test_pages_that_answer_with_a_fragment_vary_on_the_htmx_header(client, owner, done_story):
    for url in (done_story.get_absolute_url(), reverse("story_pairs", args=[done_story.code])):
        assert "HX-Request" in page(client, owner, url)["Vary"]


def test_a_failed_job_shows_its_error_and_a_retry_button(client, owner, waiting):
    set_job(waiting, status=JobStatus.FAILED, error="The Russian side is empty.")
    html = page(client, owner, waiting.get_absolute_url()).content.decode()
    retry = reverse("story_retry", args=[waiting.code])
    assert "The Russian side is empty." in html
    assert f'<form method="post" action="{retry}"\n        hx-post="{retry}" hx-target="#story-state"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert "Failed" in html


def test_a_story_over_the_sentence_limit_fails_with_the_count_and_the_limit(client, owner, settings, no_broker):
    # The upload form does not count sentences (too slow for a request): the worker refuses, the page says why.
    settings.SVERKA_MAX_SENTENCES = 3
    story = make_story(owner, en="One. Two. Three. Four. Five.", ru="Один. Два. Три.")
    html = page(client, owner, story.get_absolute_url()).content.decode()
    assert story.jobs.get().status == JobStatus.FAILED
    assert "The English text has 5 sentences; the limit is 3. Split the story into parts." in html


def test_retry_queues_a_new_job_and_goes_back_to_the_story(
    client, owner, waiting, no_broker, django_capture_on_commit_callbacks
):
    set_job(waiting, status=JobStatus.FAILED, error="Boom.")
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("story_retry", args=[waiting.code]))
    assert response.status_code == 302
    assert response["Location"] == waiting.get_absolute_url()
    latest = waiting.latest_job()
    assert latest.status == JobStatus.QUEUED
    assert waiting.jobs.count() == 2
    assert no_broker == [latest.pk]


def test_retry_from_htmx_returns_the_polling_region(client, owner, waiting, no_broker):
    set_job(waiting, status=JobStatus.FAILED, error="Boom.")
    client.force_login(owner)
    response = client.post(reverse("story_retry", args=[waiting.code]), **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.strip().startswith('<section id="story-state" class="state state--active"')
    assert 'hx-trigger="every 1s"' in html and "Boom." not in html


def test_retry_does_not_queue_a_second_job_while_one_is_active(client, owner, waiting, no_broker):
    client.force_login(owner)
    client.post(reverse("story_retry", args=[waiting.code]))
    assert waiting.jobs.count() == 1


def test_retry_accepts_only_post(client, owner, waiting):
    set_job(waiting, status=JobStatus.FAILED)
    assert page(client, owner, reverse("story_retry", args=[waiting.code])).status_code == 405
    assert waiting.jobs.count() == 1


def test_retry_is_protected_against_cross_site_requests(owner, waiting):
    from django.test import Client

    set_job(waiting, status=JobStatus.FAILED)
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    assert client.post(reverse("story_retry", args=[waiting.code])).status_code == 403
    assert waiting.jobs.count() == 1


def test_a_story_without_any_job_offers_to_process_it(client, owner, waiting, no_broker):
    Job.objects.filter(story=waiting).delete()
    html = page(client, owner, waiting.get_absolute_url()).content.decode()
    assert "has not been processed yet" in html
    client.post(reverse("story_retry", args=[waiting.code]))
    assert Story.objects.get(pk=waiting.pk).latest_job().status == JobStatus.QUEUED
