"""The base layout and the login page: navigation, the CSRF header for htmx, and scripts from static/."""

import re

import pytest
from django.urls import reverse


@pytest.fixture
def home(client, owner):
    client.force_login(owner)
    return client.get(reverse("stories")).content.decode()


def test_the_header_names_the_app_and_links_the_main_pages(home):
    assert "Sverka" in home
    assert f'href="{reverse("stories")}" aria-current="page">My stories</a>' in home
    assert f'href="{reverse("upload")}">New story</a>' in home


def test_the_admin_link_is_for_staff_only(client, home, staff):
    assert reverse("admin:index") not in home
    client.force_login(staff)
    assert f'href="{reverse("admin:index")}">Admin</a>' in client.get(reverse("stories")).content.decode()


def test_log_out_is_a_post_form(home):
    assert f'<form class="logout" method="post" action="{reverse("logout")}">' in home


def test_logging_out_returns_to_the_login_page(client, owner):
    client.force_login(owner)
    response = client.post(reverse("logout"))
    assert response["Location"] == reverse("login")


def test_the_body_sends_the_csrf_token_with_every_htmx_request(home):
    token = re.search(r"<body hx-headers='\{\"X-CSRFToken\": \"([^\"]+)\"\}'>", home)
    assert token and len(token.group(1)) >= 32


def test_scripts_come_from_static_and_none_is_inline(home):
    scripts = re.findall(r"<script\b([^>]*)>", home)
    assert scripts == [' src="/static/js/htmx.min.js" defer', ' src="/static/js/app.js" defer']
    assert "cdn" not in home.lower() and "unpkg" not in home.lower()


def test_htmx_injects_no_inline_styles_and_evaluates_no_code(home):
    assert '"includeIndicatorStyles": false' in home and '"allowEval": false' in home


def test_the_stylesheet_and_scripts_exist(client, db):
    from django.contrib.staticfiles import finders

    for path in ("css/app.css", "js/htmx.min.js", "js/app.js"):
        assert finders.find(path), path
    assert "htmx" in open(finders.find("js/htmx.min.js"), encoding="utf-8").readline()


def test_messages_are_shown(client, owner):
    from tests.conftest import make_story

    story = make_story(owner, title="Gone soon", process=False, en="One.", ru="Один.")
    client.force_login(owner)
    html = client.post(reverse("story_delete", args=[story.code]), follow=True).content.decode()
    assert '<li class="message message--success">Deleted “Gone soon”.</li>' in html


@pytest.mark.django_db
def test_the_login_page_uses_the_app_layout(client):
    html = client.get(reverse("login")).content.decode()
    assert "<h1>Log in</h1>" in html
    assert '<link rel="stylesheet" href="/static/css/app.css">' in html
    assert "My stories" not in html  # no navigation before logging in


def test_logging_in_leads_to_my_stories(client, owner):
    response = client.post(reverse("login"), {"username": "olga", "password": "pw-olga-123456"})
    assert response["Location"] == reverse("stories")


@pytest.mark.django_db
def test_a_wrong_password_is_explained_on_the_login_page(client, owner):
    html = client.post(reverse("login"), {"username": "olga", "password": "nope"}).content.decode()
    assert 'class="message message--error" role="alert"' in html
