"""The API's errors are JSON with a ``detail`` in words: never an exception's own text, which goes to the log."""

import pytest
from django.db import OperationalError

from alignment.api import errors, views
from tests.api.test_api import token_client

pytestmark = pytest.mark.django_db

SECRET = "relation secret_table: password=hunter2"


@pytest.fixture
def api(owner):
    return token_client(owner, raise_request_exception=False)


def raising(exc):
    def raise_it(*args, **kwargs):
        raise exc

    return raise_it


def test_an_unexpected_error_is_a_json_500_in_words(api, done_story, monkeypatch, caplog):
    monkeypatch.setattr(views, "load_results", raising(KeyError(SECRET)))
    response = api.get(f"/api/stories/{done_story.code}/alignment/")
    assert response.status_code == 500 and response["Content-Type"] == "application/json"
    assert response.json() == {"detail": errors.SERVER_ERROR}
    assert "hunter2" not in response.content.decode()
    assert "hunter2" in caplog.text  # for the operator


def test_an_unreadable_body_is_named_without_the_parsers_words(api, done_story):
    response = api.post(f"/api/stories/{done_story.code}/retry/", "{confirm: tru", content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"detail": errors.UNREADABLE_BODY}
    assert "Expecting" not in response.content.decode()
    assert done_story.jobs.count() == 1


def test_a_body_that_is_not_an_object_is_named(api, done_story):
    response = api.post(f"/api/stories/{done_story.code}/retry/", "[true]", content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"detail": 'The body must be a JSON object, such as {"confirm": true}, not an array.'}
    assert done_story.jobs.count() == 1


def test_a_database_that_is_down_is_still_the_503_that_says_so(api, done_story, monkeypatch):
    monkeypatch.setattr(views, "load_results", raising(OperationalError(SECRET)))
    response = api.get(f"/api/stories/{done_story.code}/alignment/")
    assert response.status_code == 503 and response["Retry-After"]
    assert "hunter2" not in response.content.decode()


def test_its_own_errors_keep_their_words(api):
    response = api.get("/api/stories/not-a-story/")
    assert response.status_code == 404 and response.json() == {"detail": "No story with this id."}
