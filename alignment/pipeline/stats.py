"""Document statistics over the finished beads."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from .types import Bead, DocumentStats, Kind, Sentence


def document_stats(en: Sequence[Sentence], ru: Sequence[Sentence], beads: Sequence[Bead]) -> DocumentStats:
    counts = Counter(d.kind for b in beads for d in b.divergences)
    paired = [b for b in beads if b.en and b.ru]
    # A moved passage has its counterpart, elsewhere.
    covered = paired + [b for b in beads if any(d.kind == Kind.MOVED for d in b.divergences)]
    return DocumentStats(
        en_sentences=len(en),
        ru_sentences=len(ru),
        en_coverage=_coverage(en, (i for b in covered for i in b.en)),
        ru_coverage=_coverage(ru, (j for b in covered for j in b.ru)),
        mean_similarity=sum(b.similarity for b in paired) / len(paired) if paired else 0.0,
        divergence_counts=tuple((kind, counts.get(kind, 0)) for kind in Kind),
    )


def _coverage(sentences: Sequence[Sentence], covered) -> float:
    """Share of the side's characters that have a counterpart on the other side."""
    total = sum(len(s.text) for s in sentences)
    if not total:
        return 0.0
    return sum(len(sentences[i].text) for i in set(covered)) / total
