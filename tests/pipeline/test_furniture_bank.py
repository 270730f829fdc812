"""The furniture bank: every file parses, and the bank is broad, bilingual and varied."""

from __future__ import annotations

import unicodedata
from collections import Counter, defaultdict
from importlib import resources

import pytest

from alignment.pipeline.lexicon.furniture_bank import (
    BANK_PACKAGE,
    LABELS,
    Example,
    load_bank,
    outlet_names,
    parse_file,
)

MIN_OUTLETS = 12
MIN_BLOCKS = 8
MIN_LABELS = 8
MIN_LINES = 30
# A sentence-long line may be shared by at most this many outlets (per language);
# short lines such as "Share" or "Подписаться" may repeat freely.
MAX_OUTLETS_PER_LONG_LINE = 2
LONG_LINE_WORDS = 4

SOURCE_HEADER = "written for Sverka in the style of the outlet's web pages"


def _bank_files() -> list[str]:
    folder = resources.files(BANK_PACKAGE)
    return sorted(entry.name for entry in folder.iterdir() if entry.name.endswith(".txt"))


def _by_file() -> dict[tuple[str, str], list[Example]]:
    grouped: dict[tuple[str, str], list[Example]] = defaultdict(list)
    for example in load_bank():
        grouped[(example.outlet, example.lang)].append(example)
    return grouped


def _script_share(text: str, script: str) -> float:
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return 1.0
    return sum(script in unicodedata.name(ch, "") for ch in letters) / len(letters)


def test_load_bank_is_cached_tuple_of_frozen_examples():
    bank = load_bank()
    assert isinstance(bank, tuple) and bank
    assert load_bank() is bank or load_bank() == bank
    example = bank[0]
    assert isinstance(example, Example)
    with pytest.raises(AttributeError):
        example.text = "changed"  # type: ignore[misc]


def test_at_least_twelve_outlets_each_in_both_languages():
    files = _bank_files()
    pairs = {tuple(name[: -len(".txt")].split(".")) for name in files}
    outlets = {slug for slug, _ in pairs}
    assert len(outlets) >= MIN_OUTLETS, sorted(outlets)
    for slug in outlets:
        assert (slug, "en") in pairs and (slug, "ru") in pairs, slug
    assert len(files) == 2 * len(outlets)
    assert set(outlet_names()) == outlets
    assert "moscow-times" not in " ".join(outlets)
    assert {example.outlet for example in load_bank()} == outlets


def test_headers_present_and_consistent():
    folder = resources.files(BANK_PACKAGE)
    names_by_slug: dict[str, set[str]] = defaultdict(set)
    for name in _bank_files():
        header, _ = parse_file(name, folder.joinpath(name).read_text(encoding="utf-8"))
        slug, lang = name[: -len(".txt")].split(".")
        assert header["language"] == lang, name
        assert header["outlet"].strip(), name
        assert SOURCE_HEADER in header["source"], name
        assert "not copied" in header["source"], name
        names_by_slug[slug].add(header["outlet"])
    for slug, names in names_by_slug.items():
        assert len(names) == 1, (slug, names)  # both languages name the outlet alike
    assert "The Moscow Times" not in {name for names in names_by_slug.values() for name in names}


def test_labels_are_from_the_fixed_set():
    used = {example.label for example in load_bank()}
    assert used <= LABELS, used - LABELS


@pytest.mark.parametrize("name", _bank_files())
def test_each_file_is_big_and_varied_enough(name):
    slug, lang = name[: -len(".txt")].split(".")
    examples = _by_file()[(slug, lang)]
    blocks = {example.block for example in examples}
    labels = {example.label for example in examples}
    assert len(blocks) >= MIN_BLOCKS, (name, len(blocks))
    assert blocks == set(range(len(blocks))), name  # numbered 0..n-1
    assert len(labels) >= MIN_LABELS, (name, sorted(labels))
    assert len(examples) >= MIN_LINES, (name, len(examples))
    lengths = [len(example.text.split()) for example in examples]
    assert sum(n <= 2 for n in lengths) >= 3, f"{name}: needs short lines (button labels, credits)"
    assert sum(n >= 8 for n in lengths) >= 3, f"{name}: needs sentence-long lines"
    # Block numbers follow file order, and each block keeps one label.
    label_of_block: dict[int, str] = {}
    for example in examples:
        assert label_of_block.setdefault(example.block, example.label) == example.label, name


@pytest.mark.parametrize("name", _bank_files())
def test_script_matches_language(name):
    slug, lang = name[: -len(".txt")].split(".")
    text = "\n".join(example.text for example in _by_file()[(slug, lang)])
    if lang == "ru":
        assert _script_share(text, "CYRILLIC") >= 0.8, name
        assert '"' not in text, f"{name}: Russian typography uses «ёлочки», not straight quotes"
    else:
        assert _script_share(text, "LATIN") >= 0.97, name
        assert _script_share(text, "CYRILLIC") == 0.0, name
    if lang == "ru":
        # Most lines are Cyrillic; credits and app-store buttons may be Latin ("Reuters", "App Store").
        lines = [example.text for example in _by_file()[(slug, lang)]]
        mostly_cyrillic = [_script_share(line, "CYRILLIC") > 0.5 for line in lines]
        assert sum(mostly_cyrillic) / len(lines) >= 0.8, name


def test_long_lines_are_not_shared_across_many_outlets():
    outlets_of: dict[tuple[str, str], set[str]] = defaultdict(set)
    for example in load_bank():
        key = (example.lang, " ".join(example.text.casefold().split()))
        outlets_of[key].add(example.outlet)
    too_common = {
        text: sorted(outlets)
        for (lang, text), outlets in outlets_of.items()
        if len(text.split()) >= LONG_LINE_WORDS and len(outlets) > MAX_OUTLETS_PER_LONG_LINE
    }
    assert not too_common, too_common


def test_most_lines_are_distinct():
    counts = Counter((example.lang, example.text) for example in load_bank())
    total = sum(counts.values())
    repeated = sum(n for n in counts.values() if n > 1)
    assert repeated / total <= 0.2, counts.most_common(15)
    # Button labels ("Share", "Поделиться") may appear in every outlet; a line of
    # three words or more ("Sign in to comment") in a handful at most.
    phrases = {key: n for key, n in counts.items() if len(key[1].split()) >= 3}
    assert max(phrases.values()) <= 3, Counter(phrases).most_common(5)


def test_every_label_is_used_somewhere_in_each_language():
    for lang in ("en", "ru"):
        used = {example.label for example in load_bank() if example.lang == lang}
        assert used == LABELS, (lang, sorted(LABELS - used))


def test_lines_are_clean_text():
    for example in load_bank():
        assert example.text == example.text.strip(), example
        assert "  " not in example.text, example
        assert unicodedata.is_normalized("NFC", example.text), example


# --- the parser on malformed input -------------------------------------------------

HEADER = "# outlet: Test\n# language: en\n# source: written for Sverka\n"


def test_parser_reads_blocks_and_numbers_them():
    header, examples = parse_file("test-outlet.en.txt", HEADER + "[tags]\nWar\nPolitics\n\n[byline]\nBy A. Writer\n")
    assert header == {"outlet": "Test", "language": "en", "source": "written for Sverka"}
    assert examples == (
        Example("test-outlet", "en", "tags", 0, "War"),
        Example("test-outlet", "en", "tags", 0, "Politics"),
        Example("test-outlet", "en", "byline", 1, "By A. Writer"),
    )


@pytest.mark.parametrize(
    ("content", "line", "fragment"),
    [
        (HEADER + "[tags]\nWar \n", 5, "trailing whitespace"),
        (HEADER + "[bogus label]\nWar\n", 4, "unknown label"),
        (HEADER + "War\n", 4, "expected a \\[label\\]"),
        (HEADER + "[tags]\nWar\n[byline]\nBy me\n", 6, "inside a block"),
        (HEADER + "[tags]\n\n[byline]\nBy me\n", 5, "has no lines"),
        ("# outlet: Test\n# language: en\n[tags]\nWar\n", 3, "lacks source"),
        ("# outlet: Test\n# language: ru\n# source: x\n[tags]\nWar\n", 4, "file name says"),
        ("# outlet: Test\n# colour: red\n", 2, "unknown header key"),
        ("#outlet: Test\n", 1, "header line"),
        (HEADER, 3, "no blocks"),
    ],
)
def test_parser_rejects_malformed_files_naming_file_and_line(content, line, fragment):
    with pytest.raises(ValueError, match=fragment) as caught:
        parse_file("test-outlet.en.txt", content)
    assert str(caught.value).startswith(f"test-outlet.en.txt, line {line}:")


@pytest.mark.parametrize("name", ["Test.en.txt", "test.de.txt", "test.txt"])
def test_parser_rejects_bad_file_names(name):
    with pytest.raises(ValueError, match=name.replace(".", r"\.")):
        parse_file(name, HEADER + "[tags]\nWar\n")
