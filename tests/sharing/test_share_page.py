"""The owner's page of a story's shared links: make one (what it shows, for how long), see each with its address and
how often it was opened, revoke one. Only the owner reaches it (tests/security/test_authz.py walks the rest)."""

import pytest
from django.urls import reverse

from alignment import sharing
from alignment.models import AuditAction, AuditEntry, Job, JobStatus, ShareLink, ShareScope
from tests.sharing.conftest import divergence

pytestmark = pytest.mark.django_db


@pytest.fixture
def page(client, owner):
    client.force_login(owner)
    return client


def share_url(story):
    return reverse("story_share", args=[story.code])


def test_the_story_page_leads_to_its_links_and_its_printable_evidence(page, story):
    html = page.get(story.get_absolute_url()).content.decode()
    assert f'href="{share_url(story)}"' in html
    assert f'href="{reverse("story_evidence", args=[story.code])}"' in html


def test_it_lists_every_divergence_to_choose_from(page, story):
    html = page.get(share_url(story)).content.decode()
    for kind in ("number", "only_en", "name"):
        assert f'name="divergences" value="{divergence(story, kind).pk}"' in html
    assert "None yet." in html


def test_making_a_link_to_the_confirmed_divergences(page, story, owner):
    response = page.post(share_url(story), {"scope": "confirmed", "days": "30", "label": "For the desk"})
    link = ShareLink.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{share_url(story)}#link-{link.code}"
    assert (link.story, link.scope, link.label, link.notes) == (story, ShareScope.CONFIRMED, "For the desk", False)
    assert AuditEntry.objects.get().action == AuditAction.SHARE
    html = page.get(share_url(story)).content.decode()
    address = "http://testserver" + reverse("shared", args=[sharing.token_for(link)])
    assert f'value="{address}"' in html and "For the desk" in html and "0 times" in html
    assert page.get(address).status_code == 200


def test_making_a_link_to_chosen_divergences_with_notes(page, story):
    chosen = [divergence(story, "only_en").pk, divergence(story, "name").pk]
    page.post(share_url(story), {"scope": "chosen", "divergences": chosen, "days": "1", "notes": "on"})
    link = ShareLink.objects.get()
    assert link.scope == ShareScope.CHOSEN and link.notes
    assert sorted(link.divergences.values_list("pk", flat=True)) == sorted(chosen)
    assert "2 chosen divergences, with your notes" in page.get(share_url(story)).content.decode()


@pytest.mark.parametrize("form, error", [
    ({"scope": "chosen", "days": "7"}, "Choose at least one divergence to share."),
    ({"scope": "confirmed", "days": "365"}, "Select a valid choice."),
    ({"scope": "chosen", "days": "7", "divergences": ["999999"]}, "Select a valid choice."),
])
def test_a_link_that_cannot_be_made_comes_back_with_the_reason(page, story, form, error):
    response = page.post(share_url(story), form)
    assert response.status_code == 400
    assert error in response.content.decode()
    assert not ShareLink.objects.exists() and not AuditEntry.objects.exists()


def test_a_choice_that_comes_back_stays_chosen(page, story):
    chosen = divergence(story, "name").pk
    html = page.post(share_url(story), {"scope": "chosen", "days": "9", "divergences": [chosen]}).content.decode()
    assert f'name="divergences" value="{chosen}" checked' in html


def test_revoking_a_link_stops_it_at_once(page, client, story, owner):
    link = sharing.create_link(story, owner, ShareScope.CONFIRMED, 7)
    token = sharing.token_for(link)
    response = page.post(reverse("share_revoke", args=[story.code, link.code]))
    assert response.status_code == 302 and response["Location"] == share_url(story)
    link.refresh_from_db()
    assert link.revoked is not None
    assert AuditEntry.objects.filter(action=AuditAction.UNSHARE, user=owner).count() == 1
    assert page.get(reverse("shared", args=[token])).status_code == 404
    html = page.get(share_url(story)).content.decode()
    assert "Revoked" in html and token not in html


def test_a_link_of_another_story_cannot_be_revoked_through_this_one(page, story, owner):
    from tests.web.test_views_alignment import build_story

    elsewhere = sharing.create_link(build_story(owner, [(["A."], ["А."], [])]), owner, ShareScope.CONFIRMED, 7)
    assert page.post(reverse("share_revoke", args=[story.code, elsewhere.code])).status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.revoked is None


def test_a_story_without_results_offers_no_new_link(page, story):
    Job.objects.create(story=story, status=JobStatus.RUNNING)
    assert "no results to share yet" in page.get(share_url(story)).content.decode()
    page.post(share_url(story), {"scope": "confirmed", "days": "7"})
    assert not ShareLink.objects.exists()
