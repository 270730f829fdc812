"""The JSON API: the same services as the pages, JSON in and out.

Authentication is a token (``Authorization: Token <key>``, from ``manage.py api_token USER``) or the
browser session. Stories are addressed by their UUID; another user's story is a 404, never a 403, so
the API does not reveal which ids exist.
"""

from __future__ import annotations

import json
from collections import defaultdict

from django.conf import settings
from django.http import Http404
from django.urls import path, reverse
from rest_framework import status
from rest_framework.decorators import api_view
from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from alignment import review, stories
from alignment.models import JobStatus, Story
from alignment.results import load_results
from alignment.web.access import get_story_for_user
from alignment.web.forms import UploadForm

# JSON field -> form field, and back: the API speaks of sides, the form of text and file inputs.
FORM_FIELDS = {"title": "title", "en": "en_text", "ru": "ru_text", "en_url": "en_url", "ru_url": "ru_url"}
ERROR_KEYS = {"en_text": "en", "en_file": "en", "ru_text": "ru", "ru_file": "ru"}
# Room for the title, the URLs and the JSON punctuation around the two texts.
BODY_SLACK_BYTES = 64 * 1024
# The form counts each side's limit in characters, and JSON may spell a character as \uXXXX: six bytes.
JSON_ESCAPE_FACTOR = 6


class StoryPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


def _errors(errors: dict, status_code: int = status.HTTP_400_BAD_REQUEST) -> Response:
    return Response({"errors": errors}, status=status_code)


def max_body_bytes() -> int:
    """The largest body two sides within the upload limit can take; the form checks each side exactly."""
    return 2 * JSON_ESCAPE_FACTOR * settings.SVERKA_MAX_UPLOAD_BYTES + BODY_SLACK_BYTES


def get_story(request, code: str) -> Story:
    """The caller's story, found as the pages find it, with the API's 404."""
    try:
        return get_story_for_user(request, code)
    except Http404:
        raise NotFound("No story with this id.") from None


def _api_url(request, name: str, story: Story) -> str:
    return request.build_absolute_uri(reverse(f"api:{name}", args=[story.code]))


def _urls(request, story: Story) -> dict:
    return {"url": _api_url(request, "story", story), "page": request.build_absolute_uri(story.get_absolute_url())}


def status_of(latest_status: str | None) -> str:
    """A story's status in the API: its latest job's. A story without a job (its jobs were deleted, in the
    admin) has no results to read and, as its page offers, can be run again: it reports as failed."""
    return latest_status or JobStatus.FAILED


@api_view(["GET", "POST"])
def story_list(request):
    if request.method == "POST":
        return _create(request)
    paginator = StoryPagination()
    page = paginator.paginate_queryset(Story.objects.filter(owner=request.user).with_latest_job(), request)
    return paginator.get_paginated_response([
        {
            "id": str(story.code),
            "title": story.title,
            "status": status_of(story.latest_status),
            "created": story.created,
            "divergences": story.stats.get("divergences", {}),
            "url": _api_url(request, "story", story),
        }
        for story in page
    ])


def _create(request) -> Response:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > max_body_bytes():
        return _errors(
            {"__all__": [f"The request body is {length:,} bytes; the limit is {max_body_bytes():,}."]},
            status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    # Read the stream, not request.body: the length is already checked, and request.body would apply
    # Django's form-upload limit, which is smaller than two full-size sides.
    raw = request.stream.read() if request.stream is not None else b""
    try:
        body = json.loads(raw)
    except ValueError:
        return _errors({"__all__": [
            'The body must be JSON, such as {"title": "...", "en": "English text", "ru": "Russian text"}.'
        ]})
    if not isinstance(body, dict):
        return _errors({"__all__": [f"The body must be a JSON object, not {_json_type(body)}."]})
    problems = _check_fields(body)
    if problems:
        return _errors(problems)
    form = UploadForm(data={FORM_FIELDS[key]: value for key, value in body.items()}, files=None)
    if not form.is_valid():
        errors = defaultdict(list)
        for field, messages in form.errors.items():
            errors[ERROR_KEYS.get(field, field)].extend(messages)
        return _errors(dict(errors), form.error_status())
    en, ru = form.sides()
    story = stories.create_story(request.user, form.cleaned_data["title"], en, ru, via="api")
    data = {"id": str(story.code), "status": JobStatus.QUEUED.value, **_urls(request, story)}
    return Response(data, status=status.HTTP_201_CREATED, headers={"Location": data["url"]})


def _json_type(value) -> str:
    if value is None:
        return "null"
    return {list: "an array", str: "a string", bool: "a boolean"}.get(type(value), "a number")


def _check_fields(body: dict) -> dict:
    problems = defaultdict(list)
    unknown = sorted(set(body) - set(FORM_FIELDS))
    if unknown:
        problems["__all__"].append(
            f"Unknown field{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}. "
            f"Expected: {', '.join(FORM_FIELDS)}."
        )
    for key in FORM_FIELDS:
        if body.get(key) is not None and not isinstance(body[key], str):
            problems[key].append("Expected a string.")
    return dict(problems)


@api_view(["GET", "DELETE"])
def story_detail(request, code):
    story = get_story(request, code)
    if request.method == "DELETE":
        stories.delete_story(story, request.user, "api")
        return Response(status=status.HTTP_204_NO_CONTENT)
    job = story.latest_job()
    state = status_of(job and job.status)
    data = {
        "id": str(story.code),
        "title": story.title,
        "status": state,
        "stage": job.stage if job else "",
        "progress": max(0.0, min(1.0, job.progress)) if job else 0.0,
        "error": job.error if job else "",
        "created": story.created,
        **_urls(request, story),
    }
    if story.results_ready(job):
        data["stats"] = story.stats
        data["alignment"] = _api_url(request, "story_alignment", story)
    return Response(data)


@api_view(["GET"])
def story_alignment(request, code):
    story = get_story(request, code)
    job = story.latest_job()
    if not story.results_ready(job):
        state = status_of(job and job.status)
        detail = {
            JobStatus.QUEUED: "The story is waiting for a worker; poll its status and try again when done.",
            JobStatus.RUNNING: "The story is being aligned; poll its status and try again when done.",
            JobStatus.FAILED: "The alignment failed: see the story's error, and POST to its retry/ URL to try again.",
        }[state]
        return Response({"status": state, "detail": detail}, status=status.HTTP_409_CONFLICT)
    return Response(load_results(story).alignment.to_dict())


@api_view(["POST"])
def story_retry(request, code):
    story = get_story(request, code)
    job = story.latest_job()
    if job is not None and job.is_active:
        return Response(
            {"status": job.status, "detail": "The story already has a job waiting or running."},
            status=status.HTTP_409_CONFLICT,
        )
    if not isinstance(request.data, dict):  # a QueryDict for form data is a dict too
        return Response(
            {"detail": f'The body must be a JSON object, such as {{"confirm": true}}, not {_json_type(request.data)}.'},
            status=status.HTTP_400_BAD_REQUEST,
        )
    # As on the story page: a run that would put reviewers' work on pairs not locked at risk needs "confirm".
    confirmed = str(request.data.get("confirm", request.query_params.get("confirm", ""))).lower() in ("1", "true")
    try:
        job = review.rerun(story, request.user, "api", confirmed=confirmed)
    except review.ConfirmationNeeded as refused:
        return Response(
            {
                "detail": str(refused),
                "corrections": refused.lost.corrections,
                "reviewed_divergences": refused.lost.reviews,
                "locked_pairs": refused.lost.locked,
                "confirm": 'POST again with {"confirm": true} to go ahead.',
            },
            status=status.HTTP_409_CONFLICT,
        )
    if job is None:
        return Response(
            {"status": JobStatus.QUEUED.value, "detail": "The story already has a job waiting or running."},
            status=status.HTTP_409_CONFLICT,
        )
    return Response(
        {"id": str(story.code), "status": JobStatus.QUEUED.value, **_urls(request, story)},
        status=status.HTTP_202_ACCEPTED,
    )


urlpatterns = [
    path("stories/", story_list, name="stories"),
    path("stories/<str:code>/", story_detail, name="story"),
    path("stories/<str:code>/alignment/", story_alignment, name="story_alignment"),
    path("stories/<str:code>/retry/", story_retry, name="story_retry"),
]
