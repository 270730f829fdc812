"""No exception's own text reaches a user: a failing page is the short 500 page, and a job that failed says why
in words on the story page and in the API, while the exception itself goes to the log."""

import sys
from types import SimpleNamespace

import pytest
from django.test import Client

from alignment import jobs
from alignment.models import JobStatus
from alignment.web import stories as story_pages
from tests.api.test_api import token_client
from tests.conftest import make_story

pytestmark = pytest.mark.django_db

SECRET = "/srv/sverka/var/secret-path: hf_token_123 refused"


def test_a_page_that_fails_shows_the_500_page_not_the_exception(owner, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError(SECRET)

    monkeypatch.setattr(story_pages, "kind_counts", broken)
    make_story(owner, process=False, en="One. Two.", ru="Один. Два.")
    client = Client(raise_request_exception=False)
    client.force_login(owner)
    response = client.get("/stories/")
    assert response.status_code == 500
    content = response.content.decode()
    assert "Something went wrong" in content and "It has been logged for the administrator." in content
    assert "secret" not in content and "RuntimeError" not in content
    assert SECRET in caplog.text  # Django logs it, for the operator


def test_a_job_whose_model_will_not_load_says_so_in_words_on_the_page_and_in_the_api(
    client, owner, no_broker, settings, monkeypatch
):
    def broken(*args, **kwargs):
        raise OSError(SECRET)

    monkeypatch.setitem(sys.modules, "sentence_transformers", SimpleNamespace(SentenceTransformer=broken))
    settings.SVERKA_EMBEDDER = "sentence-transformers:org/never-loads"
    story = make_story(owner, process=False, en="The talks failed. Both sides left.", ru="Переговоры провалились.")
    jobs.run_job(story.jobs.get().pk)
    assert story.latest_job().status == JobStatus.FAILED
    client.force_login(owner)
    page = client.get(story.get_absolute_url()).content.decode()
    detail = token_client(owner).get(f"/api/stories/{story.code}/").json()
    words = "Could not load the sentence-transformers model &#x27;org/never-loads&#x27;."
    assert words in page and detail["error"].startswith(words.replace("&#x27;", "'"))
    for shown in (page, detail["error"]):
        assert "secret" not in shown and "hf_token" not in shown
