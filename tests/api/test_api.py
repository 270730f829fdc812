import io
import json
import uuid

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from alignment import jobs, stories, tokens
from alignment.models import Job, JobStatus, Story
from alignment.pipeline import align_texts
from tests.conftest import make_story

pytestmark = pytest.mark.django_db

EN = (
    "The talks in Geneva failed on Monday after three days of negotiations. Both sides left the city with 25 "
    "delegates each, according to Sergei Lavrov.\n\nThe ministry said nothing more about the next round."
)
RU = (
    "Переговоры в Женеве провалились в понедельник после трёх дней обсуждений. Обе стороны покинули город с 52 "
    "делегатами каждая, сообщил Сергей Лавров.\n\nЭто уже третья неудачная попытка договориться за год."
)

APPEAL = (
    "\n\nSupport independent journalism: donate to keep our reporting free for everyone. "
    "Sign up for our newsletter to get the day's top stories in your inbox every morning."
)


def token_client(user, **kwargs) -> Client:
    _, key = tokens.issue(user)
    return Client(HTTP_AUTHORIZATION=f"Token {key}", **kwargs)


@pytest.fixture
def api(owner):
    return token_client(owner)


def post_json(client, url, body, **kwargs):
    return client.post(url, json.dumps(body), content_type="application/json", **kwargs)


def url(story, suffix=""):
    return f"/api/stories/{story.code}/{suffix}"


# ------------------------------------------------------------------------------------------------ creating

def test_it_creates_a_story_and_queues_its_job(api, owner, no_broker, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_json(api, "/api/stories/", {"title": "Geneva talks", "en": EN, "ru": RU,
                                                    "en_url": "https://example.org/en"})
    assert response.status_code == 201
    data = response.json()
    story = Story.objects.get(code=data["id"])
    assert story.owner == owner and story.title == "Geneva talks"
    assert story.document("en").text == EN and story.document("ru").text == RU
    assert story.document("en").source_url == "https://example.org/en"
    assert data == {
        "id": str(story.code),
        "status": "queued",
        "url": f"http://testserver/api/stories/{story.code}/",
        "page": f"http://testserver{story.get_absolute_url()}",
    }
    assert response["Location"] == data["url"]
    assert no_broker == [story.jobs.get(status=JobStatus.QUEUED).pk]


def test_it_names_the_empty_side(api, no_broker):
    response = post_json(api, "/api/stories/", {"title": "Empty", "en": EN, "ru": "   "})
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["ru"] and "en" not in errors
    assert not Story.objects.exists() and no_broker == []


def test_it_refuses_two_texts_in_the_same_language(api, no_broker):
    response = post_json(api, "/api/stories/", {"title": "Twice Russian", "en": RU, "ru": RU})
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert any("Russian" in message for message in errors["en"])
    assert not Story.objects.exists()


def test_it_reports_errors_under_the_api_field_names(api):
    response = post_json(api, "/api/stories/", {"title": "No sides"})
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert {"en", "ru"} <= set(errors)
    assert not {"en_text", "ru_text", "en_file", "ru_file"} & set(errors)
    assert all(isinstance(m, str) for messages in errors.values() for m in messages)


def test_it_refuses_a_title_over_the_limit_naming_the_field_and_the_limit(api):
    response = post_json(api, "/api/stories/", {"title": "T" * 301, "en": EN, "ru": RU})
    assert response.status_code == 400
    assert response.json()["errors"] == {"title": ["A title is at most 300 characters; this one has 301."]}
    assert not Story.objects.exists()


def test_it_refuses_a_side_over_the_size_limit_with_413(api, settings):
    settings.SVERKA_MAX_UPLOAD_BYTES = 1000
    response = post_json(api, "/api/stories/", {"title": "Long", "en": "Word after word. " * 100, "ru": RU})
    assert response.status_code == 413
    assert response.json()["errors"]["en"]
    assert not Story.objects.exists()


def test_it_refuses_a_body_over_the_limit_before_parsing_it(api, settings):
    settings.SVERKA_MAX_UPLOAD_BYTES = 1000
    # Not JSON either: the size alone decides, so the body is never read.
    response = api.post("/api/stories/", "x" * 200_000, content_type="application/json")
    assert response.status_code == 413
    assert "limit" in response.json()["errors"]["__all__"][0]


@pytest.mark.parametrize("body", ["not json", '{"title": "cut off', b"\xff\xfe\x00"])
def test_it_refuses_a_body_that_is_not_json(api, body):
    response = api.post("/api/stories/", body, content_type="application/json")
    assert response.status_code == 400
    assert "must be JSON" in response.json()["errors"]["__all__"][0]


def test_it_refuses_a_form_encoded_body(api):
    response = api.post("/api/stories/", {"title": "Form", "en": EN, "ru": RU})
    assert response.status_code == 400
    assert "must be JSON" in response.json()["errors"]["__all__"][0]


@pytest.mark.parametrize("body, name", [([EN, RU], "an array"), ("text", "a string"), (3, "a number"),
                                        (None, "null")])
def test_it_refuses_json_that_is_not_an_object(api, body, name):
    response = post_json(api, "/api/stories/", body)
    assert response.status_code == 400
    assert response.json()["errors"]["__all__"] == [f"The body must be a JSON object, not {name}."]


def test_it_refuses_unknown_fields_and_values_that_are_not_strings(api):
    response = post_json(api, "/api/stories/", {"title": "Odd", "english": EN, "en": 3, "ru": RU})
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert "Unknown field: english" in errors["__all__"][0]
    assert errors["en"] == ["Expected a string."]


# ------------------------------------------------------------------------------------------------ reading

def test_it_lists_only_the_callers_stories_newest_first(api, owner, other_user, no_broker):
    older = make_story(owner, title="Older", en=EN, ru=RU)
    newer = make_story(owner, title="Newer", en=EN, ru=RU, process=False)
    make_story(other_user, title="Not mine", en=EN, ru=RU, process=False)
    data = api.get("/api/stories/").json()
    assert data["count"] == 2
    assert [s["title"] for s in data["results"]] == ["Newer", "Older"]
    first, second = data["results"]
    assert first["id"] == str(newer.code) and first["status"] == "queued" and first["divergences"] == {}
    assert second["status"] == "done" and second["divergences"] == older.stats["divergences"]
    assert second["url"] == f"http://testserver/api/stories/{older.code}/"
    assert {"created"} <= set(first)


def test_the_list_is_paginated(api, owner, no_broker):
    for n in range(3):
        make_story(owner, title=f"Story {n}", en=EN, ru=RU, process=False)
    data = api.get("/api/stories/?page_size=2").json()
    assert data["count"] == 3 and len(data["results"]) == 2 and data["next"]
    assert len(api.get(data["next"]).json()["results"]) == 1


def test_the_status_of_a_queued_story(api, owner, no_broker):
    story = make_story(owner, en=EN, ru=RU, process=False)
    data = api.get(url(story)).json()
    assert data["id"] == str(story.code) and data["title"] == story.title
    assert (data["status"], data["stage"], data["progress"], data["error"]) == ("queued", "", 0.0, "")
    assert "stats" not in data and data["created"]


def test_the_status_of_a_running_story_shows_its_stage_and_progress(api, owner, no_broker):
    story = make_story(owner, en=EN, ru=RU, process=False)
    story.jobs.update(status=JobStatus.RUNNING, stage="embed", progress=0.4)
    data = api.get(url(story)).json()
    assert (data["status"], data["stage"], data["progress"]) == ("running", "embed", 0.4)


def test_the_status_of_a_done_story_includes_its_stats(api, done_story):
    data = api.get(url(done_story)).json()
    assert (data["status"], data["progress"], data["error"]) == ("done", 1.0, "")
    assert data["stats"] == done_story.stats and data["stats"]["en_sentences"] > 0
    assert data["alignment"] == f"http://testserver/api/stories/{done_story.code}/alignment/"


def test_the_status_of_a_failed_story_carries_the_error(api, owner, no_broker):
    story = make_story(owner, en=EN, ru=RU, process=False)
    job = story.jobs.get()
    jobs.fail_job(job.pk, jobs.take(job.pk), "The worker gave up.")
    data = api.get(url(story)).json()
    assert (data["status"], data["error"]) == ("failed", "The worker gave up.")
    assert "stats" not in data


def test_the_status_follows_the_latest_job(api, done_story, no_broker):
    stories.rerun(done_story)
    assert api.get(url(done_story)).json()["status"] == "queued"


# ------------------------------------------------------------------------------------------------ alignment

def test_the_alignment_is_what_the_align_command_prints(api, owner, no_broker, tmp_path):
    en = EN + APPEAL  # two sentences in English only: unpaired, so in passages
    story = make_story(owner, en=en, ru=RU)
    (tmp_path / "en.txt").write_text(en, encoding="utf-8")
    (tmp_path / "ru.txt").write_text(RU, encoding="utf-8")
    out = io.StringIO()
    call_command("align", str(tmp_path / "en.txt"), str(tmp_path / "ru.txt"), stdout=out)
    response = api.get(url(story, "alignment/"))
    assert response.status_code == 200
    data = response.json()
    assert data == json.loads(out.getvalue())
    assert any(p["divergences"] for p in data["pairs"])
    # The passages too, from the stored pairs: every unpaired pair in one of them.
    assert data["passages"] and [k for p in data["passages"] for k in p["pairs"]] == [
        k for k, p in enumerate(data["pairs"]) if not (p["en"] and p["ru"])
    ]


def test_the_alignment_of_a_development_story_matches_the_pipeline(api, done_story):
    en, ru = done_story.document("en").text, done_story.document("ru").text
    expected = align_texts(en, ru, jobs.config()).to_dict()
    data = api.get(url(done_story, "alignment/")).json()
    assert data["pairs"] == expected["pairs"]
    assert data["sentences"] == expected["sentences"]
    assert data == expected


def test_the_alignment_costs_the_same_queries_for_any_size(api, owner, done_story, no_broker):
    small = make_story(owner, en="The talks failed on Monday.", ru="Переговоры провалились в понедельник.")
    api.get("/api/stories/")  # the token's first use is written down (then at most once a minute): not measured
    counts = []
    for story in (small, done_story):
        with CaptureQueriesContext(connection) as queries:
            assert api.get(url(story, "alignment/")).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert len(done_story.pairs.all()) > 1


@pytest.mark.parametrize("state", ["queued", "running", "failed"])
def test_the_alignment_of_an_unfinished_story_is_a_conflict(api, owner, no_broker, state):
    story = make_story(owner, en=EN, ru=RU, process=False)
    story.jobs.update(status=state)
    response = api.get(url(story, "alignment/"))
    assert response.status_code == 409
    data = response.json()
    assert data["status"] == state and data["detail"]


# ------------------------------------------------------------------------------------------------ changing

def test_it_deletes_a_story(api, done_story):
    response = api.delete(url(done_story))
    assert response.status_code == 204
    assert not Story.objects.filter(pk=done_story.pk).exists()
    assert api.get(url(done_story)).status_code == 404


def test_retry_queues_a_new_job(api, done_story, no_broker, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(url(done_story, "retry/"))
    assert response.status_code == 202
    assert response.json()["status"] == "queued"
    job = done_story.latest_job()
    assert job.status == JobStatus.QUEUED and no_broker == [job.pk]
    assert done_story.jobs.count() == 2


def test_retry_refuses_while_a_job_is_waiting(api, owner, no_broker):
    story = make_story(owner, en=EN, ru=RU, process=False)
    response = api.post(url(story, "retry/"))
    assert response.status_code == 409
    assert response.json()["status"] == "queued"
    assert story.jobs.count() == 1


# ------------------------------------------------------------------------------------------------ access

ENDPOINTS = [("get", ""), ("get", "alignment/"), ("post", "retry/"), ("delete", "")]


@pytest.mark.parametrize("method, suffix", ENDPOINTS)
def test_it_hides_other_users_stories(done_story, other_user, method, suffix):
    response = getattr(token_client(other_user), method)(url(done_story, suffix))
    assert response.status_code == 404
    assert Story.objects.filter(pk=done_story.pk).exists()
    assert done_story.jobs.count() == 1


@pytest.mark.parametrize("method, suffix", [("get", "/api/stories/"), ("post", "/api/stories/")])
def test_anonymous_requests_get_401(client, method, suffix):
    response = getattr(client, method)(suffix)
    assert response.status_code == 401
    assert response.json() == {"detail": "Authentication credentials were not provided."}


@pytest.mark.parametrize("method, suffix", ENDPOINTS)
def test_anonymous_requests_for_a_story_get_401(client, done_story, method, suffix):
    response = getattr(client, method)(url(done_story, suffix))
    assert response.status_code == 401
    assert Story.objects.filter(pk=done_story.pk).exists()


def test_a_wrong_token_gets_401(done_story):
    response = Client(HTTP_AUTHORIZATION="Token not-a-real-token").get(url(done_story))
    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid token."}


@pytest.mark.parametrize("code", ["not-a-uuid", "123", str(uuid.uuid4())])
def test_an_unknown_id_is_404(api, code):
    response = api.get(f"/api/stories/{code}/")
    assert response.status_code == 404
    assert response.json() == {"detail": "No story with this id."}


def test_another_users_story_gets_the_same_404_as_an_id_that_does_not_exist(done_story, other_user):
    """The API finds a story through the pages' access check, and still answers in its own words."""
    client = token_client(other_user)
    theirs, unknown = client.get(url(done_story)), client.get(f"/api/stories/{uuid.uuid4()}/")
    assert (theirs.status_code, theirs.content) == (unknown.status_code, unknown.content)
    assert theirs.json() == {"detail": "No story with this id."}


def test_a_browser_session_can_read_but_must_send_the_csrf_token_to_write(owner, done_story):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(owner)
    assert browser.get(url(done_story)).json()["status"] == "done"
    response = browser.delete(url(done_story))
    assert response.status_code == 403 and "CSRF" in response.json()["detail"]
    assert Story.objects.filter(pk=done_story.pk).exists()


def test_a_token_needs_no_csrf_token(owner, done_story):
    response = token_client(owner, enforce_csrf_checks=True).delete(url(done_story))
    assert response.status_code == 204


# ------------------------------------------------------------------------------------------------ api_token

def api_token(*args) -> str:
    out = io.StringIO()
    call_command("api_token", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue().strip()


def test_api_token_prints_a_token_that_works_as_a_header(owner, done_story):
    key = api_token("olga")
    response = Client(HTTP_AUTHORIZATION=f"Token {key}").get(url(done_story))
    assert response.status_code == 200


def test_api_token_prints_a_key_once_and_then_says_how_to_get_another(owner):
    key = api_token("olga")
    with pytest.raises(CommandError, match=r"olga already has an API token \(.{8}…, until .*--reset") as refused:
        api_token("olga")
    assert key not in str(refused.value) and key[:8] in str(refused.value)


def test_api_token_reset_replaces_the_old_token(owner, done_story):
    old = api_token("olga")
    new = api_token("olga", "--reset")
    assert new != old
    assert Client(HTTP_AUTHORIZATION=f"Token {old}").get(url(done_story)).status_code == 401
    assert Client(HTTP_AUTHORIZATION=f"Token {new}").get(url(done_story)).status_code == 200


def test_api_token_names_an_unknown_user(db):
    with pytest.raises(CommandError, match="No user named 'nobody'"):
        api_token("nobody")
