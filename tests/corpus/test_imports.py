"""Batch import into a collection, through the service, the page and the command line: good items become queued
stories of the collection, bad ones are listed with their reason, and importing again adds nothing twice."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from alignment import jobs
from alignment.corpus import imports
from alignment.ingest.batch import read_manifest, read_zip
from alignment.models import Collection, ImportBatch, ImportItemStatus, Story
from tests.corpus.conftest import pair, zip_of

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
LIMIT = 2 * 1024 * 1024


def good_and_bad_zip() -> bytes:
    en1, ru1 = pair(1)
    en2, ru2 = pair(2)
    return zip_of({
        "first.en.txt": en1, "first.ru.txt": ru1,
        "second.en.md": f"# Second\n\n{en2}", "second.ru.md": f"# Второй\n\n{ru2}",
        "lonely.en.txt": "An English side without its partner.",
        "empty.en.txt": "", "empty.ru.txt": "Текст есть.",
    })


def test_a_zip_becomes_queued_stories_and_its_bad_items_are_listed(owner, collection, no_broker,
                                                                   django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        record = imports.start_import(collection, owner, read_zip("batch.zip", good_and_bad_zip(), LIMIT), "zip",
                                      "batch.zip")
    items = {i.name: i for i in record.items.all()}
    queued = [i for i in items.values() if i.status == ImportItemStatus.QUEUED]
    failed = [i for i in items.values() if i.status == ImportItemStatus.FAILED]
    assert len(queued) == 2 and len(failed) == 2
    assert all(i.reason for i in failed) and any("lonely" in i.name for i in failed)
    assert set(collection.stories.all()) == {i.story for i in queued}
    assert len(no_broker) == 2  # each story's job, sent once the import committed
    progress = imports.progress(record.items.all())
    assert (progress.queued, progress.failed, progress.done) == (2, 2, 0)
    for story in collection.stories.all():
        jobs.run_job(story.jobs.get().pk)
    assert imports.progress(record.items.all()).as_json() == {"queued": 0, "running": 0, "done": 2, "failed": 2}


def test_importing_the_same_batch_again_creates_no_duplicates(owner, collection, no_broker):
    batch = read_zip("batch.zip", good_and_bad_zip(), LIMIT)
    imports.start_import(collection, owner, batch, "zip", "batch.zip")
    other = Collection.objects.create(owner=owner, name="Another")
    again = imports.start_import(other, owner, batch, "zip", "batch.zip")
    assert Story.objects.filter(owner=owner).count() == 2
    duplicates = again.items.filter(status=ImportItemStatus.DUPLICATE)
    assert duplicates.count() == 2 and set(other.stories.all()) == set(collection.stories.all())


def test_pages_in_a_zip_are_read_by_their_stories_jobs_and_known_when_imported_again(owner, collection,
                                                                                    no_broker, monkeypatch):
    from alignment import ingest

    en, ru = pair(3)
    menus = "<html><body><nav><a href='/a'>News</a></nav></body></html>"
    data = zip_of({
        "page.en.html": f"<html><body><article><p>{en}</p></article></body></html>", "page.ru.txt": ru,
        "menus.en.html": menus, "menus.ru.txt": ru + " Ещё одна фраза.",
    })
    read_in_request = []
    monkeypatch.setattr(ingest, "html_to_text", lambda text: read_in_request.append(text))
    record = imports.start_import(collection, owner, read_zip("pages.zip", data, LIMIT), "zip", "pages.zip")
    assert read_in_request == []  # neither the zip's reading nor the import extracted a page
    monkeypatch.undo()
    stories = {i.name: i.story for i in record.items.all()}
    assert set(stories) == {"page", "menus"} and all(stories.values())
    assert stories["page"].document("en").text == "" and stories["page"].document("en").raw is not None

    done, failed = (jobs.run_job(stories[name].jobs.get().pk) for name in ("page", "menus"))
    assert done.status == "done", done.error
    assert stories["page"].document("en").text == en and stories["page"].document("en").raw is None
    assert failed.status == "failed"
    assert failed.error == "The English file: “menus.en.html” contains no article text."
    assert imports.progress(record.items.all()).as_json() == {"queued": 0, "running": 0, "done": 1, "failed": 1}

    again = imports.start_import(collection, owner, read_zip("pages.zip", data, LIMIT), "zip", "pages.zip")
    assert again.items.filter(status=ImportItemStatus.DUPLICATE).count() == 2
    assert Story.objects.filter(owner=owner).count() == 2


def test_the_same_texts_of_another_account_are_not_a_duplicate(owner, other_user, collection, no_broker):
    batch = read_zip("batch.zip", good_and_bad_zip(), LIMIT)
    imports.start_import(collection, owner, batch, "zip")
    theirs = Collection.objects.create(owner=other_user, name="Theirs")
    imports.start_import(theirs, other_user, batch, "zip")
    assert Story.objects.filter(owner=other_user).count() == 2


def test_the_import_page_takes_a_zip_and_shows_its_progress(client, owner, collection, no_broker):
    client.force_login(owner)
    upload = SimpleUploadedFile("batch.zip", good_and_bad_zip(), content_type="application/zip")
    response = client.post(reverse("collection_import", args=[collection.code]), {"file": upload})
    record = ImportBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("import", args=[record.code])
    page = client.get(response["Location"]).content.decode()
    assert "2 queued" in page and "2 failed" in page and 'hx-trigger="every 2s"' in page
    assert "lonely" in page
    for story in collection.stories.all():
        jobs.run_job(story.jobs.get().pk)
    fragment = client.get(response["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert "2 done" in fragment and "every 2s" not in fragment  # finished: it stops polling
    assert "<html" not in fragment


def test_the_import_page_refuses_what_is_no_batch_and_keeps_the_collection(client, owner, collection):
    client.force_login(owner)
    for name, data, said in (("notes.pdf", b"%PDF-1.4", "neither a .zip"), ("broken.zip", b"PK\x03\x04broken", "")):
        response = client.post(reverse("collection_import", args=[collection.code]),
                               {"file": SimpleUploadedFile(name, data)})
        assert response.status_code == 200 and not ImportBatch.objects.exists()
        assert said in response.content.decode() and 'class="field-error"' in response.content.decode()


def test_another_users_collection_and_import_are_404(client, owner, other_user, collection, no_broker):
    record = imports.start_import(collection, owner, read_zip("b.zip", good_and_bad_zip(), LIMIT), "zip")
    client.force_login(other_user)
    for url in (reverse("collection", args=[collection.code]), reverse("collection_import", args=[collection.code]),
                reverse("import", args=[record.code]), reverse("collection_furniture", args=[collection.code])):
        assert client.get(url).status_code == 404, url


def manifest_folder(tmp_path: Path) -> Path:
    for k in (1, 2):
        en, ru = pair(k)
        (tmp_path / f"s{k}.en.txt").write_text(en, encoding="utf-8")
        (tmp_path / f"s{k}.ru.txt").write_text(ru, encoding="utf-8")
    (tmp_path / "manifest.csv").write_text(
        "title,en,ru,published,outlet\n"
        "First story,s1.en.txt,s1.ru.txt,2026-11-02,Meduza\n"
        "Second story,s2.en.txt,s2.ru.txt,,\n"
        "Missing file,nowhere.en.txt,s2.ru.txt,,\n"
        ",s1.en.txt,s1.ru.txt,,\n",
        encoding="utf-8",
    )
    return tmp_path / "manifest.csv"


def run_command(*args: str, env_extra: dict | None = None) -> subprocess.CompletedProcess:
    import os

    from tests.worker_process import database_url

    env = {**os.environ, "DATABASE_URL": database_url(), "DEBUG": "true", "SVERKA_HTTPS": "false",
           "CELERY_BROKER_URL": "memory://", **(env_extra or {})}
    return subprocess.run([sys.executable, "manage.py", "import_pairs", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


@pytest.mark.django_db(transaction=True)
def test_the_command_imports_a_manifest_and_prints_the_contract(owner, tmp_path):
    manifest = manifest_folder(tmp_path)
    done = run_command(str(manifest), "--collection", "November", "--owner", owner.username)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    collection = Collection.objects.get(name="November", owner=owner)
    assert summary["collection"] == collection.pk
    assert (summary["queued"], summary["skipped"]) == (2, 0)
    assert [e["row"] for e in summary["errors"]] == [4, 5] and all(e["reason"] for e in summary["errors"])
    assert set(summary) == {"collection", "queued", "skipped", "errors"}
    first = collection.stories.get(title="First story")
    assert str(first.published) == "2026-11-02" and first.outlet == "Meduza"
    again = run_command(str(manifest), "--collection", "November", "--owner", owner.username)
    assert again.returncode == 1  # nothing queued: both good rows were imported before
    assert json.loads(again.stdout)["skipped"] == 2 and Story.objects.count() == 2


def test_the_command_names_a_missing_manifest_and_owner(owner, tmp_path):
    done = run_command(str(tmp_path / "nope.csv"), "--collection", "X", "--owner", owner.username)
    assert done.returncode != 0 and "nope.csv" in done.stderr
    manifest = manifest_folder(tmp_path)
    done = run_command(str(manifest), "--collection", "X", "--owner", "nobody")
    assert done.returncode != 0 and "nobody" in done.stderr


def test_a_manifest_in_the_browser_takes_text_cells(owner, collection, no_broker):
    en, ru = pair(7)
    data = f"title\ten\tru\nInline\t{en}\t{ru}\n".encode()
    record = imports.start_import(collection, owner, read_manifest("m.tsv", data, None, LIMIT), "manifest")
    item = record.items.get()
    assert item.status == ImportItemStatus.QUEUED and item.story.documents.get(language="ru").text.strip() == ru
