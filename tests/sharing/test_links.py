"""Making, finding and revoking shared links (alignment.sharing): the signed token, and what a link shows."""

import uuid
from datetime import timedelta

import pytest
from django.core import signing
from django.utils import timezone

from alignment import sharing
from alignment.models import AuditAction, AuditEntry, ShareLink, ShareScope, Verdict
from alignment.results import load_results
from tests.sharing.conftest import divergence
from tests.web.test_views_alignment import build_story

pytestmark = pytest.mark.django_db


def test_a_token_carries_the_links_code_signed_not_its_number(story, owner):
    link = sharing.create_link(story, owner, ShareScope.CONFIRMED, 7)
    token = sharing.token_for(link)
    code, signature = token.split(".")
    assert code == link.code.hex and str(link.pk) != code and len(signature) >= 40
    assert sharing.find_link(token) == link


@pytest.mark.parametrize("tamper", [
    lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),  # the signature changed
    lambda token: uuid.uuid4().hex + token[32:],  # another code with this link's signature
    lambda token: token.split(".")[0],  # the code alone
    lambda token: "not-a-token",
    lambda token: signing.Signer(salt="another purpose", sep=".").sign(token.split(".")[0]),  # signed for another use
])
def test_a_token_tampered_with_finds_nothing(story, owner, tamper):
    token = sharing.token_for(sharing.create_link(story, owner, ShareScope.CONFIRMED, 7))
    assert sharing.find_link(tamper(token)) is None


def test_a_well_signed_token_of_no_link_finds_nothing(story, owner):
    link = ShareLink(story=story, expires=timezone.now() + timedelta(days=1))  # never saved
    assert sharing.find_link(sharing.token_for(link)) is None


def test_a_revoked_an_expired_and_an_inactive_owners_link_find_nothing(story, owner):
    revoked, expired, kept = (sharing.create_link(story, owner, ShareScope.CONFIRMED, 7) for _ in range(3))
    sharing.revoke(revoked, owner)
    ShareLink.objects.filter(pk=expired.pk).update(expires=timezone.now() - timedelta(seconds=1))
    assert [sharing.find_link(sharing.token_for(link)) for link in (revoked, expired, kept)] == [None, None, kept]
    owner.is_active = False
    owner.save()
    assert sharing.find_link(sharing.token_for(kept)) is None


def test_making_a_link_records_it_and_sets_its_expiry(story, owner):
    before = timezone.now()
    link = sharing.create_link(story, owner, ShareScope.CHOSEN, 30, [divergence(story, "only_en").pk], notes=True,
                               label="For the desk")
    assert timedelta(days=30) <= link.expires - before <= timedelta(days=30, seconds=5)
    assert list(link.divergences.all()) == [divergence(story, "only_en")]
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.user, entry.via, entry.object_code) == (AuditAction.SHARE, owner, "page",
                                                                        str(story.code))
    assert entry.summary["link"] == str(link.code) and entry.summary["divergences"] == 1


@pytest.mark.parametrize("scope, days, chosen, message", [
    (ShareScope.CHOSEN, 7, [], "Choose at least one"),
    (ShareScope.CONFIRMED, 365, [], "days"),
    ("everything", 7, [], "confirmed divergences, or the ones you choose"),
])
def test_it_refuses_what_cannot_be_shared(story, owner, scope, days, chosen, message):
    with pytest.raises(sharing.SharingError, match=message):
        sharing.create_link(story, owner, scope, days, chosen)
    assert not ShareLink.objects.exists() and not AuditEntry.objects.exists()


def test_it_refuses_to_share_another_storys_divergence(story, owner):
    other = build_story(owner, [(["A."], [], [])])
    stranger = other.pairs.get().divergences.create(kind="only_en", severity=0.5, reason="x")
    with pytest.raises(sharing.SharingError, match="no longer in the story"):
        sharing.create_link(story, owner, ShareScope.CHOSEN, 7, [divergence(story, "only_en").pk, stranger.pk])
    assert not ShareLink.objects.exists()


def test_revoking_twice_records_it_once(story, owner):
    link = sharing.create_link(story, owner, ShareScope.CONFIRMED, 7)
    assert sharing.revoke(link, owner) is True
    assert sharing.revoke(link, owner) is False
    assert link.revoked is not None and link.state == "revoked"
    assert AuditEntry.objects.filter(action=AuditAction.UNSHARE).count() == 1


def test_the_confirmed_scope_follows_the_verdicts_as_they_are_now(story, owner):
    link = sharing.create_link(story, owner, ShareScope.CONFIRMED, 7)
    assert sharing.shown_divergences(link, load_results(story)) == {divergence(story, "number").pk}
    story.pairs.get(order=4).divergences.update(verdict=Verdict.CONFIRMED)
    story.pairs.get(order=1).divergences.update(verdict=Verdict.DISMISSED)
    assert sharing.shown_divergences(link, load_results(story)) == {divergence(story, "only_en").pk}


def test_a_chosen_divergence_that_is_gone_drops_out_of_its_link(story, owner):
    chosen = [divergence(story, "only_en").pk, divergence(story, "name").pk]
    link = sharing.create_link(story, owner, ShareScope.CHOSEN, 7, chosen)
    assert sharing.shown_divergences(link, load_results(story)) == set(chosen)
    story.pairs.get(order=6).delete()  # as a correction replaces a pair and its divergences
    assert sharing.shown_divergences(link, load_results(story)) == {chosen[0]}


def test_an_opening_is_counted_and_recorded_with_whoever_is_logged_in(story, owner):
    from django.contrib.auth.models import AnonymousUser

    link = sharing.create_link(story, owner, ShareScope.CONFIRMED, 7)
    sharing.record_opening(link, AnonymousUser(), "view")
    sharing.record_opening(link, owner, "print")
    link.refresh_from_db()
    assert link.opens == 2 and link.last_opened is not None
    entries = AuditEntry.objects.filter(action=AuditAction.SHARE_OPEN).order_by("pk")
    assert [(e.user, e.via, e.summary["page"], e.summary["link"]) for e in entries] == [
        (None, "link", "view", str(link.code)), (owner, "link", "print", str(link.code))]
