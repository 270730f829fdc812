"""The checks every page, fragment and API call makes first: whose story it is, and whether the request wants the
whole page or only its fragment. Permission checks live here, in the views, never in templates: a client can ask
for any fragment directly."""

from __future__ import annotations

import uuid

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_vary_headers

from alignment.models import Collection, Job, Story


def get_story_for_user(request, code: uuid.UUID | str) -> Story:
    """The story, if the user owns it. Anyone else gets a 404, so the page does not reveal that it exists. The API's
    URLs carry the id as text, which may not be a UUID at all: a 404 too."""
    return get_object_or_404(Story, code=_story_code(code), owner=request.user)


def get_story_and_job(request, code: uuid.UUID | str) -> tuple[Story, Job | None]:
    """The story, as get_story_for_user gives it, and its latest job (Story.latest_job), in one query where it has a
    job: the story page asks for both at every request."""
    key = _story_code(code)
    jobs = Job.objects.select_related("story").filter(story__code=key, story__owner=request.user)
    job = jobs.order_by(*Job.NEWEST_FIRST).first()
    return (job.story, job) if job else (get_story_for_user(request, key), None)


def _story_code(code: uuid.UUID | str) -> uuid.UUID:
    try:
        return code if isinstance(code, uuid.UUID) else uuid.UUID(code)
    except ValueError:
        raise Http404("No story with this id.") from None


def get_collection_for_user(request, code: uuid.UUID | str) -> Collection:
    """The collection, if the user owns it; anyone else gets a 404, as for a story. The API's ids are numbers."""
    if isinstance(code, int) or (isinstance(code, str) and code.isdigit()):
        return get_object_or_404(Collection, pk=int(code), owner=request.user)
    try:
        key = code if isinstance(code, uuid.UUID) else uuid.UUID(code)
    except ValueError:
        raise Http404("No collection with this id.") from None
    return get_object_or_404(Collection, code=key, owner=request.user)


def wants_fragment(request) -> bool:
    # A history restore after a cache miss needs the whole page, although htmx may send HX-Request with it.
    return bool(request.htmx) and not request.htmx.history_restore_request and not request.htmx.boosted


def page_or_fragment(request, page: str, fragment: str, context: dict):
    """The full page, or for htmx only its fragment, from the same context."""
    response = render(request, fragment if wants_fragment(request) else page, context)
    # The same URL answers with a page or a fragment: a cache must not hand one out for the other.
    patch_vary_headers(response, ["HX-Request"])
    return response
