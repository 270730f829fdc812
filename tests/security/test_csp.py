"""The Content Security Policy and the other protective headers, and the templates that let the policy be strict:
no inline script, no event-handler attributes, no hx-on (htmx would eval it), no inline style but the printable
report's, which carries the request's nonce. (tests/browser/ fails on any CSP violation the browser reports.)"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.web.test_views_alignment import build_story

pytestmark = pytest.mark.django_db

TEMPLATE_DIRS = [Path(d) for d in settings.TEMPLATES[0]["DIRS"]] + [Path(settings.BASE_DIR) / "alignment" / "templates"]
# What a strict policy refuses, as it appears in a template's source.
INLINE = {
    "an inline <script>": re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE),
    "an event-handler attribute": re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE),
    "hx-on (htmx evaluates it as script)": re.compile(r"\bhx-on", re.IGNORECASE),
    "a javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
    "a js: value for htmx to eval": re.compile(r"""hx-(?:vals|headers)=["']\s*(?:js|javascript):""", re.IGNORECASE),
    "a style attribute": re.compile(r"<[a-z][^>]*\sstyle\s*=", re.IGNORECASE),
    "a <style> block without the nonce": re.compile(r"<style\b(?![^>]*\bnonce=)[^>]*>", re.IGNORECASE),
}


def templates():
    return sorted(path for folder in TEMPLATE_DIRS if folder.is_dir() for path in folder.rglob("*.html"))


COMMENTS = re.compile(r"\{#.*?#\}|\{% comment %\}.*?\{% endcomment %\}", re.DOTALL)


def inline_code(source: str) -> list[str]:
    code = COMMENTS.sub("", source)  # a comment may name what it avoids
    return [what for what, pattern in INLINE.items() if pattern.search(code)]


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {name: values for name, *values in (part.split() for part in header.split(";") if part.strip())}


@pytest.fixture
def story(owner):
    return build_story(owner, [(["The talks failed."], ["Переговоры провалились."], [])])


def test_there_are_templates_to_check():
    names = {path.name for path in templates()}
    assert {"base.html", "upload.html", "story_detail.html", "_pair_row.html", "report.html"} <= names


@pytest.mark.parametrize("path", templates(), ids=lambda path: path.name)
def test_no_template_has_inline_script_or_style(path):
    assert inline_code(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("source, found", [
    ('<script>alert(1)</script>', "an inline <script>"),
    ('<script type="module">x()</script>', "an inline <script>"),
    ('<button type="button" onclick="go()">', "an event-handler attribute"),
    ('<form\n  onsubmit="return check()">', "an event-handler attribute"),
    ('<div hx-on::after-request="x()">', "hx-on (htmx evaluates it as script)"),
    ('<a href="javascript:void(0)">', "a javascript: URL"),
    ("<div hx-vals='js:{a: 1}'>", "a js: value for htmx to eval"),
    ('<p style="color: red">', "a style attribute"),
    ("<style>p { color: red }</style>", "a <style> block without the nonce"),
])
def test_the_template_check_finds_each_kind_of_inline_code(source, found):
    assert found in inline_code(source)


def test_the_template_check_lets_through_what_is_allowed():
    allowed = (
        '<script src="{% static \'js/app.js\' %}" defer></script>'
        '<style nonce="{{ request.csp_nonce }}">p {}</style>'
        '<button type="submit" data-open-dialog="keys-help" class="button">Keys</button>'
        "<p>Press a button on the page.</p>"
        "{# No hx-on, no javascript: links. #}"
    )
    assert inline_code(allowed) == []


def test_htmx_is_told_to_inject_no_style_and_eval_nothing(client, owner):
    client.force_login(owner)
    html = client.get(reverse("stories")).content.decode()
    config = re.search(r"""<meta name="htmx-config" content='([^']+)'>""", html)[1]
    assert '"includeIndicatorStyles": false' in config
    assert '"allowEval": false' in config
    assert '"allowScriptTags": false' in config


@pytest.mark.parametrize("page", ["login", "stories", "story", "story_pairs", "admin", "missing", "api"])
def test_every_answer_carries_the_strict_policy(client, staff, story, page):
    client.force_login(staff if page == "admin" else story.owner)
    url = {
        "login": reverse("login"), "stories": reverse("stories"), "story": story.get_absolute_url(),
        "story_pairs": reverse("story_pairs", args=[story.code]), "admin": reverse("admin:index"),
        "missing": "/no/such/page/", "api": reverse("api:stories"),
    }[page]
    directives = policy(client.get(url, HTTP_HX_REQUEST="true" if page == "story_pairs" else ""))
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]  # no 'unsafe-inline', no 'unsafe-eval', no nonce
    assert directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'none'"]
    assert directives["form-action"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]


def test_the_printable_report_styles_itself_with_the_requests_nonce(client, story):
    client.force_login(story.owner)
    response = client.get(reverse("story_report", args=[story.code]))
    styles = policy(response)["style-src"]
    nonce = re.search(r'<style nonce="([^"]+)">', response.content.decode())[1]
    assert styles == ["'self'", f"'nonce-{nonce}'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    # A new nonce for every answer.
    again = client.get(reverse("story_report", args=[story.code])).content.decode()
    assert f'nonce="{nonce}"' not in again


def test_pages_cannot_be_framed_sniffed_or_leak_their_address(client, owner):
    client.force_login(owner)
    response = client.get(reverse("stories"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_the_cookies_are_kept_from_scripts_and_other_sites(client, owner):
    response = client.post(reverse("login"), {"username": "olga", "password": "pw-olga-123456"})
    assert response.status_code == 302
    for name in ("sessionid", "csrftoken"):
        cookie = response.cookies[name]
        assert cookie["httponly"] is True, name
        assert cookie["samesite"] == "Lax", name
