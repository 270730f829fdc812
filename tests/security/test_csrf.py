"""CSRF protection on every state-changing request, htmx's included: without the token the answer is 403 and
nothing changes; with it (the cookie, and the X-CSRFToken header htmx sends from <body hx-headers>) the request
goes through.

The JSON API is exempt when it is called with a token (``Authorization: Token ...``): a browser never adds that
header by itself, so another site cannot make it send one (DRF's TokenAuthentication skips the CSRF check by design).
Called with the browser's session cookie instead, the API checks CSRF like every page (DRF's SessionAuthentication).
"""

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.security.test_authz import all_cases, ask, client_for, snapshot, world  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

CHANGING = sorted(name for name, case in all_cases().items() if case.changes)
HTMX = {"HTTP_HX_REQUEST": "true"}


def page_token(client: Client, role: str) -> str:
    """The token as htmx sends it: from the hx-headers attribute on the page's <body>."""
    page = client.get(reverse("login" if role == "anon" else "stories")).content.decode()
    return re.search(r"""hx-headers='\{"X-CSRFToken": "([^"]+)"\}'""", page)[1]


def test_there_are_state_changing_routes_of_every_kind():
    assert {"upload", "story_correct", "story_verdict", "story_delete", "logout", "login"} <= set(CHANGING)
    assert {"api:stories", "api:story", "admin:alignment_story_delete"} <= set(CHANGING)


@pytest.mark.parametrize("name", CHANGING)
def test_a_change_without_the_token_is_refused_with_one_it_goes_through(world, name):
    case = all_cases()[name]
    role = case.privileged
    url = case.url(name, world)
    for method in case.changes:
        client = client_for(role, world, case, enforce_csrf_checks=True)
        before = snapshot()
        refused = ask(client, method, url, case, world, **HTMX)
        if case.api:
            assert refused.status_code != 403, f"{method.upper()} {url} with an API token needs no CSRF token"
            continue
        assert refused.status_code == 403, f"{method.upper()} {url} without a CSRF token: {refused.status_code}"
        assert snapshot() == before
        token = page_token(client, role)
        accepted = ask(client, method, url, case, world, HTTP_X_CSRFTOKEN=token, **HTMX)
        assert accepted.status_code not in (403, 500), f"{method.upper()} {url} with the token: {accepted.status_code}"


def test_the_token_in_a_form_field_works_too_without_javascript(world):
    client = client_for("owner", world, all_cases()["story_delete"], enforce_csrf_checks=True)
    page = client.get(reverse("story_delete", args=[world.story.code])).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    response = client.post(reverse("story_delete", args=[world.story.code]), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert not world.owner.stories.exists()


def test_a_token_from_another_session_is_refused(world):
    case = all_cases()["story_delete"]
    stolen = page_token(client_for("other", world, case, enforce_csrf_checks=True), "other")
    client = client_for("owner", world, case, enforce_csrf_checks=True)
    client.get(reverse("stories"))  # the owner's own CSRF cookie
    response = client.post(reverse("story_delete", args=[world.story.code]), HTTP_X_CSRFTOKEN=stolen, **HTMX)
    assert response.status_code == 403
    assert world.owner.stories.exists()


def test_the_api_with_the_session_cookie_checks_csrf(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.owner)
    url = reverse("api:story_retry", args=[str(world.story.code)])
    refused = client.post(url)
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    assert world.story.jobs.count() == 1
    accepted = client.post(url, HTTP_X_CSRFTOKEN=page_token(client, "owner"))
    assert accepted.status_code == 202
    assert world.story.jobs.count() == 2
