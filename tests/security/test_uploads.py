"""What an upload may cost, and what a hostile one gets: a body over the limit is refused (413) before a byte of it
is read; a file over the per-side limit streams to disk, capped, and is refused with its size; zip bombs, pages
of a hundred thousand tags, files that are not what their extension says and file names that try a path are
refused with a message naming the problem, or reduced to a plain base name. The rest of the form (the title, the
other side's text, the URLs) is kept every time."""

import pytest
from django.core.files.uploadedfile import TemporaryUploadedFile
from django.urls import reverse

from alignment.api import views as api
from alignment.ingest import format_size, html_to_text
from alignment.models import Story
from alignment.samples import sample_story
from alignment.ops.limits import CappedUploadHandler
from tests.ingest.test_docx import docx, paragraph, zipped

pytestmark = pytest.mark.usefixtures("no_broker")

BOUNDARY = "sverka-test-boundary"
TITLE = "Shark story"
EN_URL = "https://example.org/shark"


@pytest.fixture
def sample():
    return sample_story()


@pytest.fixture
def upload_dir(settings, tmp_path):
    """Where uploaded files stream to, to see what is left behind."""
    folder = tmp_path / "uploads"
    folder.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(folder)
    return folder


def multipart(files: dict[str, tuple[str, bytes]], fields: dict[str, str]) -> bytes:
    """A multipart body written by hand, so that a file's name goes exactly as given (the test client would send
    its base name). The files come before the fields: the fields after a refused file must still be read."""
    parts = [
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"; filename="{file_name}"\r\n'
        f"Content-Type: application/octet-stream\r\n\r\n".encode() + data + b"\r\n"
        for name, (file_name, data) in files.items()
    ] + [
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    return b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()


def send_english_file(client, owner, sample, file_name: str, data: bytes):
    client.force_login(owner)
    body = multipart({"en_file": (file_name, data)}, {"title": TITLE, "en_url": EN_URL, "ru_text": sample.ru})
    return client.generic("POST", reverse("upload"), body, content_type=f"multipart/form-data; boundary={BOUNDARY}")


def assert_refused_and_kept(response, sample, message: str):
    """The form again, with the message on the file, and nothing the writer entered lost."""
    html = response.content.decode()
    assert response.status_code == 200
    assert not Story.objects.exists()
    english = html[html.index('<fieldset class="side side--en">'):html.index('<fieldset class="side side--ru">')]
    assert message in english.replace("&#x27;", "'").replace("&quot;", '"')
    assert f'value="{TITLE}"' in html and f'value="{EN_URL}"' in html
    russian = html[html.index('<fieldset class="side side--ru">'):]
    assert sample.ru.splitlines()[0] in russian


# ---------------------------------------------------------------------------------------------------- Size


class Unreadable:
    """A request body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the request body was read")

    readline = read


def send_huge(client, url):
    return client.request(
        REQUEST_METHOD="POST", PATH_INFO=url, CONTENT_TYPE=f"multipart/form-data; boundary={BOUNDARY}",
        CONTENT_LENGTH=str(10**9), **{"wsgi.input": Unreadable()},
    )


def test_a_body_over_the_limit_is_refused_before_it_is_read(client, owner, settings):
    client.force_login(owner)
    response = send_huge(client, reverse("upload"))
    html = response.content.decode()
    assert response.status_code == 413
    assert f"The upload is {format_size(10**9)}; Sverka takes at most {format_size(settings.SVERKA_MAX_REQUEST_BYTES)}" in html
    assert "Nothing of it was read" in html
    assert "Content-Security-Policy" in response
    assert not Story.objects.exists()


def test_the_api_refuses_it_in_its_own_error_format(client, owner):
    response = send_huge(client, reverse("api:stories"))
    assert response.status_code == 413
    assert "Nothing of it was read" in response.json()["errors"]["__all__"][0]


def test_the_limit_leaves_room_for_the_largest_request_a_view_takes():
    from django.conf import settings

    form = settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 2 * settings.SVERKA_MAX_UPLOAD_BYTES
    assert settings.SVERKA_MAX_REQUEST_BYTES >= max(api.max_body_bytes(), form)


def test_a_file_over_the_side_limit_is_refused_with_its_size_and_the_rest_is_kept(
    client, owner, sample, settings, upload_dir
):
    settings.SVERKA_MAX_UPLOAD_BYTES = 10_000
    big = (sample.en + "\n\n") * (300_000 // len(sample.en))
    response = send_english_file(client, owner, sample, "big.txt", big.encode())
    limit = format_size(10_000)
    assert_refused_and_kept(response, sample, f"“big.txt” is {format_size(len(big.encode()))}; the limit is {limit} per side.")
    assert list(upload_dir.iterdir()) == []  # the temporary file went with the request


def test_the_handler_keeps_one_byte_over_the_limit_and_counts_the_rest(settings, upload_dir):
    settings.SVERKA_MAX_UPLOAD_BYTES = 1_000
    handler = CappedUploadHandler()
    handler.new_file("en_file", "story.txt", "text/plain", None)
    for start in range(0, 50_000, 4_096):
        assert handler.receive_data_chunk(b"x" * min(4_096, 50_000 - start), start) is None
    upload = handler.file_complete(50_000)
    assert isinstance(upload, TemporaryUploadedFile)
    assert upload.size == 50_000 and upload.name == "story.txt"
    assert len(upload.read()) == 1_001
    assert [path.stat().st_size for path in upload_dir.iterdir()] == [1_001]
    upload.close()
    assert list(upload_dir.iterdir()) == []


# ---------------------------------------------------------------------------------------------------- Content


def test_a_docx_zip_bomb_is_refused_before_it_is_inflated(client, owner, sample):
    bomb = docx(paragraph("<w:t>Hi</w:t>"), extra={"word/media/image1.bin": b"\0" * (40 * 1024 * 1024)})
    assert len(bomb) < 200_000
    response = send_english_file(client, owner, sample, "story.docx", bomb)
    assert_refused_and_kept(response, sample, "“story.docx” would inflate to 40 MB")
    assert "refused as a possible zip bomb" in response.content.decode()


def test_a_docx_of_thousands_of_parts_is_refused(client, owner, sample):
    parts = docx(paragraph("<w:t>Hi</w:t>"), extra={f"word/part{n}.xml": b"<x/>" for n in range(2_000)})
    response = send_english_file(client, owner, sample, "story.docx", parts)
    assert_refused_and_kept(response, sample, "“story.docx” holds 2,002 files, far more than a Word document")


def test_a_page_of_tens_of_thousands_of_tags_is_refused(client, owner, sample):
    page = "<html><body>" + "<b>" * 30_000 + "Text.</body></html>"
    response = send_english_file(client, owner, sample, "page.html", page.encode())
    assert_refused_and_kept(response, sample, "“page.html” has more than 20,000 HTML tags")


def test_html_nested_deeper_than_any_page_is_read_without_recursion():
    # Far deeper than Python's recursion limit (1,000), within the cap on tags (HTML_MAX_TAGS).
    deep = "<div>" * 15_000 + "<p>Deep inside.</p>" + "<p>Still here.</p>" + "</div>" * 15_000
    assert html_to_text(deep) == "Deep inside.\n\nStill here."


@pytest.mark.parametrize("file_name, data, message", [
    ("story.txt", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "“story.txt” is a PNG image, not a text file."),
    ("story.txt", b"%PDF-1.7\n1 0 obj << >> endobj", "“story.txt” is a PDF document, not a text file."),
    ("story.txt", zipped({"a.txt": b"hello"}), "“story.txt” is a ZIP archive"),
    ("story.docx", "Просто текст, а не документ Word.".encode(), "“story.docx” is not a Word document."),
    ("story.docx", b"%PDF-1.4\n1 0 obj", "“story.docx” is a PDF document, not a Word document."),
])
def test_a_file_that_is_not_what_its_extension_says_is_refused(client, owner, sample, file_name, data, message):
    assert_refused_and_kept(send_english_file(client, owner, sample, file_name, data), sample, message)


# ---------------------------------------------------------------------------------------------------- File names


@pytest.mark.parametrize("sent, kept", [
    ("../../etc/passwd.txt", "passwd.txt"),
    ("/etc/passwd.txt", "passwd.txt"),
    ("..\\..\\Windows\\win.ini.txt", "win.ini.txt"),
    ("C:\\Users\\olga\\story.txt", "story.txt"),
    ("evil\x00.php.txt", "evil.php.txt"),
    ("&lt;img src=x onerror=alert(1)&gt;.txt", "<img src=x onerror=alert(1)>.txt"),
])
def test_a_file_name_is_only_ever_a_base_name_for_display(client, owner, sample, upload_dir, sent, kept):
    response = send_english_file(client, owner, sample, sent, sample.en.encode())
    assert response.status_code == 302
    story = Story.objects.get()
    assert story.document("en").file_name == kept
    page = client.get(story.get_absolute_url()).content.decode()
    assert f'<span title="English file">{kept.replace("<", "&lt;").replace(">", "&gt;")}</span>' in page
    assert list(upload_dir.iterdir()) == []  # nothing written anywhere under the name


def test_a_file_name_with_a_path_in_the_remembered_field_is_dropped(client, owner, sample):
    # The hidden field that remembers a file's name after an error is the writer's to edit: a path there is not
    # kept, and the text is.
    client.force_login(owner)
    client.post(reverse("upload"), {"title": TITLE, "en_text": sample.en, "ru_text": sample.ru,
                                    "en_file_name": "../../etc/passwd.txt", "en_encoding": "utf-8"})
    assert Story.objects.get().document("en").file_name == ""


def test_a_name_too_long_for_the_file_system_is_refused_not_an_error(client, owner, sample, upload_dir):
    response = send_english_file(client, owner, sample, "story." + "x" * 300, b"Some text.")
    assert response.status_code == 200
    assert "files are not supported" in response.content.decode()
    assert list(upload_dir.iterdir()) == []
