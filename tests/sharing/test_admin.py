"""Shared links in the admin: listed for staff, who may revoke one but not make one, and never see its address."""

import pytest
from django.urls import reverse

from alignment import sharing
from alignment.models import ShareLink, ShareScope

pytestmark = pytest.mark.django_db


def test_staff_revoke_a_link_in_the_admin_and_it_stops(client, staff, owner, story):
    link = sharing.create_link(story, owner, ShareScope.CONFIRMED, 7, label="For the desk")
    token = sharing.token_for(link)
    client.force_login(staff)
    listing = client.get(reverse("admin:alignment_sharelink_changelist")).content.decode()
    assert "For the desk" in listing and token not in listing
    change = reverse("admin:alignment_sharelink_change", args=[link.pk])
    page = client.get(change).content.decode()
    assert token not in page and token.split(".")[1] not in page
    form = {"label": "For the desk", "expires_0": link.expires.strftime("%Y-%m-%d"),
            "expires_1": link.expires.strftime("%H:%M:%S"), "revoked_0": "2026-01-01", "revoked_1": "00:00:00"}
    assert client.post(change, form).status_code == 302
    link.refresh_from_db()
    assert link.revoked is not None and sharing.find_link(token) is None
