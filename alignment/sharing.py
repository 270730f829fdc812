"""Shared links to a story: made and revoked by its owner, opened by anyone who holds one, each step in the audit log.

A link's address carries its code signed with the site's SECRET_KEY (django.core.signing, with a salt of its own),
so that no one can make up or guess an address: a code without its signature, or with a signature that does not
match, finds nothing. Rotating SECRET_KEY (without SECRET_KEY_FALLBACKS) ends every link. Whether a link still
works is the row's to say (revoked, expired), checked on every opening.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import timedelta

from django.core import signing
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from alignment import audit
from alignment.models import AuditAction, Divergence, ShareLink, ShareScope, Story, Verdict
from alignment.results import StoryResults

SALT = "sverka.share-link"
EXPIRY_DAYS = (1, 7, 30, 90)  # what the owner chooses from


class SharingError(Exception):
    """What the owner asked for cannot be shared, in words for them."""


def _signer() -> signing.Signer:
    # "." keeps the address free of ":"; it is not among the signature's characters.
    return signing.Signer(salt=SALT, sep=".")


def token_for(link: ShareLink) -> str:
    return _signer().sign(link.code.hex)


def find_link(token: str) -> ShareLink | None:
    """The working link the token names, with its story and the story's owner; None for a token that is tampered
    with or made up, and for a link that is revoked or expired, so that all of these look the same to whoever asks."""
    try:
        code = uuid.UUID(hex=_signer().unsign(token))
    except (signing.BadSignature, ValueError):
        return None
    return ShareLink.objects.working().select_related("story__owner").filter(code=code).first()


def create_link(story: Story, user, scope: str, days: int, divergence_ids: Iterable[int] = (), notes: bool = False,
                label: str = "", via: str = "page") -> ShareLink:
    """A new link to ``story`` for ``days`` days, showing its confirmed divergences, or those chosen (which must be
    the story's)."""
    if days not in EXPIRY_DAYS:
        raise SharingError(f"A link works for {', '.join(map(str, EXPIRY_DAYS))} days.")
    chosen = set(divergence_ids)
    if scope == ShareScope.CHOSEN:
        found = set(Divergence.objects.filter(pk__in=chosen, pair__story=story).values_list("pk", flat=True))
        if not chosen:
            raise SharingError("Choose at least one divergence to share.")
        if found != chosen:
            raise SharingError("Some of the chosen divergences are no longer in the story: reload the page.")
    elif scope != ShareScope.CONFIRMED:
        raise SharingError("Share the confirmed divergences, or the ones you choose.")
    with transaction.atomic():
        link = ShareLink.objects.create(story=story, scope=scope, notes=notes, label=label.strip(),
                                        expires=timezone.now() + timedelta(days=days))
        if scope == ShareScope.CHOSEN:
            link.divergences.set(chosen)
        audit.record(AuditAction.SHARE, story, user, via, link=str(link.code), scope=scope, days=days,
                     divergences=len(chosen) if scope == ShareScope.CHOSEN else None, notes=notes)
    return link


def revoke(link: ShareLink, user, via: str = "page") -> bool:
    """Stop the link at once. False when it was stopped already."""
    with transaction.atomic():
        stopped = ShareLink.objects.filter(pk=link.pk, revoked__isnull=True).update(revoked=timezone.now())
        if stopped:
            audit.record(AuditAction.UNSHARE, link.story, user, via, link=str(link.code))
    link.refresh_from_db(fields=["revoked"])
    return bool(stopped)


def record_opening(link: ShareLink, user, page: str) -> None:
    """One opening of the link, in the audit log (who, if someone logged in; no address is kept, as for every
    entry) and in the link's count."""
    now = timezone.now()
    with transaction.atomic():
        ShareLink.objects.filter(pk=link.pk).update(opens=F("opens") + 1, last_opened=now)
        audit.record(AuditAction.SHARE_OPEN, link.story, user, "link", link=str(link.code), page=page)


def confirmed(results: StoryResults) -> set[int]:
    """The ids of the story's confirmed divergences."""
    return {d.pk for pair in results.pairs for d in pair.divergences if d.verdict == Verdict.CONFIRMED}


def shown_divergences(link: ShareLink, results: StoryResults) -> set[int]:
    """The ids of the divergences the link shows now, among the story's results."""
    if link.scope == ShareScope.CONFIRMED:
        return confirmed(results)
    present = {d.pk for pair in results.pairs for d in pair.divergences}
    return set(link.divergences.values_list("pk", flat=True)) & present
