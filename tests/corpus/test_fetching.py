"""An import item given by addresses: a worker fetches both pages, keeps what each page says of itself, and makes
the story; a page that cannot be fetched fails the item with the reason, and the rest of the batch goes on."""

import pytest

from alignment.corpus import fetching, imports
from alignment.ingest.batch import read_manifest
from alignment.models import ImportItemStatus, Story
from tests.ingest.fetch_site import ARTICLE, RU_ARTICLE, dns, site  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db
LIMIT = 2 * 1024 * 1024


def manifest(rows: list[str]) -> bytes:
    return ("title,en,ru,published\n" + "\n".join(rows) + "\n").encode()


def test_a_worker_fetches_an_items_pages_and_makes_its_story(site, owner, collection, no_broker, monkeypatch):
    site.page("/en", ARTICLE)
    site.page("/ru", RU_ARTICLE.encode("cp1251"), content_type="text/html")
    site.page("/gone", "Not here", status=404)
    sent = []
    monkeypatch.setattr(imports, "enqueue_fetch", sent.append)
    batch = read_manifest("m.csv", manifest([
        f"Floods,{site.url('/en')},{site.url('/ru')},2026-03-05",
        f"Gone,{site.url('/gone')},{site.url('/ru')},",
    ]), None, LIMIT)
    record = imports.start_import(collection, owner, batch, "manifest")
    items = list(record.items.order_by("row"))
    assert [i.status for i in items] == [ImportItemStatus.FETCHING] * 2
    assert imports.progress(record.items.all()).queued == 2  # waiting to be fetched
    assert [fetching.fetch_item(i.pk) for i in items] == ["queued", "failed"]
    assert fetching.fetch_item(items[0].pk) == ""  # a second message does nothing
    first, gone = list(record.items.order_by("row"))
    story = first.story
    en = story.documents.get(language="en")
    assert en.source_url == site.url("/en") and en.author == "Jane Roe" and "Odesa" in en.text
    assert en.page_title == "Floods close the port" and str(story.published) == "2026-03-05"
    assert "Наводнение" in story.documents.get(language="ru").text or "Одессы" in story.documents.get(language="ru").text
    assert story in collection.stories.all()
    assert gone.status == ImportItemStatus.FAILED and "English page" in gone.reason and "404" in gone.reason
    again = imports.start_import(collection, owner, batch, "manifest")
    assert again.items.filter(status=ImportItemStatus.DUPLICATE).count() == 1  # known by its two addresses
    assert Story.objects.count() == 1


def test_a_page_file_beside_an_address_waits_with_its_item_and_is_read_by_the_story_job(site, owner, collection,
                                                                                      no_broker, monkeypatch,
                                                                                      tmp_path):
    from alignment import jobs

    site.page("/en", ARTICLE)
    (tmp_path / "ru.html").write_bytes(f"<html><body><article>{RU_ARTICLE}</article></body></html>".encode())
    monkeypatch.setattr(imports, "enqueue_fetch", lambda pk: None)
    batch = read_manifest("m.csv", manifest([f"Floods,{site.url('/en')},ru.html,"]), tmp_path, LIMIT)
    record = imports.start_import(collection, owner, batch, "manifest")
    item = record.items.get()
    assert (item.status, item.ru_file_name, item.ru_text) == (ImportItemStatus.FETCHING, "ru.html", "")
    assert fetching.fetch_item(item.pk) == "queued"
    item.refresh_from_db()
    assert item.ru_raw is None and item.ru_file_name == ""  # the story holds the file now
    russian = item.story.documents.get(language="ru")
    assert russian.file_name == "ru.html" and russian.text == "" and russian.raw is not None
    job = jobs.run_job(item.story.jobs.get().pk)
    russian.refresh_from_db()
    assert russian.raw is None and ("Наводнение" in russian.text or "Одессы" in russian.text)
    assert job.status == "done", job.error
