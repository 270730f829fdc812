import codecs

import pytest

from alignment.ingest import Extracted, read_upload
from tests.conftest import dev_story
from tests.ingest.helpers import LIMIT, refused

STORIES = ("upi.176266", "bbc.381647", "reuters.218923", "abcnews.306755")


def russian(name: str = "upi.176266", encodings=("windows-1251", "koi8-r")) -> str:
    """The story's Russian lines that both single-byte encodings can hold (KOI8-R has no « »)."""
    _, ru, _ = dev_story(name)
    lines = [line for line in ru if all(_encodable(line, e) for e in encodings)]
    assert len(lines) >= 3
    return "\n".join(lines) + "\n"


def english(name: str = "upi.176266") -> str:
    en, _, _ = dev_story(name)
    return "\n".join(en) + "\n"


def _encodable(text: str, encoding: str) -> bool:
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


def test_it_reads_utf8_and_returns_a_frozen_result():
    text = russian()
    result = read_upload("story.txt", text.encode("utf-8"), LIMIT)
    assert result == Extracted(text=text, encoding="utf-8", file_name="story.txt")
    with pytest.raises(AttributeError):
        result.text = "changed"


def test_it_strips_the_utf8_byte_order_mark_and_says_so():
    text = russian()
    result = read_upload("story.txt", codecs.BOM_UTF8 + text.encode("utf-8"), LIMIT)
    assert (result.text, result.encoding) == (text, "utf-8-sig")


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("language", ["ru", "en"])
def test_it_reads_utf16_with_a_byte_order_mark(codec, language):
    text = russian() if language == "ru" else english()
    bom = codecs.BOM_UTF16_LE if codec == "utf-16-le" else codecs.BOM_UTF16_BE
    result = read_upload("story.txt", bom + text.encode(codec), LIMIT)
    assert (result.text, result.encoding) == (text, "utf-16")


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("language", ["ru", "en"])
def test_it_recognises_utf16_without_a_byte_order_mark_by_its_nul_bytes(codec, language):
    text = russian() if language == "ru" else english()
    result = read_upload("story.txt", text.encode(codec), LIMIT)
    assert (result.text, result.encoding) == (text, codec)


@pytest.mark.parametrize("name", STORIES)
@pytest.mark.parametrize("encoding", ["windows-1251", "koi8-r"])
def test_it_tells_windows_1251_from_koi8_r_in_real_russian_stories(name, encoding):
    text = russian(name)
    result = read_upload("story.txt", text.encode(encoding), LIMIT)
    assert (result.text, result.encoding) == (text, encoding)


@pytest.mark.parametrize("encoding", ["windows-1251", "koi8-r"])
@pytest.mark.parametrize("case", [str, str.upper])
def test_it_tells_them_apart_in_one_headline_in_either_case(encoding, case):
    headline = case(russian("upi.176266").splitlines()[0])  # "В Калифорнии акула ранила 13-летнего ныряльщика..."
    result = read_upload("headline.txt", headline.encode(encoding), LIMIT)
    assert (result.text, result.encoding) == (headline, encoding)


@pytest.mark.parametrize(
    "headline", ["Вулкан покрыл пеплом Мехико", "Desert Island Discs: Том Дейли испытывал чувство неполноценности"]
)
def test_it_chooses_only_among_newsroom_encodings(headline):
    # Free to choose among all it knows, charset-normalizer reads both of these, in KOI8-R, as Shift JIS.
    result = read_upload("headline.txt", headline.encode("koi8-r"), LIMIT)
    assert (result.text, result.encoding) == (headline, "koi8-r")


def test_it_reads_english_in_windows_1252_as_a_last_resort():
    text = "The caf\u00e9\u2019s owner said \u201cno comment\u201d \u2013 twice.\n" + english()
    result = read_upload("story.txt", text.encode("windows-1252"), LIMIT)
    assert (result.text, result.encoding) == (text, "windows-1252")


def test_english_with_only_curly_quotes_is_named_windows_1252_though_windows_1251_reads_it_alike():
    text = "The owner said \u201cno comment\u201d \u2013 twice, and didn\u2019t return calls.\n" + english()
    result = read_upload("story.txt", text.encode("windows-1252"), LIMIT)
    assert (result.text, result.encoding) == (text, "windows-1252")


def test_it_normalises_windows_and_old_mac_line_ends_and_keeps_everything_else():
    data = "Headline\r\n\r\nFirst\tline  \rSecond\u00a0line.\n".encode("utf-8")
    assert read_upload("story.txt", data, LIMIT).text == "Headline\n\nFirst\tline  \nSecond\u00a0line.\n"


def test_it_refuses_binary_data_with_nul_bytes():
    data = bytes(range(256)) * 20
    error = refused("story.txt", data)
    assert error.code == "binary"
    assert "“story.txt” looks like binary data" in error.message


def test_it_refuses_text_full_of_control_characters():
    data = ("Text \x01\x02\x03\x04\x05\x06\x07\x08 " * 50).encode("ascii")
    assert refused("story.md", data).code == "binary"
