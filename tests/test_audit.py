"""Deleting a story leaves nothing of it behind, and the audit log says who created, deleted or re-ran which
story, when and how (the page, the API, the admin)."""

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse
from django.utils import timezone

from alignment import audit, review, sharing, stories
from alignment.models import (
    ApiToken, AuditAction, AuditEntry, Collection, CollectionFurniture, GlossaryEntry, GlossaryRecheck, ImportBatch,
    ImportItem, PendingFile, ShareLink, Story,
)
from tests.api.test_api import token_client
from tests.conftest import dev_story, make_story

pytestmark = pytest.mark.django_db

TEXTS = (
    "The talks failed on Monday. Both sides left Geneva.",
    "Переговоры провалились в понедельник. Обе стороны покинули Женеву.",
)


# Models that are not a story's data: the log itself, API keys, and the collections a story may belong to (with
# their imports, whose item keeps its row and reason when its story goes, and the furniture a collection learned),
# and the names glossaries of users and collections, with the re-checks of their stories.
NOT_A_STORYS = {AuditEntry, ApiToken, Collection, ImportBatch, ImportItem, CollectionFurniture, PendingFile,
                GlossaryEntry, GlossaryRecheck}


def story_models():
    """Every model of the app that holds a story's data."""
    return [m for m in apps.get_app_config("alignment").get_models() if m not in NOT_A_STORYS]


def rows():
    """The primary keys of every row of every such model."""
    return {m.__name__: set(m._default_manager.values_list("pk", flat=True)) for m in story_models()}


def reviewed_story(owner):
    """A processed story with a row in every model: a Russian sentence is cut so that it has a divergence, and
    a reviewer's verdict on that makes an edit."""
    en, ru, _ = dev_story()
    story = make_story(owner, title="Doomed", en="\n".join(en), ru="\n".join(ru[:3] + ru[4:]))
    divergence = story.pairs.filter(divergences__isnull=False).first().divergences.first()
    review.review_divergence(story, owner, divergence.pk, "confirmed")
    # A link shares it (made straight, so that the log holds only what each test records).
    ShareLink.objects.create(story=story, scope="chosen", expires=timezone.now()).divergences.add(divergence)
    return story


@pytest.fixture
def kept(other_user, no_broker):
    """Another user's story, which no deletion may touch."""
    return make_story(other_user, title="Kept", en=TEXTS[0], ru=TEXTS[1])


def delete_on_the_page(client, story, owner, staff):
    client.force_login(owner)
    assert client.post(reverse("story_delete", args=[story.code])).status_code == 302
    return owner, "page"


def delete_through_the_api(client, story, owner, staff):
    assert token_client(owner).delete(f"/api/stories/{story.code}/").status_code == 204
    return owner, "api"


def delete_in_the_admin(client, story, owner, staff):
    client.force_login(staff)
    response = client.post(reverse("admin:alignment_story_delete", args=[story.pk]), {"post": "yes"})
    assert response.status_code == 302
    return staff, "admin"


def delete_with_the_admin_action(client, story, owner, staff):
    client.force_login(staff)
    response = client.post(
        reverse("admin:alignment_story_changelist"),
        {"action": "delete_selected", "_selected_action": [story.pk], "post": "yes"},
    )
    assert response.status_code == 302
    return staff, "admin"


@pytest.mark.parametrize(
    "delete", [delete_on_the_page, delete_through_the_api, delete_in_the_admin, delete_with_the_admin_action]
)
def test_deleting_a_story_removes_every_row_of_it_and_records_who_did_it(client, kept, owner, staff, delete):
    before = rows()
    story = reviewed_story(owner)
    with_story = rows()
    # The story has rows in every model, so a model its deletion left rows in would show.
    assert [name for name in with_story if not with_story[name] - before[name]] == []
    sentences = len(with_story["Sentence"] - before["Sentence"])
    started = timezone.now()

    user, via = delete(client, story, owner, staff)

    assert rows() == before
    entry = AuditEntry.objects.get(action=AuditAction.DELETE)
    assert (entry.user, entry.username, entry.via) == (user, user.username, via)
    assert (entry.object_type, entry.object_code) == ("story", str(story.code))
    assert started <= entry.when <= timezone.now()
    assert entry.summary["title"] == "Doomed" and entry.summary["owner"] == owner.username
    assert entry.summary["deleted"]["sentence"] == sentences
    assert entry.summary["deleted"]["story"] == 1 and entry.summary["rows"] == sum(entry.summary["deleted"].values())


def test_nothing_of_a_story_is_stored_outside_the_database():
    # A file field would leave its file behind when the row is deleted: stories.delete_story must then remove it.
    for model in story_models():
        assert [f.name for f in model._meta.get_fields() if isinstance(f, models.FileField)] == [], model.__name__


def test_a_deletion_that_fails_keeps_the_story_and_writes_no_entry(owner, no_broker, monkeypatch):
    story = make_story(owner, process=False, en=TEXTS[0], ru=TEXTS[1])

    def broken(*args, **kwargs):
        raise RuntimeError("the log is unavailable")

    monkeypatch.setattr(audit, "record", broken)
    with pytest.raises(RuntimeError):
        stories.delete_story(story, owner, "page")
    story = Story.objects.get(code=story.code)
    assert story.documents.count() == 2 and story.jobs.count() == 1
    assert not AuditEntry.objects.filter(action=AuditAction.DELETE).exists()


# ------------------------------------------------------------------------------------------------ creating


def test_creating_a_story_on_the_page_is_recorded(client, owner, no_broker):
    client.force_login(owner)
    response = client.post(reverse("upload"), {"title": "New", "en_text": TEXTS[0], "ru_text": TEXTS[1]})
    assert response.status_code == 302
    story = Story.objects.get()
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.user, entry.via) == (AuditAction.CREATE, owner, "page")
    assert entry.object_code == str(story.code)
    assert entry.summary == {
        "title": "New", "owner": owner.username, "en_chars": len(TEXTS[0]), "ru_chars": len(TEXTS[1]),
    }


def test_creating_a_story_through_the_api_is_recorded(owner, no_broker):
    response = token_client(owner).post(
        "/api/stories/", {"title": "By API", "en": TEXTS[0], "ru": TEXTS[1]}, content_type="application/json"
    )
    assert response.status_code == 201
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.user, entry.via) == (AuditAction.CREATE, owner, "api")
    assert entry.object_code == response.json()["id"]


def test_creating_a_story_in_the_admin_is_recorded(client, owner, staff):
    client.force_login(staff)
    inlines = {f"{name}-{n}": 0 for name in ("documents", "jobs", "edits") for n in ("TOTAL_FORMS", "INITIAL_FORMS")}
    form = {"title": "From the admin", "owner": owner.pk, **inlines}
    response = client.post(reverse("admin:alignment_story_add"), form)
    assert response.status_code == 302
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.user, entry.via) == (AuditAction.CREATE, staff, "admin")
    assert entry.object_code == str(Story.objects.get().code) and entry.summary["owner"] == owner.username


def test_a_refused_upload_records_nothing(client, owner, no_broker):
    client.force_login(owner)
    client.post(reverse("upload"), {"title": "Same language", "en_text": TEXTS[1], "ru_text": TEXTS[1]})
    assert not Story.objects.exists() and not AuditEntry.objects.exists()


# ------------------------------------------------------------------------------------------------ running again


@pytest.fixture
def done(owner, no_broker):
    story = make_story(owner, title="Done", en=TEXTS[0], ru=TEXTS[1])
    AuditEntry.objects.all().delete()  # the creation's entry
    return story


def test_running_a_story_again_on_the_page_is_recorded(client, owner, done):
    client.force_login(owner)
    assert client.post(reverse("story_retry", args=[done.code])).status_code == 302
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.user, entry.via) == (AuditAction.RERUN, owner, "page")
    assert entry.object_code == str(done.code)


def test_running_a_story_again_through_the_api_is_recorded(owner, done):
    assert token_client(owner).post(f"/api/stories/{done.code}/retry/").status_code == 202
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.user, entry.via) == (AuditAction.RERUN, owner, "api")


def test_running_stories_again_with_the_admin_action_is_recorded(client, staff, done, kept):
    AuditEntry.objects.all().delete()
    client.force_login(staff)
    client.post(
        reverse("admin:alignment_story_changelist"),
        {"action": "rerun_pipeline", "_selected_action": [done.pk, kept.pk], "post": "yes"},
    )
    entries = list(AuditEntry.objects.all())
    assert sorted(e.object_code for e in entries) == sorted([str(done.code), str(kept.code)])
    assert {(e.action, e.user, e.via) for e in entries} == {(AuditAction.RERUN, staff, "admin")}


def test_a_run_refused_for_want_of_confirmation_records_nothing(client, owner, no_broker):
    story = reviewed_story(owner)
    client.force_login(owner)
    assert client.post(reverse("story_retry", args=[story.code])).status_code == 409
    assert not AuditEntry.objects.exclude(action=AuditAction.CREATE).exists()


# ------------------------------------------------------------------------------------------------ the log itself


def test_an_entry_outlives_its_user(owner, other_user, done):
    entry = audit.record(AuditAction.RERUN, done, other_user, "page")
    other_user.delete()
    entry.refresh_from_db()
    assert entry.user is None and entry.username == "boris"


def test_the_admin_shows_the_log_and_lets_no_one_change_it(client, staff, done):
    entry = audit.record(AuditAction.RERUN, done, staff, "admin")
    client.force_login(staff)
    listing = client.get(reverse("admin:alignment_auditentry_changelist"))
    assert listing.status_code == 200 and str(done.code) in listing.content.decode()
    page = client.get(reverse("admin:alignment_auditentry_change", args=[entry.pk]))
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert client.post(reverse("admin:alignment_auditentry_change", args=[entry.pk]), {"via": "api"}).status_code == 403
    assert client.get(reverse("admin:alignment_auditentry_add")).status_code == 403
    delete = reverse("admin:alignment_auditentry_delete", args=[entry.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    entry.refresh_from_db()
    assert entry.via == "admin"


def test_deleting_a_user_records_the_deletion_of_each_of_their_stories(django_user_model):
    from alignment.models import (
    ApiToken, AuditAction, AuditEntry, Collection, CollectionFurniture, ImportBatch, ImportItem, PendingFile, Story,
)

    user = django_user_model.objects.create_user("leaving", password="x-password-123")
    codes = {str(Story.objects.create(owner=user, title=f"Story {i}").code) for i in range(2)}
    user.delete()
    entries = AuditEntry.objects.filter(action=AuditAction.DELETE, object_code__in=codes)
    assert {e.object_code for e in entries} == codes
    assert {e.summary["deleted_with_user"] for e in entries} == {"leaving"}
    assert not Story.objects.filter(owner_id=user.pk).exists()
    assert {e.via for e in entries} == {"account"}


# ------------------------------------------------------------------------------------------------ shared links


def test_sharing_a_story_opening_its_link_and_revoking_it_are_recorded(client, owner, done):
    client.force_login(owner)
    client.post(reverse("story_share", args=[done.code]), {"scope": "confirmed", "days": "7"})
    link = ShareLink.objects.get()
    client.logout()
    client.get(reverse("shared", args=[sharing.token_for(link)]))
    client.force_login(owner)
    client.post(reverse("share_revoke", args=[done.code, link.code]))
    entries = AuditEntry.objects.order_by("pk")
    assert [(e.action, e.username, e.via, e.object_code) for e in entries] == [
        (AuditAction.SHARE, owner.username, "page", str(done.code)),
        (AuditAction.SHARE_OPEN, "", "link", str(done.code)),
        (AuditAction.UNSHARE, owner.username, "page", str(done.code)),
    ]
    assert {e.summary["link"] for e in entries} == {str(link.code)}
