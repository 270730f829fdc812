"""A pair whose two sides say different things: their similarity falls far below the story's. (One version's
passage put in place of the other's comes from the aligner as such a pair.)"""

from __future__ import annotations

from collections.abc import Sequence

from ..types import Bead, Divergence, Kind, Sentence
from .profile import Profile
from .report import differing
from .severity import severity

# A pair is flagged when its similarity is at once this many robust deviations below the document's median,
# below this share of that median, and below an absolute ceiling. With the USE multilingual embedder, 99% of
# faithful pairs score above 0.41 and 95% of pairs of unrelated sentences below 0.24. (Checked on the tuning
# part with both planters: a ceiling of 0.4 rather than 0.32 flags unrelated pairs up to 0.4 where the story's
# pairs sit high, and no more faithful pairs.)
_MEANING_DEVIATIONS = 3.5
_MEANING_SHARE = 0.5
_MEANING_CEILING = 0.4
_MEANING_FLOOR = 0.2  # below this, unrelated however scattered the story's pairs are
_MEANING_SHARED_NAME_BAR = 0.15  # the bar when both sides name the same person or place
_FULL_DROP = 0.4  # a similarity this share below the bar is as serious as it gets


def meaning(
    bead: Bead, en: Sequence[Sentence], ru: Sequence[Sentence], profile: Profile, shared_name: bool
) -> Divergence | None:
    similarity = bead.similarity
    relative = min(profile.similarity - _MEANING_DEVIATIONS * profile.spread, _MEANING_SHARE * profile.similarity)
    bar = min(max(relative, _MEANING_FLOOR), _MEANING_CEILING)
    if shared_name:
        # Both sides name the same person or place: a free translation ("Spieth has been lethal from tee to
        # green" for "Спит был непреклонен от ти до грина") rather than another sentence.
        bar = min(bar, _MEANING_SHARED_NAME_BAR)
    if similarity >= bar:
        return None
    return Divergence(
        kind=Kind.MEANING,
        severity=severity(Kind.MEANING, (bar - similarity) / max(bar, 1e-9) / _FULL_DROP),
        reason=f"Meaning differs: similarity {similarity:.2f}, far below this story's typical {profile.similarity:.2f}",
        en_spans=differing(en, "en", ru),
        ru_spans=differing(ru, "ru", en),
    )
