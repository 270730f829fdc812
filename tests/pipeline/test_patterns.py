import re

import pytest

from alignment.pipeline import lexicon
from alignment.pipeline.lexicon.furniture_bank import load_bank
from alignment.pipeline.patterns import needles


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
