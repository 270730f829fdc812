"""Fuzzing align_texts: whatever it is given, it refuses with a PipelineError or returns a whole alignment.

Hypothesis feeds it any Unicode a Python string can hold (control characters, NUL, combining marks,
right-to-left text, zero-width characters, emoji, tokens thousands of characters long), stories of up to 60
sentences a side whose scripts mix so that the language checks sometimes pass and sometimes refuse, and
pre-segmented lists with empty and blank lines. The model does not matter to these properties; use-m3 is the
default, loads once per process (get_embedder is cached) and embeds a fuzzed story in a fraction of a second.
"""

import json

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from alignment.pipeline import AlignConfig, Kind, Lang, PipelineError, align_texts
from alignment.pipeline.validate import check_text

# Deterministic on CI: the same examples on every run, and no example database to carry between runs.
FUZZ = settings(
    max_examples=150, deadline=None, database=None, derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)

# Characters that break text tools, beside whatever st.characters draws from every category. Junk (control
# characters, NUL, private use, unassigned) beyond 1% of a text makes it binary data, refused.
JUNK = ["\x00", "\x01", "\x07", "\x1b", "\x7f", "\x85", "\ufffd", "\ue000", "\U000e0001", "\U0010fffd"]
ODD = [
    "\r", "\n", "\r\n", "\n\n", "\t", "\v", "\f", "\x1c", "\u2028", "\u2029",  # line and paragraph breaks
    "\u00a0", "\u2009", "\u3000", "\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u2060", "\ufeff", "\u00ad",
    "\u0301", "e\u0301\u0302\u0303\u0304", "и\u0306", "\u20dd",  # combining marks, stacked
    "\u202e", "\u202a", "\u2067", "שלום", "مرحبا", "١٢٣",  # right-to-left text and overrides, Arabic digits
    "👍🏽", "👨\u200d👩\u200d👧", "🇷🇺", "🙂", "\U0001f9ff", "©", "°", "№", "€", "₽", "%",
    ".", "!", "?", "…", "...", ":", ";", ",", "-", "—", "–", "(", ")", "[", "]",
    '"', "'", "“", "”", "„", "«", "»", "‘", "’",
    "1", "3.5", "1,500", "2024", "½", "Ⅻ", "²",
]
any_char = st.characters(codec="utf-8", exclude_categories=["Cs"])
visible_char = st.characters(codec="utf-8", exclude_categories=["Cs", "Cc", "Co", "Cn"])
# Longer than a sentence may be (segment.MAX_SENTENCE_CHARS) now and then. Rare: each costs the embedder a
# tenth of a second or more.
long_token = st.builds(
    lambda piece, n: piece * n, st.sampled_from(["a", "я", "1", "ab ", "👍", "\u0301", ".", "\u200b", "-"]),
    st.integers(300, 2600),
)
piece = st.one_of(any_char, st.sampled_from(ODD + JUNK))


def with_a_long_token(pieces):
    """Pieces, with one long token among them one time in five."""

    @st.composite
    def build(draw):
        drawn = draw(pieces)
        if draw(st.integers(0, 4)) == 0:
            drawn.insert(draw(st.integers(0, len(drawn))), draw(long_token))
        return drawn

    return build()


any_text = with_a_long_token(st.lists(piece, max_size=120)).map("".join)

# Words of news copy on each side, with what the divergence checks look for: numbers, names, dates, units.
LATIN = (
    "the talks failed on Monday and both sides left Geneva Putin Biden Moscow Washington said police "
    "president report percent million people September U.S. Dr. Smith in of to was 5 1,500 3.5 2024 "
    "two three $40 80F 27°C 10% St. Petersburg Kremlin reporters"
).split()
CYRILLIC = (
    "переговоры провалились в понедельник и обе стороны покинули Женеву Путин Байден Москва Вашингтон "
    "заявил полиция президент доклад процентов миллиона человек сентября США г. Смит на о 5 1500 3,5 2024 "
    "двух три 40 долларов 27 градусов 10% Санкт-Петербург Кремль журналистам"
).split()
END = st.sampled_from([".", ".", ".", "!", "?", "…", "", ":", '."', "»."])


@st.composite
def sentence(draw, words):
    """A sentence of the given words, now and then with an odd character in it (no junk: a story of them is
    text, and the aligner should see it)."""
    word = st.sampled_from(words)
    odd = st.one_of(visible_char, st.sampled_from(ODD))
    body = draw(st.lists(st.one_of(word, word, word, odd), min_size=1, max_size=14))
    text = " ".join(body)
    return text[:1].upper() + text[1:] + draw(END)


@st.composite
def story_sentences(draw, home, foreign):
    """0 to 60 sentences, some share of them (none, a few, half, all) in the other side's script."""
    share = draw(st.sampled_from([0, 0, 1, 2, 4]))  # out of 4
    count = draw(st.integers(0, 60))
    return [draw(sentence(foreign if draw(st.integers(0, 3)) < share else home)) for _ in range(count)]


def prose(words, other):
    """A side as prose: its sentences run on, with line and paragraph breaks here and there."""
    return st.builds(
        lambda sentences, glue: "".join(s + glue[k % len(glue)] for k, s in enumerate(sentences)),
        with_a_long_token(story_sentences(words, other)),
        st.lists(st.sampled_from([" ", " ", "\n", "\n\n", "\r\n", "  \u200b"]), min_size=1, max_size=5),
    )


def lines(words, other):
    """A pre-segmented side: a list of lines, among them empty and blank ones (paragraph breaks)."""
    blank = st.sampled_from(["", " ", "\t", "\u00a0", "\u200b", " \u3000 ", "\r"])
    return st.lists(st.one_of(blank, sentence(words), sentence(other), any_text), max_size=60)


class FuzzTranslator:
    """A translator whose output is whatever Hypothesis draws: empty, junk, or text in either script."""

    name = "fuzz"

    def __init__(self, data):
        self.data = data

    def translate(self, texts, source, target):
        out = st.one_of(st.just(""), any_text, sentence(LATIN), sentence(CYRILLIC))
        return [self.data.draw(out, label=f"{source}→{target}") for _ in texts]


def pointed_at(beads, k, divergence):
    """The beads whose sentences a divergence of bead ``k`` may point into: its own. A passage put in place
    of another is the exception (diverge.unpaired.swapped_neighbours): the one divergence goes on one of the two
    one-sided beads and spans both passages, so it points into the neighbouring bead too."""
    one_sided = not (beads[k].en and beads[k].ru)
    if divergence.kind != Kind.MEANING or not one_sided:
        return [beads[k]]
    return [b for b in beads[max(0, k - 1) : k + 2] if not (b.en and b.ru)]


def aligned_or_refused(en_input, ru_input, config=None, translator=None):
    """Run the pipeline and check every promise of its result. None when it refused, with a message."""
    try:
        result = align_texts(en_input, ru_input, config, translator=translator)
    except PipelineError as refused:
        assert refused.message.strip() and str(refused) == refused.message
        event(f"refused: {refused.code}")
        return None
    texts = {side: v if isinstance(v, str) else "\n".join(v) for side, v in (("en", en_input), ("ru", ru_input))}
    sentences = {"en": result.en, "ru": result.ru}

    for side, side_sentences in sentences.items():
        assert side_sentences, f"the {side} side came back without a sentence instead of being refused"
        for position, s in enumerate(side_sentences):
            assert s.index == position
            assert 0 <= s.start < s.end <= len(texts[side])
            assert s.text == texts[side][s.start : s.end]
        assert all(a.end <= b.start for a, b in zip(side_sentences, side_sentences[1:]))

    assert [i for b in result.beads for i in b.en] == list(range(len(result.en)))
    assert [j for b in result.beads for j in b.ru] == list(range(len(result.ru)))
    for k, bead in enumerate(result.beads):
        assert bead.en or bead.ru
        assert 0.0 <= bead.score <= 1.0
        for d in bead.divergences:
            assert 0.0 <= d.severity <= 1.0 and d.reason.strip()
            for side, spans in (("en", d.en_spans), ("ru", d.ru_spans)):
                home = [sentences[side][i] for b in pointed_at(result.beads, k, d) for i in getattr(b, side)]
                for start, end in spans:
                    assert 0 <= start < end <= len(texts[side])
                    assert any(s.start <= start and end <= s.end for s in home), (k, d, side)

    assert (result.stats.en_sentences, result.stats.ru_sentences) == (len(result.en), len(result.ru))
    assert sum(n for _, n in result.stats.divergence_counts) == sum(len(b.divergences) for b in result.beads)
    assert {k for k, _ in result.stats.divergence_counts} == set(Kind)
    # Strict JSON: PostgreSQL's jsonb (Story.stats) refuses NaN and infinities.
    data = json.loads(json.dumps(result.to_dict(), allow_nan=False))
    assert len(data["pairs"]) == len(result.beads)
    event("aligned")
    return result


@FUZZ
@given(en=any_text, ru=any_text)
def test_any_unicode_is_aligned_or_refused(en, ru):
    aligned_or_refused(en, ru)


# The banded DP (full_dp_cells=0) on stories small enough to fuzz, narrow bands, and sentence limits a story
# passes now and then.
configs = st.builds(
    AlignConfig, full_dp_cells=st.sampled_from([250_000, 0]), band=st.integers(1, 20),
    max_sentences=st.sampled_from([20_000, 20_000, 20_000, 30, 1]), detect_divergences=st.booleans(),
)


@FUZZ
@given(en=prose(LATIN, CYRILLIC), ru=prose(CYRILLIC, LATIN), config=configs)
def test_stories_of_any_length_and_mix_of_scripts_are_aligned_or_refused(en, ru, config):
    aligned_or_refused(en, ru, config)


@FUZZ
@given(
    en=st.one_of(lines(LATIN, CYRILLIC), prose(LATIN, CYRILLIC)),
    ru=st.one_of(lines(CYRILLIC, LATIN), prose(CYRILLIC, LATIN)),
)
def test_pre_segmented_lists_with_empty_and_blank_lines_are_aligned_or_refused(en, ru):
    aligned_or_refused(en, ru)


@FUZZ
@given(en=lines(LATIN, CYRILLIC), ru=lines(CYRILLIC, LATIN))
def test_pre_segmented_text_as_one_string_is_read_as_the_list_is(en, ru):
    as_list = aligned_or_refused(en, ru)
    as_text = aligned_or_refused("\n".join(en), "\n".join(ru), AlignConfig(presegmented=True))
    assert (as_list is None) == (as_text is None)
    if as_list is not None:
        assert as_list.to_dict() == as_text.to_dict()


@settings(FUZZ, max_examples=60)
@given(en=prose(LATIN, CYRILLIC), ru=prose(CYRILLIC, LATIN), mono=st.booleans(), data=st.data())
def test_any_translation_is_aligned_or_refused(en, ru, mono, data):
    config = AlignConfig(translate=True, mono_embedder="use-m3" if mono else None)
    result = aligned_or_refused(en, ru, config, FuzzTranslator(data))
    if result is not None:
        assert all(s.translation is not None for s in (*result.en, *result.ru))


# ------------------------------------------------------------------------------------------------ regressions


def test_a_nul_past_the_part_judged_for_junk_is_refused_too():
    # The share of junk is judged on the first 200,000 characters, and a NUL after them used to pass.
    text = "The talks failed on Monday. " * 8_000 + "\x00"
    with pytest.raises(PipelineError) as refused:
        check_text(text, Lang.EN)
    assert (refused.value.code, refused.value.side) == ("binary", "en")
    assert "1 control or undecodable character" in refused.value.message
