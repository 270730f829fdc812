"""Whatever a user typed (titles, texts, file names, source URLs, reasons, notes, history) is shown as text on
every page that shows it, the admin's included: markup in it never becomes markup, and a source URL becomes a link
only when it is a web address. Pages are parsed, and each must show the payloads it is expected to show, as text
(or as an attribute's whole value), so that a page that dropped them could not pass."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from alignment.models import Divergence, Document, Edit, EditAction, Pair, Sentence
from alignment.web.forms import UploadForm
from tests.web.test_views_alignment import Div, build_story

pytestmark = pytest.mark.django_db

TITLE = '<script>alert("title")</script><img src=x onerror=alert(1)>'
EN_TEXT = '"><svg onload=alert("en")> Prices <b>rose</b> 42%.'
RU_TEXT = '<iframe src="javascript:alert(2)"></iframe> Цены выросли на 43%.'
REASON = "<b onmouseover=alert(3)>42</b> in English, 43 in Russian."
NOTE = '</textarea><script>alert("note")</script>'
FILE_NAME = '<img src=x onerror=alert("file")>.txt'
JS_URL = 'javascript:alert("url")'
WEB_URL = 'https://example.org/?q="><script>alert("web")</script>'
HISTORY = 'Merged <script>alert("history")</script> pairs'
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster"}


class Audit(HTMLParser):
    """What a page really holds once a browser parses it: its text, its attribute values, and anything that
    would run."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.values: list[str] = []
        self.links: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and not attributes.get("src"):
            self.problems.append(f"an inline <script> ({self.getpos()})")
        for name, value in attrs:
            value = value or ""
            self.values.append(value)
            if name.startswith("on"):
                self.problems.append(f"an event handler {name}={value!r} on <{tag}>")
            if name in URL_ATTRIBUTES:
                self.links.append(value)
                scheme = "".join(value.split()).lower()
                if scheme.startswith(("javascript:", "vbscript:", "data:text/html")):
                    self.problems.append(f"a {name}={value!r} on <{tag}>")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        self.text.append(data)


def audit(response, shows=()) -> Audit:
    assert response.status_code == 200, response.status_code
    page = Audit()
    page.feed(response.content.decode())
    page.close()
    assert not page.problems, page.problems
    text = " ".join("".join(page.text).split())  # a marked word is a text node of its own
    for payload in shows:
        squeezed = " ".join(payload.split())
        assert squeezed in text or payload in page.values, f"{payload!r} is not shown as text"
    return page


@pytest.fixture
def hostile(owner, no_broker):
    story = build_story(owner, [
        (["The mayor opened the bridge."], ["Мэр открыл мост."], []),
        ([EN_TEXT], [RU_TEXT], [Div("number", REASON, 0.8, en=["42"], ru=["43"])]),
    ], title=TITLE)
    Divergence.objects.filter(pair__story=story).update(note=NOTE, verdict="confirmed", category="error")
    Document.objects.filter(story=story, language="en").update(file_name=FILE_NAME, source_url=JS_URL)
    Document.objects.filter(story=story, language="ru").update(file_name=FILE_NAME, source_url=WEB_URL)
    Edit.objects.create(story=story, user=owner, action=EditAction.MERGE, summary=HISTORY, payload={"start": 0})
    return story


@pytest.fixture
def owner_client(client, owner):
    client.force_login(owner)
    return client


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def test_the_story_list_shows_the_title_as_text(owner_client, hostile):
    audit(owner_client.get(reverse("stories")), shows=[TITLE])
    audit(owner_client.get(reverse("stories") + "?q=script", HTTP_HX_REQUEST="true"), shows=[TITLE])


def test_the_story_page_shows_title_files_rows_reasons_and_notes_as_text(owner_client, hostile):
    page = audit(owner_client.get(hostile.get_absolute_url()), shows=[TITLE, FILE_NAME, EN_TEXT, RU_TEXT, REASON, NOTE])
    # The web address is a link, whole; the javascript: one is no link at all.
    assert WEB_URL in page.links
    assert not any("alert(\"url\")" in link for link in page.links)


@pytest.mark.parametrize("name, headers", [
    ("story_pairs", {}), ("story_status", {}), ("story_pairs", {"HTTP_HX_REQUEST": "true"}),
])
def test_the_alignment_rows_show_the_sentences_as_text(owner_client, hostile, name, headers):
    audit(owner_client.get(reverse(name, args=[hostile.code]), **headers), shows=[EN_TEXT, RU_TEXT, REASON, NOTE])


def test_the_history_shows_each_edit_as_text(owner_client, hostile):
    audit(owner_client.get(reverse("story_history", args=[hostile.code]), HTTP_HX_REQUEST="true"), shows=[HISTORY])


def test_the_printable_report_shows_everything_as_text(owner_client, hostile):
    audit(owner_client.get(reverse("story_report", args=[hostile.code])), shows=[TITLE, EN_TEXT, RU_TEXT, REASON, NOTE])


@pytest.mark.parametrize("name", ["story_delete", "story_rerun"])
def test_the_confirmation_pages_show_the_title_as_text(owner_client, hostile, name):
    audit(owner_client.get(reverse(name, args=[hostile.code])), shows=[TITLE])


@pytest.mark.parametrize("fmt", ["tsv", "json", "tmx", "csv"])
def test_exports_are_downloads_a_browser_will_not_render_as_a_page(owner_client, hostile, fmt):
    response = owner_client.get(reverse("story_export", args=[hostile.code, fmt]))
    assert response.status_code == 200
    assert "html" not in response["Content-Type"]
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_upload_form_shown_again_keeps_what_was_typed_as_text(owner_client, no_broker):
    data = {"title": TITLE, "en_text": NOTE, "ru_text": "", "en_url": JS_URL, "en_file_name": FILE_NAME}
    response = owner_client.post(reverse("upload"), data)
    page = audit(response, shows=[TITLE, NOTE])
    assert JS_URL in page.values  # kept in its input, as a value, for the writer to correct
    assert "Enter the address of a web page, starting with http:// or https://." in " ".join(page.text)


@pytest.mark.parametrize("url", [JS_URL, "JavaScript:alert(1)", " javascript:alert(1)", "data:text/html,<b>x</b>",
                                 "vbscript:msgbox(1)", "ftp://example.org/story.txt"])
def test_a_source_url_must_be_a_web_address(url):
    form = UploadForm(data={"title": "T", "en_text": "The talks failed.", "ru_text": "Переговоры провалились.",
                            "en_url": url})
    assert not form.is_valid()
    assert [e.code for e in form.errors.as_data()["en_url"]] == ["invalid"]


def test_the_admin_lists_show_everything_as_text(staff_client, hostile):
    for model, shows in [
        ("story", [TITLE]), ("document", [FILE_NAME]), ("sentence", [EN_TEXT, RU_TEXT]), ("divergence", [REASON]),
    ]:
        audit(staff_client.get(reverse(f"admin:alignment_{model}_changelist")), shows=shows)
    audit(staff_client.get(reverse("admin:alignment_story_changelist") + "?q=script"), shows=[TITLE])


def test_the_admin_forms_show_everything_as_text(staff_client, hostile):
    en = Document.objects.get(story=hostile, language="en")
    pair = Pair.objects.get(story=hostile, order=1)
    divergence = Divergence.objects.get(pair=pair)
    sentence = Sentence.objects.get(document=en, index=1)
    for model, pk, shows in [
        ("story", hostile.pk, [TITLE, FILE_NAME, HISTORY]),
        ("document", en.pk, [FILE_NAME, JS_URL]),
        ("pair", pair.pk, [EN_TEXT, RU_TEXT, REASON]),
        ("divergence", divergence.pk, [REASON, NOTE]),
        ("sentence", sentence.pk, [EN_TEXT]),
    ]:
        page = audit(staff_client.get(reverse(f"admin:alignment_{model}_change", args=[pk])), shows=shows)
        assert not any("alert(\"url\")" in link for link in page.links)


def test_the_audit_catches_markup_that_got_through():
    # The checker itself: a page with the payloads unescaped fails it.
    from django.http import HttpResponse

    for raw in (TITLE, EN_TEXT, f'<a href="{JS_URL}">source</a>'):
        with pytest.raises(AssertionError):
            audit(HttpResponse(f"<p>{raw}</p>"))
    with pytest.raises(AssertionError, match="is not shown as text"):
        audit(HttpResponse("<p>Nothing here.</p>"), shows=[TITLE])
