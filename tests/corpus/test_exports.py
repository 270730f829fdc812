"""Corpus exports: a whole collection as JSON Lines, TMX and one divergence CSV, streamed from the collection's
page and from the API, parsed back, with the owner-only access of the rest."""

import csv
import gc
import io
import json
import re
import xml.etree.ElementTree as ET
from datetime import date

import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from translate.storage import tmx as tt_tmx

from alignment import exports
from alignment.corpus import exports as corpus_exports
from alignment.models import Collection, Job, JobStatus
from alignment.results import StoredPair, load_results
from tests.api.test_api import EN, RU, token_client
from tests.conftest import make_story
from tests.web.test_views_alignment import Div, build_story

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://evil.example","click")'


@pytest.fixture
def collection(owner):
    collection = Collection.objects.create(owner=owner, name="Новости: март 2026")
    bridge = build_story(owner, [
        (["The mayor opened the bridge."], ["Мэр открыл мост."], []),
        (["It cost 42 million dollars."], ["Он стоил 43 миллиона долларов."],
         [Div("number", "42 in English, 43 in Russian.", 0.8, en=["42"], ru=["43"])]),
        (["Reporting by Jane Doe."], [], [Div("only_en", "Only in the English version.", 0.3)]),
    ], title="Bridge opens")
    formula = build_story(owner, [
        ([FORMULA], ["Нажмите здесь."], [Div("meaning", "A link for a sentence.", 0.7)]),
        (["The line\u2028broke here."], ["Строка\u2028разорвана."], []),
    ], title="=cmd|' /C calc'!A0")
    bridge.published, bridge.outlet = date(2026, 3, 2), "Daily"
    bridge.save()
    waiting = build_story(owner, [(["Still processing."], ["Ещё в работе."], [])], title="Waiting story")
    Job.objects.create(story=waiting, status=JobStatus.RUNNING, enqueued=True)  # newer than its done job
    collection.stories.add(bridge, formula, waiting)
    build_story(owner, [(["Not in the collection."], ["Не в коллекции."], [])], title="Elsewhere")
    return collection


def stories_of(collection):
    """The exported stories in the export's order: dated ones first."""
    return list(corpus_exports.ready(collection.stories.all()))


def web_get(client, user, collection, fmt):
    client.force_login(user)
    return client.get(reverse("collection_export", args=[collection.code, fmt]))


def api_get(user, collection, query, **headers):
    return token_client(user).get(f"/api/collections/{collection.pk}/export/{query}", **headers)


def fetch(client, owner, collection, fmt, via):
    response = web_get(client, owner, collection, fmt) if via == "web" else api_get(owner, collection, f"?format={fmt}")
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    return response


def body(response) -> bytes:
    return b"".join(response.streaming_content)


VIA = ["web", "api"]


# ---------------------------------------------------------------------------------------------------- JSON Lines

@pytest.mark.parametrize("via", VIA)
def test_jsonl_is_one_story_per_line_in_the_command_lines_schema(client, owner, collection, via):
    response = fetch(client, owner, collection, "jsonl", via)
    assert response["Content-Type"].startswith("application/jsonl")
    lines = body(response).decode("utf-8").splitlines()
    bridge, formula = stories_of(collection)
    assert len(lines) == 2
    records = [json.loads(line) for line in lines]
    for record, story in zip(records, (bridge, formula)):
        expected = json.loads(json.dumps(load_results(story).alignment.to_dict()))
        assert {key: value for key, value in record.items() if key != "story"} == expected
        assert set(record) == {"embedder", "sentences", "pairs", "passages", "stats", "story"}
    assert records[0]["story"] == {
        "id": bridge.pk, "code": str(bridge.code), "title": "Bridge opens", "published": "2026-03-02",
        "outlet": "Daily",
    }
    assert records[1]["story"]["published"] is None
    assert records[1]["sentences"]["en"][1]["text"] == "The line\u2028broke here."


def test_jsonl_of_a_processed_story_is_its_own_json_export_and_the_story(client, owner, no_broker):
    story = make_story(owner, en=EN, ru=RU, title="Geneva")
    collection = Collection.objects.create(owner=owner, name="Geneva")
    collection.stories.add(story)
    [line] = body(fetch(client, owner, collection, "jsonl", "web")).splitlines()
    record = json.loads(line)
    assert record.pop("story")["code"] == str(story.code)
    assert record == json.loads(exports.export(story, "json").content)


# ---------------------------------------------------------------------------------------------------- TMX

@pytest.mark.parametrize("via", VIA)
def test_tmx_holds_every_storys_units_under_one_header(client, owner, collection, via):
    response = fetch(client, owner, collection, "tmx", via)
    assert response["Content-Type"].startswith("application/x-tmx+xml")
    content = body(response)
    root = ET.fromstring(content)
    assert [child.tag for child in root] == ["header", "body"]
    units = root.find("body").findall("tu")
    bridge, formula = stories_of(collection)
    by_story = {}
    for tu in units:
        props = {p.get("type"): p.text for p in tu.findall("prop")}
        by_story.setdefault(props["x-sverka-story"], []).append((tu.get("tuid"), props["x-sverka-story-title"]))
    assert by_story == {
        str(bridge.code): [(f"{bridge.code}:1", "Bridge opens"), (f"{bridge.code}:2", "Bridge opens")],
        str(formula.code): [(f"{formula.code}:1", formula.title), (f"{formula.code}:2", formula.title)],
    }
    store = tt_tmx.tmxfile.parsestring(content)
    assert [(u.source, u.target) for u in store.units] == [
        ("The mayor opened the bridge.", "Мэр открыл мост."),
        ("It cost 42 million dollars.", "Он стоил 43 миллиона долларов."),
        (FORMULA, "Нажмите здесь."),
        ("The line\u2028broke here.", "Строка\u2028разорвана."),
    ]


def test_a_storys_own_tmx_is_unchanged_by_the_shared_pieces(owner, collection):
    bridge, _ = stories_of(collection)
    root = ET.fromstring(exports.tmx(exports.load(bridge)))
    assert [tu.get("tuid") for tu in root.iter("tu")] == ["1", "2"]
    assert all(p.get("type") != "x-sverka-story" for p in root.iter("prop"))


# ---------------------------------------------------------------------------------------------------- CSV

def read_csv(content: bytes) -> list[list[str]]:
    assert content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


@pytest.mark.parametrize("via", VIA)
def test_csv_is_every_storys_divergences_under_one_header_formulas_kept_as_text(client, owner, collection, via):
    response = fetch(client, owner, collection, "csv", via)
    assert response["Content-Type"].startswith("text/csv")
    rows = read_csv(body(response))
    assert rows[0] == ["story", "story_title", *exports.CSV_HEADER]
    assert rows.count(rows[0]) == 1
    records = [dict(zip(rows[0], row)) for row in rows[1:]]
    bridge, formula = stories_of(collection)
    assert [(r["story"], r["story_title"], r["pair"], r["kind"]) for r in records] == [
        (str(bridge.code), "Bridge opens", "2", "number"),
        (str(bridge.code), "Bridge opens", "3", "only_en"),
        (str(formula.code), "'=cmd|' /C calc'!A0", "1", "meaning"),
    ]
    assert records[2]["en_text"] == "'" + FORMULA


# ---------------------------------------------------------------------------------------------------- Downloads

@pytest.mark.parametrize("fmt, suffix", [("jsonl", ".jsonl"), ("tmx", ".tmx"), ("csv", "-divergences.csv")])
def test_the_download_is_named_after_the_collection_and_says_what_it_left_out(client, owner, collection, fmt, suffix):
    response = fetch(client, owner, collection, fmt, "web")
    assert response["Content-Disposition"] == (
        f'attachment; filename="2026{suffix}"; '  # slugify keeps only the ASCII part
        f"filename*=utf-8''%D0%BD%D0%BE%D0%B2%D0%BE%D1%81%D1%82%D0%B8-%D0%BC%D0%B0%D1%80%D1%82-2026{suffix}"
    )
    assert response["X-Sverka-Stories"] == "2"
    assert response["X-Sverka-Skipped-Stories"] == "1"


@pytest.mark.parametrize("fmt", ["jsonl", "tmx", "csv"])
def test_a_story_still_processing_or_failed_or_elsewhere_is_left_out(client, owner, collection, fmt):
    failed = build_story(owner, [(["It failed."], ["Не вышло."], [])], title="Failed story")
    Job.objects.filter(story=failed).update(status=JobStatus.FAILED)
    collection.stories.add(failed)
    response = fetch(client, owner, collection, fmt, "web")
    content = body(response).decode("utf-8-sig")
    for text in ("Still processing", "Waiting story", "It failed", "Failed story", "Not in the collection"):
        assert text not in content
    assert "It cost 42 million dollars." in content
    assert response["X-Sverka-Skipped-Stories"] == "2"


@pytest.mark.parametrize("fmt", ["jsonl", "tmx", "csv"])
def test_an_empty_collection_exports_a_well_formed_empty_file(client, owner, fmt):
    collection = Collection.objects.create(owner=owner, name="!!!")
    response = fetch(client, owner, collection, fmt, "api")
    content = body(response)
    assert response["Content-Disposition"].startswith('attachment; filename="collection')
    assert response["X-Sverka-Stories"] == "0" and response["X-Sverka-Skipped-Stories"] == "0"
    if fmt == "jsonl":
        assert content == b""
    elif fmt == "tmx":
        assert list(ET.fromstring(content).find("body")) == []
    else:
        assert read_csv(content) == [["story", "story_title", *exports.CSV_HEADER]]


def test_the_file_streams_story_by_story(client, owner, collection):
    chunks = list(fetch(client, owner, collection, "tmx", "web").streaming_content)
    assert len(chunks) == 4  # the header, each story's units, the closing
    assert b"Bridge opens" in chunks[1] and b"Bridge opens" not in chunks[2]


def test_the_collections_links_download_each_format(client, owner, collection):
    html = render_to_string("collections/_exports.html", {"collection": collection})
    links = re.findall(r'href="([^"]+)" download', html)
    assert links == [reverse("collection_export", args=[collection.code, fmt]) for fmt in ("jsonl", "tmx", "csv")]
    client.force_login(owner)
    assert all(client.get(link).status_code == 200 for link in links)


# ---------------------------------------------------------------------------------------------------- Access

@pytest.mark.parametrize("fmt", ["jsonl", "tmx", "csv"])
def test_another_users_collection_is_a_404_on_the_page_and_the_api(client, other_user, collection, fmt):
    assert web_get(client, other_user, collection, fmt).status_code == 404
    response = api_get(other_user, collection, f"?format={fmt}")
    assert response.status_code == 404
    assert response.json() == {"detail": "No collection with this id."}


def test_the_api_finds_a_collection_by_its_code_too(owner, collection):
    response = token_client(owner).get(f"/api/collections/{collection.code}/export/?format=jsonl")
    assert response.status_code == 200 and len(b"".join(response.streaming_content).splitlines()) == 2


def test_the_api_sends_the_file_whatever_the_accept_header(owner, collection):
    response = api_get(owner, collection, "?format=csv", HTTP_ACCEPT="text/csv")
    assert response.status_code == 200
    assert read_csv(b"".join(response.streaming_content))[0][0] == "story"


def test_an_unknown_format_is_a_404_on_the_page(client, owner, collection):
    assert web_get(client, owner, collection, "docx").status_code == 404


@pytest.mark.parametrize("query", ["?format=docx", "?format=", ""])
def test_the_api_names_the_formats_for_a_bad_one(owner, collection, query):
    response = api_get(owner, collection, query, HTTP_ACCEPT="text/csv")
    assert response.status_code == 400
    data = response.json()
    assert "jsonl, tmx, csv" in data["detail"] and data["allowed"] == ["jsonl", "tmx", "csv"]


def test_anonymous_callers_get_nothing(client, collection):
    response = client.get(reverse("collection_export", args=[collection.code, "jsonl"]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.get(f"/api/collections/{collection.pk}/export/?format=jsonl").status_code == 401


def test_the_urls_are_the_contracts():
    assert reverse("api:collection_export", args=["7"]) == "/api/collections/7/export/"
    code = "0b7c5e4e-4d3b-4f5a-9a36-0e6f1f2b9c11"
    assert reverse("collection_export", args=[code, "csv"]) == f"/collections/{code}/export/csv/"


# ---------------------------------------------------------------------------------------------------- Memory

def grow(owner, collection, count, pairs=20):
    for k in range(count):
        story = build_story(owner, [
            ([f"Sentence {i} of story {k} says {i * k} things."], [f"Предложение {i} истории {k}: {i * k}."],
             [Div("number", "They differ.", 0.5)] if i % 3 == 0 else [])
            for i in range(pairs)
        ], title=f"Story {k}")
        collection.stories.add(story)


def drain(chunks) -> int:
    """Reads the export as a client would, keeping nothing but its length."""
    return sum(len(chunk) for chunk in chunks)


@pytest.mark.parametrize("fmt", ["jsonl", "tmx", "csv"])
def test_the_queries_are_a_fixed_number_per_story(owner, fmt):
    small = Collection.objects.create(owner=owner, name="Small")
    large = Collection.objects.create(owner=owner, name="Large")
    grow(owner, small, 2, pairs=3)
    grow(owner, large, 6, pairs=3)
    counts = []
    for collection in (small, large):
        with CaptureQueriesContext(connection) as queries:
            drain(corpus_exports.FORMATS[fmt].chunks(collection.stories.all()))
        counts.append(len(queries))
    per_story = (counts[1] - counts[0]) / 4
    assert per_story == int(per_story) <= 4
    assert counts[0] == 1 + 2 * per_story  # the stories' own query once, then the same for each


def live_pairs() -> int:
    return sum(type(o) is StoredPair for o in gc.get_objects())


@pytest.mark.parametrize("fmt", ["jsonl", "tmx", "csv"])
def test_memory_holds_no_story_past_its_chunk(owner, fmt):
    collection = Collection.objects.create(owner=owner, name="Twelve")
    grow(owner, collection, 12, pairs=5)
    before = live_pairs()
    chunks = corpus_exports.FORMATS[fmt].chunks(collection.stories.all())
    # Whenever the client has a chunk, no story's pairs are still held: nothing is kept from one to the next.
    seen = [live_pairs() - before for _ in chunks]
    assert len(seen) >= 12  # a chunk per story at least: the file is never built whole
    assert set(seen) == {0}
