"""What a shared link shows to whoever opens it, without logging in: the pairs around its divergences and nothing
else of the story, no way to change anything, every opening in the audit log; a link that does not work is a 404."""

import hashlib
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from alignment import sharing
from alignment.models import AuditAction, AuditEntry, Job, JobStatus, ShareLink, ShareScope, Verdict
from tests.sharing.conftest import CONFIRMED_NOTE, DISMISSED_REASON, PENDING_REASON, TITLE, divergence

pytestmark = pytest.mark.django_db

SHOWN = ["The mayor opened the bridge.", "It cost", "Он стоил", "Traffic starts in May."]  # pairs 1 to 3
NOT_SHOWN = ["The opposition called it a waste.", "Critics were detained", PENDING_REASON, "Ivanov", "Петров",
             DISMISSED_REASON, "The end."]


def link_to(story, owner, scope=ShareScope.CONFIRMED, chosen=(), notes=False) -> str:
    return sharing.token_for(sharing.create_link(story, owner, scope, 7, chosen, notes=notes))


def open_link(client, token, route="shared"):
    return client.get(reverse(route, args=[token]))


def text_of(response) -> str:
    return response.content.decode()


def test_anyone_with_the_link_sees_the_confirmed_divergence_with_the_pairs_around_it(client, story, owner):
    response = open_link(client, link_to(story, owner))
    assert response.status_code == 200
    html = text_of(response)
    assert TITLE in html
    assert all(text in html for text in SHOWN)
    assert not [text for text in NOT_SHOWN if text in html]
    assert '<mark class="kind-number" title="Number">42</mark>' in html
    assert "Pairs 4–8 not shown" in html


def test_the_page_has_no_edit_controls_no_scripts_and_nothing_that_needs_a_login(client, story, owner):
    html = text_of(open_link(client, link_to(story, owner)))
    for absent in ("<form", "<script", "hx-", "csrf", "<button", "/stories/", "/accounts/", "/api/"):
        assert absent not in html, absent
    assert str(story.code) not in html and story.code.hex not in html


def test_it_names_no_one_and_shows_notes_only_when_the_owner_chose_to(client, story, owner):
    plain = text_of(open_link(client, link_to(story, owner)))
    assert owner.username not in plain and CONFIRMED_NOTE not in plain and "Mistranslation" not in plain
    with_notes = text_of(open_link(client, link_to(story, owner, notes=True)))
    assert CONFIRMED_NOTE in with_notes and "Mistranslation" in with_notes and owner.username not in with_notes


def test_it_shows_the_chosen_divergences_and_no_other_even_when_confirmed(client, story, owner):
    html = text_of(open_link(client, link_to(story, owner, ShareScope.CHOSEN, [divergence(story, "only_en").pk])))
    assert PENDING_REASON in html and "Critics were detained" in html
    assert "The opposition called it a waste." in html and "The weather was fine." in html  # pairs 4 and 6
    assert "Pairs 1–3 not shown" in html and "Pairs 7–8 not shown" in html
    assert "It cost" not in html and "42 in English" not in html


def test_it_is_sent_as_a_page_no_one_indexes_caches_or_follows_back(client, story, owner):
    for route in ("shared", "shared_print"):
        response = open_link(client, link_to(story, owner), route)
        assert response["Referrer-Policy"] == "no-referrer"
        assert response["X-Robots-Tag"] == "noindex, nofollow"
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_every_opening_goes_into_the_audit_log(client, story, owner, other_user):
    token = link_to(story, owner)
    link = ShareLink.objects.get()
    open_link(client, token)
    open_link(client, token, "shared_print")
    client.force_login(other_user)
    open_link(client, token)
    entries = AuditEntry.objects.filter(action=AuditAction.SHARE_OPEN).order_by("pk")
    assert [(e.user, e.via, e.object_code, e.summary["link"], e.summary["page"]) for e in entries] == [
        (None, "link", str(story.code), str(link.code), "view"),
        (None, "link", str(story.code), str(link.code), "print"),
        (other_user, "link", str(story.code), str(link.code), "view"),
    ]
    link.refresh_from_db()
    assert link.opens == 3


def tampered(token):
    return token[:-2] + ("xx" if not token.endswith("xx") else "yy")


@pytest.mark.parametrize("spoil", [
    lambda link, token: sharing.revoke(link, None) and token,
    lambda link, token: ShareLink.objects.filter(pk=link.pk).update(expires=timezone.now()) and token,
    lambda link, token: tampered(token),
    lambda link, token: token.split(".")[0],
], ids=["revoked", "expired", "tampered", "unsigned"])
@pytest.mark.parametrize("route", ["shared", "shared_print"])
def test_a_link_that_does_not_work_is_a_404_that_says_nothing(client, story, owner, spoil, route):
    token = link_to(story, owner)
    response = open_link(client, spoil(ShareLink.objects.get(), token), route)
    assert response.status_code == 404
    assert TITLE not in text_of(response) and "bridge" not in text_of(response)
    assert not AuditEntry.objects.filter(action=AuditAction.SHARE_OPEN).exists()


def test_a_link_shows_what_is_confirmed_when_it_is_opened(client, story, owner):
    token = link_to(story, owner)
    divergence(story, "number").__class__.objects.filter(pk=divergence(story, "number").pk).update(
        verdict=Verdict.DISMISSED)
    html = text_of(open_link(client, token))
    assert "There is no divergence to show" in html and "It cost" not in html


def test_while_the_story_runs_again_the_link_shows_nothing_of_it(client, story, owner):
    token = link_to(story, owner)
    Job.objects.create(story=story, status=JobStatus.QUEUED)
    response = open_link(client, token)
    assert response.status_code == 200
    assert "being processed again" in text_of(response) and "It cost" not in text_of(response)


def test_the_printable_page_gives_both_sources_upload_times_and_checksums(client, story, owner):
    html = text_of(open_link(client, link_to(story, owner), "shared_print"))
    assert "What one edition omits" in html
    assert 'href="https://example.org/en/bridge"' in html and 'href="https://example.org/ru/most"' in html
    assert html.count(f'<time datetime="{story.created.isoformat()}"') == 2
    for language in ("en", "ru"):
        text = story.documents.get(language=language).text
        assert hashlib.sha256(text.encode()).hexdigest() in html
    assert "NFC" in html and "hashlib.sha256" in html
    assert "draft-from-the-desk.html" not in html  # a file's name is its owner's, not the link's
    assert all(text in html for text in SHOWN) and not [text for text in NOT_SHOWN if text in html]
    assert re.search(r"<form|<script|hx-", html) is None


def test_the_owners_printable_page_lists_every_confirmed_divergence_with_file_names_and_notes(client, story, owner):
    story.pairs.get(order=4).divergences.update(verdict=Verdict.CONFIRMED)
    client.force_login(owner)
    response = client.get(reverse("story_evidence", args=[story.code]))
    html = text_of(response)
    assert response.status_code == 200
    assert "The Russian edition</strong> leaves out 1 English sentence, in 1 passage" in html
    assert "1 other difference" in html
    assert "draft-from-the-desk.html" in html and CONFIRMED_NOTE in html
    assert "Critics were detained" in html and "It cost" in html and "Ivanov" not in html
