import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import QueryDict

from alignment.web.forms import UploadForm
from alignment.samples import sample_story
from alignment.stories import SideInput
from tests.conftest import dev_story


@pytest.fixture
def texts():
    en, ru, _ = dev_story("upi.176266")
    return "\n".join(en), "\n".join(ru)


def post(**fields) -> QueryDict:
    """Form data as a browser sends it: a QueryDict, immutable like request.POST."""
    data = QueryDict(mutable=True)
    for key, value in fields.items():
        data[key] = value
    data._mutable = False
    return data


def errors(form, field):
    return [(e.code, e.message) for e in form.errors.as_data().get(field, [])]


# --- Valid input ----------------------------------------------------------------------------------------


def test_it_accepts_json_style_input_without_files(texts):
    en, ru = texts
    form = UploadForm(data={"title": "Shark attack", "en_text": en, "ru_text": ru, "en_url": "https://upi.com/x"})
    assert form.is_valid(), form.errors
    assert form.sides() == (SideInput(text=en, source_url="https://upi.com/x"), SideInput(text=ru))


def test_it_normalises_the_line_ends_a_browser_sends(texts):
    en, ru = texts
    form = UploadForm(post(title="T", en_text=en.replace("\n", "\r\n"), ru_text=ru.replace("\n", "\r\n")))
    assert form.is_valid(), form.errors
    assert form.sides()[0].text == en


def test_it_reads_uploaded_files_and_remembers_their_names_and_encodings(texts):
    en, ru = texts
    files = {
        "en_file": SimpleUploadedFile("shark.txt", en.encode("utf-8")),
        "ru_file": SimpleUploadedFile("акула.txt", ru.encode("utf-16")),
    }
    form = UploadForm(post(title="Shark attack"), files)
    assert form.is_valid(), form.errors
    assert form.sides() == (
        SideInput(text=en, file_name="shark.txt", encoding="utf-8"),
        SideInput(text=ru, file_name="акула.txt", encoding="utf-16"),
    )


def test_sides_needs_a_valid_form():
    with pytest.raises(ValueError):
        UploadForm(data={}).sides()


def test_the_sample_story_passes_the_form():
    sample = sample_story()
    form = UploadForm(data={"title": sample.title, "en_text": sample.en, "ru_text": sample.ru})
    assert form.is_valid(), form.errors
    assert sample.title == "Shark injures 13-year-old on lobster dive in California"
    assert "NTREX-128 (Federmann et al., 2022), CC BY-SA 4.0" in sample.attribution
    assert "modified to show divergences" in sample.attribution
    assert "48 hours" in sample.en and "24 часа" in sample.ru
    assert sample.en.count("\n\n") >= 5  # written as paragraphs, not one sentence per line


# --- Each side needs text -------------------------------------------------------------------------------


@pytest.mark.parametrize("en_text", ["", "   \n\t  "])
def test_a_missing_side_is_an_error_on_its_text_field_and_the_rest_is_kept(texts, en_text):
    _, ru = texts
    form = UploadForm(post(title="Shark attack", en_text=en_text, ru_text=ru, ru_url="https://ria.ru/x"))
    assert not form.is_valid()
    assert errors(form, "en_text") == [("required", "Paste the English text or upload a file.")]
    assert form["title"].value() == "Shark attack"
    assert form["ru_text"].value() == ru
    assert form["ru_url"].value() == "https://ria.ru/x"


def test_a_missing_title_is_an_error_and_both_texts_are_kept(texts):
    en, ru = texts
    form = UploadForm(post(title="", en_text=en, ru_text=ru))
    assert errors(form, "title") == [("required", "Give the story a title.")]
    assert (form["en_text"].value(), form["ru_text"].value()) == (en, ru)


def test_a_title_over_the_limit_is_an_error_naming_the_limit_and_everything_is_kept(texts):
    en, ru = texts
    title = "Shark " * 60  # 360 characters
    form = UploadForm(post(title=title, en_text=en, ru_text=ru, en_url="https://example.org/en"))
    assert form.errors["title"] == ["A title is at most 300 characters; this one has 359."]
    assert (form["title"].value(), form["en_text"].value(), form["ru_text"].value()) == (title, en, ru)
    assert form["en_url"].value() == "https://example.org/en"


def test_it_refuses_both_a_file_and_pasted_text_for_one_side(texts):
    en, ru = texts
    form = UploadForm(post(title="T", en_text=en, ru_text=ru), {"en_file": SimpleUploadedFile("en.txt", b"Other text.")})
    assert [code for code, _ in errors(form, "en_file")] == ["both"]
    assert "keep one of them" in form.errors["en_file"][0]
    assert form["en_text"].value() == en


def test_a_bad_url_is_an_error_on_its_field(texts):
    en, ru = texts
    form = UploadForm(post(title="T", en_text=en, ru_text=ru, en_url="not a url"))
    assert [code for code, _ in errors(form, "en_url")] == ["invalid"]
    assert form["en_url"].value() == "not a url"


# --- File problems --------------------------------------------------------------------------------------


def test_a_file_over_the_size_limit_is_an_error_on_its_file_field_with_status_413(texts, settings):
    settings.SVERKA_MAX_UPLOAD_BYTES = 1024
    en, _ = texts
    form = UploadForm(post(title="T", ru_text="Короткий текст."), {"en_file": SimpleUploadedFile("big.txt", en.encode())})
    assert errors(form, "en_file") == [("too_large", "“big.txt” is 1.5 KB; the limit is 1 KB per side.")]
    assert form.error_status() == 413


def test_pasted_text_over_the_size_limit_gets_status_413_too(settings):
    settings.SVERKA_MAX_UPLOAD_BYTES = 100
    form = UploadForm(data={"title": "T", "en_text": "A" * 150 + ".", "ru_text": "Слово."})
    assert [code for code, _ in errors(form, "en_text")] == ["too_large"]
    assert "The English text is 151 characters long; the limit is 100 per side." in form.errors["en_text"][0]
    assert form.error_status() == 413


def test_other_errors_get_status_400():
    form = UploadForm(data={"title": "T", "en_text": "", "ru_text": ""})
    assert form.error_status() == 400


@pytest.mark.parametrize(
    "upload, code",
    [
        (SimpleUploadedFile("story.txt", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64), "mismatch"),
        (SimpleUploadedFile("story.txt", bytes(range(256)) * 8), "binary"),
        (SimpleUploadedFile("story.pdf", b"%PDF-1.4"), "unsupported"),
        (SimpleUploadedFile("story.docx", b"%PDF-1.4"), "mismatch"),
        (SimpleUploadedFile("story.txt", b""), "empty"),
    ],
)
def test_unreadable_files_are_errors_on_their_file_field_and_the_other_side_is_kept(texts, upload, code):
    en, _ = texts
    form = UploadForm(post(title="Shark attack", en_text=en), {"ru_file": upload})
    assert [c for c, _ in errors(form, "ru_file")] == [code]
    assert "story." in form.errors["ru_file"][0]
    assert (form["title"].value(), form["en_text"].value()) == ("Shark attack", en)


def test_a_file_read_once_is_moved_into_the_text_field_and_not_needed_again(texts):
    en, ru = texts
    first = UploadForm(
        post(title="Shark attack"),
        {"en_file": SimpleUploadedFile("shark.txt", en.encode("utf-8")), "ru_file": SimpleUploadedFile("ru.txt", b"\x00\x01" * 50)},
    )
    assert not first.is_valid()
    assert "ru_file" in first.errors and "en_file" not in first.errors
    # The re-rendered form holds the English text; the file input is empty and its name rides along hidden.
    assert first["en_text"].value() == en
    assert en.splitlines()[1] in str(first["en_text"])
    assert "en_file" not in first.files
    assert (first["en_file_name"].value(), first["en_encoding"].value()) == ("shark.txt", "utf-8")

    # The person picks a better Russian file and sends the form again, without the English file.
    again = post(**{key: first.data[key] for key in first.data})
    second = UploadForm(again, {"ru_file": SimpleUploadedFile("ru.txt", ru.encode("koi8-r", errors="replace"))})
    assert second.is_valid(), second.errors
    en_side, ru_side = second.sides()
    assert en_side == SideInput(text=en, file_name="shark.txt", encoding="utf-8")
    assert (ru_side.file_name, ru_side.encoding) == ("ru.txt", "koi8-r")


def test_a_hand_edited_hidden_file_name_is_dropped_not_used(texts):
    en, ru = texts
    form = UploadForm(data={"title": "T", "en_text": en, "ru_text": ru, "en_file_name": "../../x.txt", "en_encoding": "utf-8"})
    assert form.is_valid(), form.errors
    assert form.sides()[0] == SideInput(text=en)


# --- Sentences and languages ----------------------------------------------------------------------------


def test_it_leaves_counting_the_sentences_to_the_worker(texts, settings, monkeypatch):
    # Splitting a megabyte into sentences takes about ten seconds: never inside the request.
    def split_in_the_request(*args, **kwargs):
        raise AssertionError("the form split the text into sentences")

    monkeypatch.setattr("alignment.pipeline.segment.split_sentences", split_in_the_request)
    settings.SVERKA_MAX_SENTENCES = 5
    en, ru = texts
    form = UploadForm(data={"title": "T", "en_text": "\n\n".join([en] * 3), "ru_text": ru})
    assert form.is_valid(), form.errors


def test_both_sides_in_english_is_an_error_on_the_russian_side(texts):
    en, _ = texts
    form = UploadForm(data={"title": "T", "en_text": en, "ru_text": en})
    assert [code for code, _ in errors(form, "ru_text")] == ["same_language"]
    assert "en_text" not in form.errors and not form.offers_swap


def test_both_sides_in_russian_is_an_error_on_the_english_side(texts):
    _, ru = texts
    form = UploadForm(data={"title": "T", "en_text": ru, "ru_text": ru})
    assert [code for code, _ in errors(form, "en_text")] == ["same_language"]
    assert "ru_text" not in form.errors and not form.offers_swap


def test_swapped_sides_are_a_non_field_error_with_an_offer_to_swap(texts):
    en, ru = texts
    form = UploadForm(post(title="T", en_text=ru, ru_text=en))
    assert not form.is_valid()
    assert form.offers_swap
    assert [(e.code, e.message) for e in form.non_field_errors().as_data()] == [
        ("swapped", "The English and Russian texts look swapped.")
    ]
    assert (form["en_text"].value(), form["ru_text"].value()) == (ru, en)


def test_sending_it_again_with_swap_on_swaps_texts_urls_and_file_names(texts):
    en, ru = texts
    first = UploadForm(
        post(title="T", en_url="https://ria.ru/x", ru_url="https://upi.com/x"),
        {"en_file": SimpleUploadedFile("ru.txt", ru.encode("windows-1251", errors="replace")),
         "ru_file": SimpleUploadedFile("en.txt", en.encode())},
    )
    assert not first.is_valid() and first.offers_swap
    again = QueryDict(mutable=True)
    for key in first.data:
        again[key] = first.data[key]
    again.setlist("swap", ["False", "on"])  # the hidden field, then the "Swap them" button
    second = UploadForm(again)
    assert second.is_valid(), second.errors
    en_side, ru_side = second.sides()
    assert en_side == SideInput(text=en, source_url="https://upi.com/x", file_name="en.txt", encoding="utf-8")
    assert (ru_side.source_url, ru_side.file_name, ru_side.encoding) == ("https://ria.ru/x", "ru.txt", "windows-1251")
    # Swapped once: a form shown again does not swap them back.
    assert second.cleaned_data["swap"] is False
    assert second["en_text"].value() == en


def test_json_input_can_ask_for_the_swap_too(texts):
    en, ru = texts
    form = UploadForm(data={"title": "T", "en_text": ru, "ru_text": en, "swap": True})
    assert form.is_valid(), form.errors
    assert form.sides()[0].text == en
