import re

import pytest

from alignment.pipeline import lexicon
from alignment.pipeline.lexicon.furniture_bank import load_bank
from alignment.pipeline.patterns import by_first_letter, needles


@pytest.mark.parametrize(
    "pattern, expected",
    [
        (r"^\W*read more", None),  # begins with a class of characters
        (r"\bread more\b", ("read more",)),
        (r"(?:photo|image)s?:", ("photo", "image")),
        (r"[ab]c", ("a", "b")),
        (r"(?<=x)y", None),
        (r"(?:a|b?)c", None),  # an alternative may begin with nothing
    ],
)
def test_it_reads_the_text_every_match_begins_with(pattern, expected):
    assert needles(pattern) == expected


def test_every_match_of_a_furniture_pattern_holds_one_of_its_needles():
    texts = [example.text for example in load_bank()]
    checked = 0
    for _, _, pattern in lexicon.table("furniture_patterns"):
        found = needles(pattern)
        if found is None:
            continue
        compiled = re.compile(pattern, re.IGNORECASE)
        for text in texts:
            if compiled.search(text):
                checked += 1
                assert any(n.lower() in text.lower() for n in found), (pattern, text)
    assert checked > 50


def test_words_grouped_by_their_first_letter_match_as_the_plain_list_does():
    words = lexicon.entries("reported_speech")
    grouped = by_first_letter(words)
    assert grouped.startswith("s(?:aid|ays|he)|t(?:old|hey|heir)|")
    plain, faster = (re.compile(rf"\b(?:{alternatives})\b", re.I) for alternatives in ("|".join(words), grouped))
    texts = [example.text for example in load_bank()] + ["He said so.", "Her, his; Сказали они. По словам её"]
    for text in texts:
        assert [m.span() for m in faster.finditer(text)] == [m.span() for m in plain.finditer(text)], text


def test_only_words_are_grouped_by_their_first_letter():
    with pytest.raises(ValueError):
        by_first_letter(["said", r"\w+ly"])
