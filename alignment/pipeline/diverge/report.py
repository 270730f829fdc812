"""What every judgement shares: whether a bead's sides are sentences enough to compare, and how a divergence
points at the words to look at."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..mentions import Mention
from ..spans import unmatched_spans
from ..types import Sentence, Span

# Names and numbers are only compared when the other side is a real sentence.
_MIN_OTHER_WORDS = 4


def real_sentences(en: Sequence[Sentence], ru: Sequence[Sentence]) -> bool:
    """Both sides long enough for a missing name or number to mean something."""
    return all(sum(len(s.text.split()) for s in side) >= _MIN_OTHER_WORDS for side in (en, ru))


def spans(sentences: Iterable[Sentence]) -> tuple[Span, ...]:
    return tuple((s.start, s.end) for s in sentences)


def listing(mentions: Sequence[Mention]) -> str:
    return ", ".join(dict.fromkeys(m.text for m in mentions))


def differing(sentences: Sequence[Sentence], lang: str, others: Sequence[Sentence]) -> tuple[Span, ...]:
    """The words of ``sentences`` that the translation of ``others`` lacks, when every one of ``others`` has a
    translation and some word differs; otherwise the sentences whole."""
    if others and all(o.translation for o in others):
        translation = " ".join(o.translation or "" for o in others)
        words = tuple(span for s in sentences for span in unmatched_spans(s, lang, translation))
        if words:
            return words
    return spans(sentences)
