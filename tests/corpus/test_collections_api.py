"""The JSON API of collections: list, make, read with progress, add stories, import, poll; others' are 404."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from alignment import jobs
from alignment.models import Collection
from tests.api.test_api import token_client
from tests.conftest import make_story
from tests.corpus.conftest import pair, zip_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(owner):
    return token_client(owner)


def post_json(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_make_list_and_read_a_collection(api, owner, no_broker):
    made = post_json(api, "/api/collections/", {"name": "TASS, 2026", "outlet": "TASS"})
    assert made.status_code == 201
    cid = made.json()["id"]
    story = make_story(owner, en=pair(1)[0], ru=pair(1)[1])
    added = post_json(api, f"/api/collections/{cid}/stories/", {"stories": [str(story.code)]})
    assert added.status_code == 200 and added.json()["stories"] == 1
    assert api.get("/api/collections/").json() == [{"id": cid, "name": "TASS, 2026", "stories": 1}]
    detail = api.get(f"/api/collections/{cid}/").json()
    assert {k: detail[k] for k in ("queued", "running", "done", "failed")} == {
        "queued": 0, "running": 0, "done": 1, "failed": 0}


def test_a_name_twice_and_an_unknown_story_are_400_in_words(api, owner):
    post_json(api, "/api/collections/", {"name": "Once"})
    again = post_json(api, "/api/collections/", {"name": "Once"})
    assert again.status_code == 400 and "already" in json.dumps(again.json())
    cid = Collection.objects.get().pk
    wrong = post_json(api, f"/api/collections/{cid}/stories/", {"stories": ["not-an-id"]})
    assert wrong.status_code == 400 and "not-an-id" in json.dumps(wrong.json())


def test_import_a_zip_and_poll_it_to_the_end(api, owner, no_broker):
    cid = post_json(api, "/api/collections/", {"name": "Batch"}).json()["id"]
    en, ru = pair(3)
    data = zip_of({"a.en.txt": en, "a.ru.txt": ru, "b.en.txt": "Alone."})
    started = api.post(f"/api/collections/{cid}/import/", {"file": SimpleUploadedFile("b.zip", data)})
    assert started.status_code == 202, started.content
    body = started.json()
    assert (body["queued"], body["failed"]) == (1, 1)
    assert [i["status"] for i in sorted(body["items"], key=lambda i: i["name"])] == ["queued", "failed"]
    story = Collection.objects.get(pk=cid).stories.get()
    jobs.run_job(story.jobs.get().pk)
    polled = api.get(f"/api/imports/{body['id']}/").json()
    assert (polled["done"], polled["failed"], polled["queued"]) == (1, 1, 0)


def test_other_users_collections_and_imports_are_404(api, other_user, no_broker):
    theirs = Collection.objects.create(owner=other_user, name="Theirs")
    for url in (f"/api/collections/{theirs.pk}/", f"/api/collections/{theirs.code}/"):
        assert api.get(url).status_code == 404
    assert post_json(api, f"/api/collections/{theirs.pk}/stories/", {"stories": []}).status_code == 404
    assert api.get("/api/collections/").json() == []
    assert api.get("/api/imports/999/").status_code == 404
