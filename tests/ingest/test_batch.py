"""What every batch shares: a side is text or an address, and a pair's fingerprint finds the same pair again.
The readers have their own files: test_batch_zip.py and test_batch_manifest.py."""

import pytest

from alignment.ingest.batch import Side, fingerprint

EN = "The talks in Geneva broke down.\nBoth sides blamed each other."
RU = "Переговоры в Женеве сорвались.\nСтороны обвинили друг друга."


def test_the_fingerprint_is_the_same_however_lines_end_or_spaces_trail():
    same = fingerprint(EN, RU)
    assert len(same) == 64 and int(same, 16) >= 0
    assert fingerprint(EN.replace("\n", "\r\n") + "\r\n", RU.replace("\n", "\r")) == same
    assert fingerprint("  " + EN.replace("\n", "   \n") + " \t\n\n", RU + "\n") == same
    # The same letter composed or decomposed: й as one code point, or и followed by a combining breve.
    assert fingerprint(EN, "Заявил Сергей Лавров.") == fingerprint(EN, "Заявил Серге\u0438\u0306 Лавров.")


def test_the_fingerprint_differs_for_different_texts():
    same = fingerprint(EN, RU)
    assert fingerprint(EN.replace("Tuesday", "Monday").replace("down", "up"), RU) != same
    assert fingerprint(RU, EN) != same
    assert fingerprint(EN, RU + " Ещё одно.") != same
    # Words moved from one side to the other are a different pair.
    assert fingerprint("ab", "c") != fingerprint("a", "bc")
    assert fingerprint(EN.replace("\n", "\n\n"), RU) != same  # a paragraph break is part of the text


@pytest.mark.parametrize("fields", [
    {}, {"text": "Some text.", "url": "https://example.org/"}, {"text": "Some text.", "raw": b"<p>x</p>"},
    {"raw": b"<p>x</p>", "url": "https://example.org/"},
])
def test_a_side_is_one_of_its_text_its_file_or_its_address(fields):
    with pytest.raises(ValueError, match="one of its text, its file or its URL"):
        Side(**fields)
