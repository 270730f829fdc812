"""A page or a .docx uploaded with the form: checked in the request only as far as is cheap, read by the story's
job (alignment.reading), kept when the form comes back with errors, and a way on when it holds no article."""

import html as html_lib
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from alignment import ingest, jobs
from alignment.models import JobStatus, PendingFile, Story
from alignment.samples import sample_story
from tests.ingest.test_docx import docx, paragraph

pytestmark = pytest.mark.usefixtures("no_broker")


@pytest.fixture
def sample():
    return sample_story()


@pytest.fixture
def extractions(monkeypatch):
    """Each page trafilatura is asked to read: none may be, in a web request."""
    calls = []
    real = ingest.html_to_text

    def spy(text):
        calls.append(text)
        return real(text)

    monkeypatch.setattr(ingest, "html_to_text", spy)
    return calls


def page(text: str) -> bytes:
    paragraphs = "".join(f"<p>{html_lib.escape(line)}</p>" for line in text.split("\n") if line.strip())
    return (f"<!doctype html><html><head><title>Story</title></head><body><nav><a href='/'>Home</a></nav>"
            f"<article>{paragraphs}</article></body></html>").encode("utf-8")


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def post(client, user, data, files=None):
    client.force_login(user)
    return client.post(reverse("upload"), {**data, **(files or {})})


def test_a_page_is_kept_as_it_came_and_read_by_the_job_not_the_request(client, owner, sample, extractions):
    response = post(client, owner, {"title": "Shark", "en_text": "", "ru_text": sample.ru},
                    {"en_file": upload("shark.html", page(sample.en))})
    story = Story.objects.get()
    assert response.status_code == 302
    assert extractions == []  # nothing was extracted in the request
    english = story.document("en")
    assert (english.text, bytes(english.raw), english.file_name) == ("", page(sample.en), "shark.html")

    job = jobs.run_job(story.latest_job().pk)
    assert job.status == JobStatus.DONE, job.error
    assert len(extractions) == 1
    english.refresh_from_db()
    assert english.raw is None and english.encoding == "utf-8"
    assert english.text.split("\n\n")[1] == sample.en.split("\n")[0]  # after the headline, the first paragraph
    assert story.pairs.exists()


def test_a_docx_is_read_by_the_job(client, owner, sample):
    body = "".join(paragraph(f"<w:t>{html_lib.escape(line)}</w:t>") for line in sample.ru.split("\n") if line)
    post(client, owner, {"title": "Shark", "en_text": sample.en, "ru_text": ""},
         {"ru_file": upload("акула.docx", docx(body))})
    story = Story.objects.get()
    assert story.document("ru").text == ""
    assert jobs.run_job(story.latest_job().pk).status == JobStatus.DONE
    assert story.document("ru").text.startswith(sample.ru.split("\n")[0])


@pytest.mark.parametrize(("name", "data", "says"), [
    ("photo.html", b"\x89PNG\r\n\x1a\n" + bytes(64), "“photo.html” is a PNG image, not a web page."),
    ("notes.docx", b"just some text", "“notes.docx” is not a Word document."),
    ("empty.html", b"", "“empty.html” is empty."),
])
def test_what_is_plain_to_see_is_refused_in_the_request_with_the_other_side_kept(client, owner, sample, name,
                                                                                 data, says):
    response = post(client, owner, {"title": "Shark", "en_text": "", "ru_text": sample.ru},
                    {"en_file": upload(name, data)})
    assert response.status_code == 200 and not Story.objects.exists()
    text = html_lib.unescape(response.content.decode())
    assert says in text
    assert sample.ru.split("\n")[0] in text


def test_a_file_is_kept_when_the_form_comes_back_and_taken_back_by_the_next_submission(client, owner, sample):
    response = post(client, owner, {"title": "", "en_text": "", "ru_text": sample.ru},
                    {"en_file": upload("shark.html", page(sample.en))})
    assert response.status_code == 200 and not Story.objects.exists()
    shown = html_lib.unescape(response.content.decode())
    assert "shark.html is kept" in re.sub(r"<[^>]+>", "", shown)
    token = re.search(r'name="en_pending" value="([0-9a-f-]{36})"', shown)[1]
    assert PendingFile.objects.get(token=token).owner == owner

    # Sent again as the page holds it, with the title now given: the kept file is the English side.
    response = post(client, owner, {"title": "Shark", "en_text": "", "ru_text": sample.ru, "en_pending": token,
                                    "en_file_name": "shark.html"})
    assert response.status_code == 302
    story = Story.objects.get()
    assert bytes(story.document("en").raw) == page(sample.en)
    assert story.document("en").file_name == "shark.html"
    assert not PendingFile.objects.exists()  # the story holds it now


def test_pasted_text_replaces_a_kept_file(client, owner, sample):
    kept = PendingFile.objects.create(owner=owner, file_name="shark.html", data=page(sample.en))
    post(client, owner, {"title": "Shark", "en_text": sample.en, "ru_text": sample.ru, "en_pending": str(kept.token),
                         "en_file_name": "shark.html"})
    english = Story.objects.get().document("en")
    assert (english.text, english.raw, english.file_name) == (sample.en.strip(), None, "")


@pytest.mark.parametrize("whose", ["other", "unknown", "not a token"])
def test_a_file_kept_for_someone_else_or_gone_is_not_taken(client, owner, other_user, sample, whose):
    kept = PendingFile.objects.create(owner=other_user, file_name="theirs.html", data=page(sample.en))
    token = {"other": str(kept.token), "unknown": "8c0ff0f4-5e1c-4c1e-9b1e-6f1f7c1f7c1f", "not a token": "x"}[whose]
    response = post(client, owner, {"title": "Shark", "en_text": "", "ru_text": sample.ru, "en_pending": token})
    assert response.status_code == 200 and not Story.objects.exists()
    assert "The English file chosen before is no longer kept" in html_lib.unescape(response.content.decode())


def test_a_page_without_an_article_fails_its_job_naming_the_file_and_offers_another_go(client, owner, sample):
    menus = b"<html><body><nav><a href='/a'>News</a><a href='/b'>Sport</a></nav></body></html>"
    post(client, owner, {"title": "Shark", "en_text": "", "ru_text": sample.ru},
         {"en_file": upload("menus.html", menus)})
    story = Story.objects.get()
    job = jobs.run_job(story.latest_job().pk)
    assert job.status == JobStatus.FAILED
    assert job.error == "The English file: “menus.html” contains no article text."
    assert bytes(story.document("en").raw) == menus  # kept, for a look or another try

    page_html = html_lib.unescape(client.get(story.get_absolute_url()).content.decode())
    assert job.error in page_html
    again = reverse("upload") + f"?from={story.code}"
    assert f'href="{again}"' in page_html
    form = html_lib.unescape(client.get(again).content.decode())
    assert 'value="Shark"' in form
    assert sample.ru.split("\n")[0] in form  # the side that was read is filled in; the other is to choose again
    assert "menus.html" not in form


def test_another_users_story_cannot_fill_the_form(client, owner, other_user, sample):
    story = Story.objects.create(owner=other_user, title="Theirs")
    client.force_login(owner)
    assert client.get(reverse("upload") + f"?from={story.code}").status_code == 404
