from datetime import timedelta

import pytest
from django.contrib import admin
from django.contrib.admin.utils import quote
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alignment import stories, tokens
from alignment.models import (
    Collection, CollectionFurniture, FurnitureSource, GlossaryEntry, GlossaryRecheck, ImportBatch, ImportItem,
    ImportItemStatus,
    ApiToken, AuditAction, AuditEntry, Divergence, Document, Edit, EditAction, Job, JobStatus, Language, Pair,
    PendingFile, Sentence, ShareLink, Story, Verdict,
)

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
ALIGNMENT_MODELS = [Story, Document, Sentence, Pair, Divergence, Job]


def make_rows(owner, count, title="Story {n}", kinds="number"):
    """Stories with a document per side, a job, one pair of two sentences and a divergence: every model's
    list gets rows, without running the pipeline."""
    made = []
    for n in range(count):
        story = stories.create_story(
            owner, title.format(n=n), stories.SideInput("The talks failed.", file_name="en.txt"),
            stories.SideInput("Переговоры провалились.", encoding="utf-8"),
        )
        pair = Pair.objects.create(story=story, order=0, score=0.9, similarity=0.8, kinds=kinds)
        for doc in story.documents.all():
            Sentence.objects.create(
                document=doc, pair=pair, language=doc.language, index=0, text=doc.text, start=0, end=len(doc.text)
            )
        if kinds:
            for kind in kinds.split(","):
                Divergence.objects.create(pair=pair, kind=kind, severity=0.5, reason=f"{kind} differs")
        made.append(story)
    return made


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def everything(owner, staff, no_broker):
    """At least one row of every registered model."""
    make_rows(owner, 1)
    Group.objects.create(name="editors")
    tokens.issue(staff)
    collection = Collection.objects.create(owner=owner, name="A collection", outlet="Meduza")
    collection.stories.add(*Story.objects.all())
    batch = ImportBatch.objects.create(collection=collection, owner=owner, source=ImportBatch.Source.MANIFEST,
                                       file_name="manifest.csv")
    ImportItem.objects.create(batch=batch, row=2, name="A row", status=ImportItemStatus.FAILED,
                              reason="The English file is empty.")
    CollectionFurniture.objects.create(collection=collection, language="en", key="k" * 64, text="Subscribe.",
                                       source=FurnitureSource.LEARNED, stories=3)
    PendingFile.objects.create(owner=owner, file_name="kept.html", data=b"<p>Kept.</p>")
    GlossaryEntry.objects.create(owner=owner, collection=collection, en="Meduza", ru="Медуза", ru_variants=["«Медуза»"])
    GlossaryRecheck.objects.create(owner=owner, collection=collection, total=1, done=1, status="done")
    story = Story.objects.first()
    link = ShareLink.objects.create(story=story, scope="chosen", expires=story.created + timedelta(days=7))
    link.divergences.set(Divergence.objects.filter(pair__story=story))


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def changelist(client, model, query=""):
    response = client.get(admin_url(model, "changelist") + query)
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("model", list(admin.site._registry), ids=lambda m: m._meta.label)
def test_every_admin_page_loads_for_a_superuser(staff_client, everything, model):
    obj = model._default_manager.first()
    assert obj is not None, f"no {model._meta.label} row to open"
    writable = 403 if model is AuditEntry else 200  # the audit log is read-only, to a superuser too
    # Tokens are made by manage.py api_token, kept files by the upload form, shared links by their story's owner,
    # glossary re-checks by a change to a glossary.
    addable = 403 if model in (AuditEntry, ApiToken, PendingFile, ShareLink, GlossaryRecheck) else 200
    assert staff_client.get(admin_url(model, "changelist")).status_code == 200
    assert staff_client.get(admin_url(model, "add")).status_code == addable
    assert staff_client.get(admin_url(model, "change", quote(obj.pk))).status_code == 200
    assert staff_client.get(admin_url(model, "delete", quote(obj.pk))).status_code == writable


def test_every_alignment_model_is_registered():
    assert set(ALIGNMENT_MODELS) <= set(admin.site._registry)


@pytest.mark.parametrize("model", ALIGNMENT_MODELS, ids=lambda m: m.__name__)
def test_change_lists_cost_the_same_queries_for_3_and_20_stories(staff_client, owner, no_broker, model):
    counts = []
    for batch in (3, 17):
        make_rows(owner, batch, kinds="name,number")
        with CaptureQueriesContext(connection) as queries:
            response = changelist(staff_client, model)
        counts.append(len(queries))
        assert response.context["cl"].result_count == model.objects.count()
    assert counts[0] == counts[1]


def rerun_action(client, stories_chosen, confirmed=True):
    form = {"action": "rerun_pipeline", "_selected_action": [s.pk for s in stories_chosen]}
    return client.post(admin_url(Story, "changelist"), {**form, "post": "yes"} if confirmed else form, follow=True)


def finished(*chosen):
    """The stories' jobs done, as if a worker had run them."""
    Job.objects.filter(story__in=chosen).update(status=JobStatus.DONE)


def test_the_rerun_action_queues_a_job_for_each_selected_story(
    staff_client, owner, no_broker, django_capture_on_commit_callbacks
):
    first, second, left_alone = make_rows(owner, 3)
    finished(first, second, left_alone)
    with django_capture_on_commit_callbacks(execute=True):
        response = rerun_action(staff_client, [first, second])
    assert "Queued a new job for 2 stories." in response.content.decode()
    assert (first.jobs.count(), second.jobs.count(), left_alone.jobs.count()) == (2, 2, 1)
    assert set(no_broker) == {first.latest_job().pk, second.latest_job().pk}


def test_the_rerun_action_asks_first_saying_what_each_run_discards(staff_client, owner, no_broker):
    reviewed, untouched, waiting = make_rows(owner, 3, kinds="name,number")
    finished(reviewed, untouched)
    job = reviewed.latest_job()
    Edit.objects.create(story=reviewed, job=job, user=owner, action=EditAction.MERGE, summary="Merged pairs 1-2")
    Edit.objects.create(story=reviewed, job=job, user=owner, action=EditAction.SPLIT, summary="Split", undone=True)
    Divergence.objects.filter(pair__story=reviewed, kind="name").update(verdict=Verdict.CONFIRMED, note="Checked.")
    Divergence.objects.filter(pair__story=reviewed, kind="number").update(verdict=Verdict.DISMISSED)
    # A corrected pair a reviewer unlocked is at risk, with its verdicts and notes; a locked one is kept.
    reviewed.pairs.update(manual=True, locked=False)
    untouched.pairs.update(locked=True)
    response = rerun_action(staff_client, [reviewed, untouched, waiting], confirmed=False)
    assert response.templates[0].name == "admin/alignment/story/rerun_confirmation.html"
    rows = {p.story: str(p) for p in response.context["previews"]}
    assert rows == {
        reviewed: "Puts at risk 1 correction, 2 verdicts, 1 note",
        untouched: "Puts no correction, verdict or note at risk; keeps 1 locked pair",
        waiting: "Skipped: a job is already waiting or running",
    }
    content = response.content.decode()
    assert all(f"<td>{row}</td>" in content for row in rows.values())
    assert 'name="post" value="yes"' in content
    assert content.count('name="_selected_action"') == 3
    # Asking changes nothing.
    assert Job.objects.count() == 3 and not no_broker and not LogEntry.objects.exists()


def test_confirming_queues_one_job_per_idle_story_and_skips_the_busy_ones(
    staff_client, staff, owner, no_broker, django_capture_on_commit_callbacks
):
    idle, running, waiting = make_rows(owner, 3, title="Story “{n}”")
    finished(idle)
    Job.objects.filter(story=running).update(status=JobStatus.RUNNING)
    with django_capture_on_commit_callbacks(execute=True):
        response = rerun_action(staff_client, [idle, running, waiting])
    assert (idle.jobs.count(), running.jobs.count(), waiting.jobs.count()) == (2, 1, 1)
    assert no_broker == [idle.latest_job().pk]
    shown = [str(m) for m in response.context["messages"]]
    assert shown == [
        "Queued a new job for 1 story.",
        "Skipped 2 stories with a job already waiting or running: “Story “1””, “Story “2””.",
    ]


def test_a_rerun_from_the_admin_is_in_the_admin_history_the_story_history_and_the_audit_log(
    staff_client, staff, owner, no_broker
):
    story, busy = make_rows(owner, 2)
    finished(story)
    AuditEntry.objects.all().delete()
    rerun_action(staff_client, [story, busy])
    logged = LogEntry.objects.get()
    assert (logged.object_id, logged.user, logged.action_flag) == (str(story.pk), staff, CHANGE)
    assert logged.get_change_message() == "Re-ran the pipeline"
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.object_code, entry.user, entry.via) == (
        AuditAction.RERUN, str(story.code), staff, "admin",
    )
    assert story.edits.get(action=EditAction.RERUN).user == staff
    assert not busy.edits.exists()


def test_staff_who_may_only_view_stories_can_neither_see_nor_run_the_rerun_action(
    client, django_user_model, owner, no_broker
):
    (story,) = make_rows(owner, 1)
    finished(story)
    viewer = django_user_model.objects.create_user("vera", password="pw-vera-123456", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_story"))
    client.force_login(viewer)
    action_form = changelist(client, Story).context["action_form"]  # None: no action is left to offer
    assert action_form is None or "rerun_pipeline" not in dict(action_form.fields["action"].choices)
    for confirmed in (False, True):
        response = rerun_action(client, [story], confirmed=confirmed)
        assert response.status_code == 200 and "rerun_confirmation" not in response.templates[0].name
    assert story.jobs.count() == 1 and not no_broker and not LogEntry.objects.exists()
    assert not AuditEntry.objects.filter(action=AuditAction.RERUN).exists()


def test_a_story_title_is_escaped_everywhere_it_appears(staff_client, owner, no_broker):
    story, = make_rows(owner, 1, title=SCRIPT)
    pages = [admin_url(Story, "change", story.pk)] + [admin_url(m, "changelist") for m in ALIGNMENT_MODELS]
    pages += [admin_url(Pair, "change", story.pairs.get().pk), admin_url(Job, "change", story.jobs.get().pk)]
    for page in pages:
        content = staff_client.get(page).content.decode()
        assert SCRIPT not in content, page
    assert ESCAPED in staff_client.get(admin_url(Story, "changelist")).content.decode()
    assert ESCAPED in staff_client.get(admin_url(Story, "change", story.pk)).content.decode()


def test_a_story_page_links_to_its_pairs_divergences_and_jobs(staff_client, owner, no_broker):
    story, _ = make_rows(owner, 2, kinds="name,number")
    content = staff_client.get(admin_url(Story, "change", story.pk)).content.decode()
    expected = {
        Pair: story.pairs.all(), Divergence: Divergence.objects.filter(pair__story=story), Job: story.jobs.all(),
    }
    for model, rows in expected.items():
        query = f"?story={story.pk}"
        assert f'href="{admin_url(model, "changelist")}{query}"' in content
        cl = changelist(staff_client, model, query).context["cl"]
        assert set(cl.result_list) == set(rows) and len(rows) > 0
    assert "1 pair<" in content and "2 divergences (name 1, number 1)" in content


def test_the_status_filter_finds_stories_by_their_latest_job(staff_client, owner, no_broker):
    waiting, rerun, done = make_rows(owner, 3)
    Job.objects.filter(story__in=[rerun, done]).update(status=JobStatus.DONE)
    stories.rerun(rerun)
    cl = changelist(staff_client, Story, "?status=queued").context["cl"]
    assert set(cl.result_list) == {waiting, rerun}
    cl = changelist(staff_client, Story, "?status=done").context["cl"]
    assert set(cl.result_list) == {done}


def test_the_kind_filter_finds_pairs_with_that_kind_among_others(staff_client, owner, no_broker):
    (both,) = make_rows(owner, 1, kinds="name,number")
    (number,) = make_rows(owner, 1, kinds="number")
    (clean,) = make_rows(owner, 1, kinds="")
    assert {p.story for p in changelist(staff_client, Pair, "?kind=name").context["cl"].result_list} == {both}
    assert {p.story for p in changelist(staff_client, Pair, "?kind=number").context["cl"].result_list} == {
        both, number,
    }
    assert {p.story for p in changelist(staff_client, Pair, "?kind=none").context["cl"].result_list} == {clean}


def test_the_document_list_shows_lengths_not_texts(staff_client, owner, no_broker):
    (story,) = make_rows(owner, 1)
    content = changelist(staff_client, Document).content.decode()
    assert "en.txt" in content and "Переговоры" not in content
    doc = story.document(Language.EN)
    assert f'<td class="field-length">{len(doc.text)}</td>' in content


def test_listed_rows_are_read_only_beneath_their_story_except_a_divergences_verdict(staff_client, owner, no_broker):
    story = make_rows(owner, 1)[0]
    page = staff_client.get(admin_url(Story, "change", story.pk)).content.decode()
    # Documents, jobs and edits show beneath the story as text, with no inputs and no way to add or delete.
    assert 'name="documents-0-file_name"' not in page and 'name="jobs-0-status"' not in page
    assert "en.txt" in page and "documents-__prefix__" not in page and "jobs-__prefix__" not in page  # no blank row
    assert 'name="documents-0-DELETE"' not in page
    pair = Pair.objects.get(story=story)
    page = staff_client.get(admin_url(Pair, "change", pair.pk)).content.decode()
    assert 'name="divergences-0-verdict"' in page and 'name="divergences-0-note"' in page
    assert 'name="divergences-0-reason"' not in page and 'name="divergences-0-DELETE"' not in page
