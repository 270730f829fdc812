"""Exports: TMX, TSV, JSON, the divergence report (CSV and a printable page), as downloads on the story page and
from the API, with the same access rules as the rest."""

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from translate.storage import tmx as tt_tmx
from translate.storage.lisa import getXMLlang

from alignment import exports
from alignment.models import Divergence, Job, JobStatus, Sentence, Story, Verdict
from alignment.pipeline.types import AlignmentResult, Bead, DocumentStats, Kind
from alignment.pipeline.types import Divergence as PipelineDivergence
from alignment.pipeline.types import Sentence as PipelineSentence
from tests.api.test_api import APPEAL, EN, RU, token_client
from tests.conftest import make_story
from tests.web.test_views_alignment import Div, build_story

pytestmark = pytest.mark.django_db

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
CONTENT_TYPES = {
    "tmx": "application/x-tmx+xml",
    "tsv": "text/tab-separated-values",
    "json": "application/json",
    "csv": "text/csv",
}
SUFFIXES = {"tmx": ".tmx", "tsv": ".tsv", "json": ".json", "csv": "-divergences.csv"}

# Text a careless exporter would break: markup, entities, quotes, characters XML 1.0 forbids, a tab, line
# breaks of several kinds, a backslash, an emoji and Cyrillic. (No NUL: PostgreSQL refuses to store it.)
HOSTILE_EN = 'A <script>alert("x")</script> & \'quoted\' "text"\x01\x0b\x1b with\ta tab, a\nbreak, C:\\path 🦆.'
HOSTILE_RU = "Ёжик & <b>жирный</b>\r\nстрока\u2028ещё «кавычки» 🦆"
HOSTILE_NOTE = 'Bad </td><script>alert(1)</script>, "quoted", line one\nline two'


@pytest.fixture
def story(owner):
    story = build_story(owner, [
        (["The mayor opened the bridge."], ["Мэр открыл мост."], []),
        (["It cost 42 million dollars."], ["Он стоил 43 миллиона долларов."],
         [Div("number", "42 in English, 43 in Russian.", 0.8, en=["42"], ru=["43"])]),
        (["Reporting by Jane Doe."], [], [Div("only_en", "Only in the English version.", 0.3)]),
        ([], ["Подписывайтесь на наш канал."], [Div("boilerplate", "A call to subscribe.", 0.1)]),
        (["Ivanov said so.", "He left."], ["Петров так сказал, и ушёл."],
         [Div("name", "Ivanov vs Petrov.", 0.9, en=["Ivanov"], ru=["Петров"])]),
    ], stats={  # as the pipeline saves them: every kind, zeros included
        "en_sentences": 5, "ru_sentences": 4, "en_coverage": 0.8, "ru_coverage": 0.75, "mean_similarity": 0.8,
        "divergences": {kind.value: int(kind in ("number", "only_en", "boilerplate", "name")) for kind in Kind},
    })
    Divergence.objects.filter(pair__story=story, kind="number").update(
        verdict=Verdict.CONFIRMED, note="Checked the original: it says 42.",
    )
    Divergence.objects.filter(pair__story=story, kind="name").update(verdict=Verdict.DISMISSED)
    return story


@pytest.fixture
def hostile(owner):
    story = build_story(owner, [
        ([HOSTILE_EN], [HOSTILE_RU], [Div("meaning", "The <b>meaning</b> differs & more.", 0.7,
                                          en=["<script>"], ru=["<b>жирный</b>"])]),
        (["Plain."], ["Просто."], []),
    ], title='<i>Breaking</i> & "news"')
    Divergence.objects.filter(pair__story=story).update(note=HOSTILE_NOTE)
    return story


def download(client, user, story, fmt):
    client.force_login(user)
    return client.get(reverse("story_export", args=[story.code, fmt]))


def api_url(story, query=""):
    return f"/api/stories/{story.code}/export/{query}"


def unescape_tsv(field: str) -> str:
    escapes = {"t": "\t", "n": "\n", "r": "\r", "\\": "\\"}
    return re.sub(r"\\(u[0-9a-f]{4}|.)", lambda m: chr(int(m[1][1:], 16)) if len(m[1]) == 5 else escapes[m[1]], field)


def as_tmx_reads(text: str) -> str:
    """The text as a TMX reader gets it back: line breaks as \\n, without the controls XML 1.0 forbids."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(c for c in text if c in "\t\n" or ord(c) >= 0x20)


# ---------------------------------------------------------------------------------------------------- TMX

def test_tmx_has_one_unit_per_pair_with_both_sides(story):
    store = tt_tmx.tmxfile.parsestring(exports.tmx(exports.load(story)))
    units = store.units
    assert [u.getid() for u in units] == ["1", "2", "5"]  # pairs 3 and 4 have one side only
    assert [(u.source, u.target) for u in units] == [
        ("The mayor opened the bridge.", "Мэр открыл мост."),
        ("It cost 42 million dollars.", "Он стоил 43 миллиона долларов."),
        ("Ivanov said so. He left.", "Петров так сказал, и ушёл."),
    ]
    assert store.sourcelanguage == "en"
    assert all([getXMLlang(node) for node in u.getlanguageNodes()] == ["en", "ru"] for u in units)


def test_tmx_has_a_complete_tmx_14_header(story):
    root = ET.fromstring(exports.tmx(exports.load(story)))
    assert root.tag == "tmx" and root.get("version") == "1.4"
    assert [child.tag for child in root] == ["header", "body"]
    header = root.find("header")
    assert header.attrib | {"creationdate": ""} == {
        "creationtool": "Sverka",
        "creationtoolversion": exports._version(),
        "datatype": "plaintext",
        "segtype": "sentence",
        "adminlang": "en",
        "srclang": "en",
        "o-tmf": "Sverka",
        "creationdate": "",
    }
    assert re.fullmatch(r"\d{8}T\d{6}Z", header.get("creationdate"))
    for tu in root.iter("tu"):
        assert [tuv.get(XML_LANG) for tuv in tu.findall("tuv")] == ["en", "ru"]
        tags = [child.tag for child in tu]
        # The DTD: notes and props first, then the variants, each with exactly one <seg>.
        assert tags == sorted(tags, key=lambda tag: tag == "tuv")
        assert all(len(tuv.findall("seg")) == 1 for tuv in tu.findall("tuv"))


def test_tmx_carries_the_score_verdicts_and_notes(story):
    root = ET.fromstring(exports.tmx(exports.load(story)))
    tu = root.find("body/tu[@tuid='2']")
    props = {p.get("type"): p.text for p in tu.findall("prop")}
    assert props == {"x-sverka-score": "0.9000", "x-sverka-divergences": "number:confirmed"}
    assert [n.text for n in tu.findall("note")] == ["number: Checked the original: it says 42."]
    assert {p.get("type"): p.text for p in root.find("body/tu[@tuid='5']").findall("prop")}["x-sverka-divergences"] \
        == "name:dismissed"
    assert root.find("body/tu[@tuid='1']").findall("note") == []
    store = tt_tmx.tmxfile.parsestring(exports.tmx(exports.load(story)))
    assert store.units[1].getnotes() == "number: Checked the original: it says 42."


def test_tmx_is_well_formed_and_keeps_hostile_text(hostile):
    content = exports.tmx(exports.load(hostile))
    root = ET.fromstring(content)  # raises on anything that is not well-formed XML 1.0
    segs = [seg.text for seg in root.iter("seg")]
    assert segs[:2] == [as_tmx_reads(HOSTILE_EN), as_tmx_reads(HOSTILE_RU)]
    assert b"<script>" not in content and b"&lt;script&gt;" in content
    assert "🦆".encode() in content and "Ёжик".encode() in content
    store = tt_tmx.tmxfile.parsestring(content)
    assert store.units[0].source.startswith('A <script>alert("x")</script> & \'quoted\' "text" with\ta tab')
    assert [store.units[0].source, store.units[0].target] == [as_tmx_reads(HOSTILE_EN), as_tmx_reads(HOSTILE_RU)]
    assert store.units[0].getnotes().startswith("meaning: Bad </td><script>")


def test_xml_text_drops_only_what_xml_cannot_carry():
    assert exports.xml_text("a\x00b\x01c\x08\x0b\x0c\x1f\t\n\rд\ud800🦆\ufffe\uffff\x7f<&>") == "abc\t\n\nд🦆\x7f<&>"
    assert exports.xml_text("one\r\ntwo\rthree") == "one\ntwo\nthree"


# ---------------------------------------------------------------------------------------------------- TSV

def test_tsv_has_a_header_and_one_line_per_pair(story):
    lines = exports.tsv(exports.load(story)).decode("utf-8").splitlines()
    assert lines[0].split("\t") == ["pair", "en", "ru", "score", "divergences"]
    assert [line.split("\t") for line in lines[1:]] == [
        ["1", "The mayor opened the bridge.", "Мэр открыл мост.", "0.9000", ""],
        ["2", "It cost 42 million dollars.", "Он стоил 43 миллиона долларов.", "0.9000", "number"],
        ["3", "Reporting by Jane Doe.", "", "0.9000", "only_en"],
        ["4", "", "Подписывайтесь на наш канал.", "0.9000", "boilerplate"],
        ["5", "Ivanov said so. He left.", "Петров так сказал, и ушёл.", "0.9000", "name"],
    ]


def test_tsv_escapes_tabs_and_line_breaks_so_every_row_is_one_line(hostile):
    lines = exports.tsv(exports.load(hostile)).decode("utf-8").splitlines()
    assert len(lines) == 1 + 2
    fields = lines[1].split("\t")
    assert len(fields) == 5
    assert "\\t" in fields[1] and "\\n" in fields[1] and "C:\\\\path" in fields[1]
    assert [unescape_tsv(fields[1]), unescape_tsv(fields[2])] == [HOSTILE_EN, HOSTILE_RU]


def test_tsv_keeps_a_text_that_opens_like_a_formula_as_text(owner):
    formula = build_story(owner, [
        (['  =HYPERLINK("http://evil.example","click")'], ["＋7 (495) 123-45-67"], []),
        (["\t@SUM(A1:A9)"], ["Plain text, = inside"], []),
    ])
    lines = exports.tsv(exports.load(formula)).decode("utf-8").splitlines()
    assert [line.split("\t")[1:3] for line in lines[1:]] == [
        ["'" + '  =HYPERLINK("http://evil.example","click")', "'＋7 (495) 123-45-67"],
        ["'\\t@SUM(A1:A9)", "Plain text, = inside"],
    ]


# ---------------------------------------------------------------------------------------------------- JSON

def test_json_is_what_the_align_command_prints(client, owner, no_broker, tmp_path):
    en = EN + APPEAL  # two sentences in English only: unpaired, so in passages
    story = make_story(owner, en=en, ru=RU)
    (tmp_path / "en.txt").write_text(en, encoding="utf-8")
    (tmp_path / "ru.txt").write_text(RU, encoding="utf-8")
    out = io.StringIO()
    call_command("align", str(tmp_path / "en.txt"), str(tmp_path / "ru.txt"), stdout=out)
    data = json.loads(download(client, owner, story, "json").content)
    assert data == json.loads(out.getvalue())
    assert any(p["divergences"] for p in data["pairs"])
    # The passages too, from the stored pairs: every unpaired pair in one of them.
    assert data["passages"] and [k for p in data["passages"] for k in p["pairs"]] == [
        k for k, p in enumerate(data["pairs"]) if not (p["en"] and p["ru"])
    ]


def shape(value):
    """The structure of a JSON value: its keys all the way down, and the type of its leaves."""
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [shape(value[0])] if value else []
    return "number" if isinstance(value, (int, float)) else type(value).__name__


def test_json_has_the_schema_of_to_dict_with_the_translations(client, owner, story):
    Story.objects.filter(pk=story.pk).update(translator="argos-test 1.0")
    for s in Sentence.objects.filter(document__story=story):
        s.translation = f"[translated] {s.text}"
        s.save()
    expected = AlignmentResult(
        en=(PipelineSentence(0, "One.", 0, 4, 0, translation="Один."), PipelineSentence(1, "Two.", 5, 9, 0)),
        ru=(PipelineSentence(0, "Один.", 0, 5, 0, translation="One."),),
        beads=(Bead((0,), (0,), 0.9, 0.8, (PipelineDivergence(Kind.NUMBER, 0.5, "Why.", ((0, 1),), ((0, 1),)),)),
               Bead((1,), (), 0.0, 0.0, (PipelineDivergence(Kind.ONLY_EN, 0.5, "Only.", ((5, 9),)),))),
        stats=DocumentStats(1, 1, 1.0, 1.0, 0.8, tuple((kind, 0) for kind in Kind)),
        embedder="use-m3",
    ).to_dict()
    data = json.loads(download(client, owner, story, "json").content)
    divergent = next(p for p in data["pairs"] if p["divergences"] and p["divergences"][0]["spans"]["en"])
    assert shape({**data, "pairs": [divergent]}) == shape(expected)
    sentences = data["sentences"]["en"] + data["sentences"]["ru"]
    assert all(s["translation"] == f"[translated] {s['text']}" for s in sentences)


# ---------------------------------------------------------------------------------------------------- Report

def read_csv(content: bytes) -> list[dict]:
    assert content.startswith("\ufeff".encode())
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def test_csv_has_one_row_per_divergence_with_verdicts_and_notes(story):
    rows = read_csv(exports.report_csv(exports.load(story)))
    assert list(rows[0]) == exports.CSV_HEADER
    assert [(r["pair"], r["kind"], r["verdict"]) for r in rows] == [
        ("2", "number", "confirmed"), ("3", "only_en", "pending"), ("4", "boilerplate", "pending"),
        ("5", "name", "dismissed"),
    ]
    number = rows[0]
    assert number == number | {
        "severity": "0.800", "reason": "42 in English, 43 in Russian.",
        "en_text": "It cost 42 million dollars.", "ru_text": "Он стоил 43 миллиона долларов.",
        "en_highlighted": "42", "ru_highlighted": "43", "note": "Checked the original: it says 42.",
    }
    assert rows[2]["en_text"] == "" and rows[2]["ru_text"] == "Подписывайтесь на наш канал."
    assert rows[3]["en_highlighted"] == "Ivanov" and rows[3]["ru_highlighted"] == "Петров"


def test_csv_keeps_hostile_text_in_its_cells(hostile):
    rows = read_csv(exports.report_csv(exports.load(hostile)))
    assert len(rows) == 1
    assert [rows[0]["en_text"], rows[0]["ru_text"]] == [HOSTILE_EN, HOSTILE_RU]
    assert rows[0]["note"] == HOSTILE_NOTE
    assert rows[0]["en_highlighted"] == "<script>" and rows[0]["ru_highlighted"] == "<b>жирный</b>"


def test_csv_keeps_a_cell_that_opens_like_a_formula_as_text(owner):
    formula = build_story(owner, [
        (['=HYPERLINK("http://evil.example","click")'], ["+7 (495) 123-45-67"],
         [Div("meaning", "-1 differs", 0.6, en=["=HYPERLINK"], ru=["+7"])]),
    ])
    Divergence.objects.filter(pair__story=formula).update(note="@SUM(A1:A9)")
    row = read_csv(exports.report_csv(exports.load(formula)))[0]
    assert row["en_text"] == "'" + '=HYPERLINK("http://evil.example","click")'
    assert row["ru_text"] == "'+7 (495) 123-45-67"
    assert row["reason"] == "'-1 differs" and row["note"] == "'@SUM(A1:A9)"
    assert row["en_highlighted"] == "'=HYPERLINK" and row["ru_highlighted"] == "'+7"
    assert exports.spreadsheet_safe("Plain text, = inside") == "Plain text, = inside"


@pytest.mark.parametrize("text", [
    "=1+1", "+7", "-1", "@SUM(A1)", "  =1+1", "\t=1", " \t -2", "\tplain", "\rplain",
    "＝1+1", "＋7", "－1", "＠SUM(A1)", "\u3000＝1",
])
def test_a_cell_that_a_spreadsheet_would_read_as_a_formula_gets_an_apostrophe(text):
    assert exports.spreadsheet_safe(text) == "'" + text


@pytest.mark.parametrize("text", ["", "Plain", " leading space", "a = b", "1-2", "e-mail@example.org", "Ёжик"])
def test_genuine_text_is_left_as_it_is(text):
    assert exports.spreadsheet_safe(text) == text


def test_the_counts_go_by_kind_and_verdict_with_totals(story):
    counts = exports.report_counts(exports.report_rows(exports.load(story)))
    # Verdicts in the order pending, confirmed, dismissed.
    assert [(c.kind, c.by_verdict, c.total) for c in counts] == [
        ("only_en", (1, 0, 0), 1), ("boilerplate", (1, 0, 0), 1), ("number", (0, 1, 0), 1),
        ("name", (0, 0, 1), 1), ("", (2, 1, 1), 4),
    ]


def test_the_printable_report_shows_the_counts_and_the_divergences(client, owner, story):
    client.force_login(owner)
    response = client.get(reverse("story_report", args=[story.code]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Divergence report: Built story</h1>" in html
    assert "@media print" in html and "<script" not in html
    assert re.search(r"<th scope=\"row\">All kinds</th><td class=\"num\">2</td><td class=\"num\">1</td>"
                     r"<td class=\"num\">1</td><td class=\"num\">4</td>", html)
    assert "Checked the original: it says 42." in html and "Confirmed" in html and "Dismissed" in html
    assert html.index("It cost 42 million dollars.") < html.index("Ivanov said so. He left.")


def test_the_printable_report_escapes_story_text(client, owner, hostile):
    client.force_login(owner)
    html = client.get(reverse("story_report", args=[hostile.code])).content.decode()
    assert "<script" not in html and "<b>" not in html and "<i>Breaking" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;i&gt;Breaking&lt;/i&gt; &amp; &quot;news&quot;" in html
    assert "Ёжик" in html and "🦆" in html


# ---------------------------------------------------------------------------------------------------- Downloads

@pytest.mark.parametrize("fmt", list(CONTENT_TYPES))
def test_each_download_is_an_attachment_named_after_the_story(client, owner, story, fmt):
    response = download(client, owner, story, fmt)
    assert response.status_code == 200
    assert response["Content-Type"].split(";")[0] == CONTENT_TYPES[fmt]
    assert response["Content-Disposition"] == f'attachment; filename="built-story{SUFFIXES[fmt]}"'
    undated = re.compile(rb' creationdate="[^"]*"')  # TMX is dated to the second
    assert undated.sub(b"", response.content) == undated.sub(b"", exports.export(story, fmt).content)


def test_a_russian_title_gives_a_utf8_file_name_and_an_ascii_one(client, owner, story):
    Story.objects.filter(pk=story.pk).update(title="Переговоры в Женеве: итоги")
    response = download(client, owner, story, "tsv")
    assert response["Content-Disposition"] == (
        f'attachment; filename="story.tsv"; filename*=utf-8\'\'{quote("переговоры-в-женеве-итоги.tsv")}'
    )


def test_a_title_of_punctuation_only_still_names_the_file():
    assert exports.filename('../"<>|*?', ".tmx") == "story.tmx"
    assert exports.filename("Geneva talks: day 2 / final", ".tmx") == "geneva-talks-day-2-final.tmx"


def test_the_story_page_links_to_every_export_once_there_are_results(client, owner, story):
    client.force_login(owner)
    html = client.get(story.get_absolute_url()).content.decode()
    for fmt in CONTENT_TYPES:
        assert f'href="{reverse("story_export", args=[story.code, fmt])}"' in html
    assert f'href="{reverse("story_report", args=[story.code])}"' in html
    Job.objects.filter(story=story).update(status=JobStatus.RUNNING)
    assert reverse("story_report", args=[story.code]) not in client.get(story.get_absolute_url()).content.decode()


@pytest.mark.parametrize("name, args", [("story_export", ["tsv"]), ("story_report", [])])
def test_a_story_without_results_is_a_conflict(client, owner, story, name, args):
    Job.objects.filter(story=story).update(status=JobStatus.RUNNING)
    client.force_login(owner)
    response = client.get(reverse(name, args=[story.code, *args]))
    assert response.status_code == 409
    assert "no results to export yet" in response.content.decode()


def test_an_unknown_download_format_is_404(client, owner, story):
    assert download(client, owner, story, "docx").status_code == 404


@pytest.mark.parametrize("name, args", [("story_export", ["csv"]), ("story_report", [])])
def test_another_user_and_staff_get_404_as_on_the_story_page(client, other_user, staff, story, name, args):
    for user in (other_user, staff):
        client.force_login(user)
        response = client.get(reverse(name, args=[story.code, *args]))
        assert response.status_code == 404
        assert b"Ivanov" not in response.content


@pytest.mark.parametrize("name, args", [("story_export", ["json"]), ("story_report", [])])
def test_an_anonymous_visitor_is_sent_to_log_in(client, story, name, args):
    url = reverse(name, args=[story.code, *args])
    response = client.get(url)
    assert response.status_code == 302 and response["Location"] == f"{reverse('login')}?next={url}"


def test_an_export_costs_the_same_queries_for_any_size(client, owner, story):
    small = build_story(owner, [(["One."], ["Один."], [])], title="Small")
    client.force_login(owner)
    counts = []
    for s in (small, story):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("story_export", args=[s.code, "csv"])).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


# ---------------------------------------------------------------------------------------------------- API

@pytest.mark.parametrize("fmt", list(CONTENT_TYPES))
def test_the_api_exports_with_a_token(owner, story, fmt):
    response = token_client(owner).get(api_url(story, f"?format={fmt}"))
    assert response.status_code == 200
    assert response["Content-Type"].split(";")[0] == CONTENT_TYPES[fmt]
    assert response["Content-Disposition"] == f'attachment; filename="built-story{SUFFIXES[fmt]}"'


def test_the_api_json_export_is_the_alignment_endpoint(owner, story):
    api = token_client(owner)
    exported = api.get(api_url(story, "?format=json")).json()
    assert exported == api.get(f"/api/stories/{story.code}/alignment/").json()


def test_the_api_sends_the_file_whatever_the_accept_header(owner, story):
    response = token_client(owner).get(api_url(story, "?format=tsv"), HTTP_ACCEPT="text/tab-separated-values")
    assert response.status_code == 200
    assert response.content.decode().startswith("pair\ten\tru\tscore\tdivergences\n")


@pytest.mark.parametrize("query", ["?format=docx", "?format=", ""])
def test_the_api_names_the_allowed_formats_for_an_unknown_one(owner, story, query):
    response = token_client(owner).get(api_url(story, query), HTTP_ACCEPT="text/csv")
    assert response.status_code == 400
    data = response.json()
    assert data["allowed"] == ["tmx", "tsv", "json", "csv"]
    assert "tmx, tsv, json, csv" in data["detail"]
    if query == "?format=docx":
        assert "'docx'" in data["detail"]


@pytest.mark.parametrize("state", ["queued", "running", "failed"])
def test_the_api_export_of_an_unfinished_story_is_a_conflict(owner, story, state):
    Job.objects.filter(story=story).update(status=state)
    response = token_client(owner).get(api_url(story, "?format=tmx"))
    assert response.status_code == 409
    data = response.json()
    assert data["status"] == state and "no results to export" in data["detail"]


def test_the_api_hides_another_users_story(other_user, story):
    response = token_client(other_user).get(api_url(story, "?format=tmx"))
    assert response.status_code == 404
    assert response.json() == {"detail": "No story with this id."}


def test_the_api_refuses_an_anonymous_export(client, story):
    response = client.get(api_url(story, "?format=tmx"))
    assert response.status_code == 401
    assert b"Ivanov" not in response.content


def test_the_api_export_url_sits_with_the_others():
    assert reverse("api:story_export", args=["abc"]) == "/api/stories/abc/export/"
    assert reverse("api:story_alignment", args=["abc"]) == "/api/stories/abc/alignment/"
