"""What the multilingual encoder's vocabulary knows of a word: a name, a famous name or a common word.

The vocabulary is a cased SentencePiece model learnt from a large multilingual corpus, so the scores of its
pieces say how common each spelling is.
"""

from __future__ import annotations

import functools

from ..embed import use_m3_pieces
from .mention import CACHED_TEXTS
from .script import is_cyrillic, latin_forms

_PROPER_MARGIN = -3.5  # log-likelihood of the lowercase spelling minus the capitalised one's
_COMMON_MARGIN = 5.0


@functools.lru_cache(maxsize=CACHED_TEXTS)
def known_proper_noun(word: str) -> bool:
    """Whether the multilingual encoder's vocabulary knows ``word``, in Latin script, as a capitalised word
    far likelier than its lowercase spelling: Johnson, Jakarta, Twitter, but not Plaza, Morning, Party or
    Tears, which are as common in lowercase.

    A word whose capitalised spelling is a piece of its own while its lowercase spelling is rare is a name
    wherever it stands, and a name no translator would write as a common word.
    """
    if not word[:1].isupper():
        return False
    if is_cyrillic(word):
        # Russian inflects ("Федерации" is a piece and "федерации" not, yet it is a common noun), so a Russian
        # word is asked for in Latin letters: Морган is Morgan.
        return not common_word(word) and any(
            known_proper_noun(form.capitalize()) for form in latin_forms(word) if len(form) >= 4
        )
    model = use_m3_pieces()
    if model is None or model.piece_to_id("▁" + word) == model.unk_id():
        return False
    return _log_likelihood(model, word.lower()) - _log_likelihood(model, word) <= _PROPER_MARGIN


@functools.lru_cache(maxsize=CACHED_TEXTS)
def in_vocabulary(word: str) -> bool:
    """Whether the encoder's vocabulary holds ``word`` (in Latin letters, for a Russian word) as a piece of
    its own: a frequent word, or a famous name (Trump, Putin)."""
    model = use_m3_pieces()
    if model is None:
        return False
    forms = [f.capitalize() for f in latin_forms(word)] if is_cyrillic(word) else [word]
    return any(model.piece_to_id("▁" + form) != model.unk_id() for form in forms)


@functools.lru_cache(maxsize=CACHED_TEXTS)
def common_word(word: str) -> bool:
    """Whether the encoder's vocabulary holds ``word`` as a common lowercase word: a piece of its own, or a
    lowercase spelling far likelier than the capitalised one ("Агента", "Today")."""
    model = use_m3_pieces()
    if model is None:
        return True
    lower = word.lower()
    return model.piece_to_id("▁" + lower) != model.unk_id() or (
        _log_likelihood(model, lower) - _log_likelihood(model, word) >= _COMMON_MARGIN
    )


def _log_likelihood(model, word: str) -> float:
    return sum(model.get_score(i) for i in model.encode(word))
