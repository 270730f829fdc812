"""The values that flow through the pipeline. All frozen: a stage returns new values, never edits old ones.

Character offsets (``start``, ``end`` and every span) are positions in that side's original text, as
Python string indices, end exclusive.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .kinds import NAMES, Kind, Lang  # noqa: F401  (part of the pipeline's vocabulary, read from here too)
from .passages import passages

Span = tuple[int, int]

# The Russian-to-English length ratio (in characters) a story is measured at lies within these: beyond them
# the measure is of a story mostly missing on one side, not of the two languages.
LENGTH_RATIO_BOUNDS = (0.7, 1.8)


@dataclass(frozen=True)
class Sentence:
    index: int  # 0-based position within its side
    text: str  # exactly original_text[start:end]
    start: int
    end: int
    paragraph: int  # 0-based paragraph number; a blank line starts a new paragraph
    translation: str | None = None  # machine translation into the other side's language, when translated


@dataclass(frozen=True)
class Divergence:
    kind: Kind
    severity: float  # 0 (cosmetic) .. 1 (the versions plainly disagree)
    reason: str  # one short sentence for a person
    en_spans: tuple[Span, ...] = ()
    ru_spans: tuple[Span, ...] = ()
    # A moved passage's counterpart: the sentence indices, on the other side, of what this bead's sentences
    # moved from or to (empty for every other kind, and on this bead's own side).
    en_counterpart: tuple[int, ...] = ()
    ru_counterpart: tuple[int, ...] = ()


@dataclass(frozen=True)
class Bead:
    """A group of consecutive English sentences aligned with a group of consecutive Russian ones.

    Either side may be empty (a 1-0 or 0-1 bead), never both.
    """

    en: tuple[int, ...]
    ru: tuple[int, ...]
    score: float  # alignment confidence in [0, 1]; 0 for null beads
    similarity: float  # raw cosine similarity of the two sides' embeddings; 0 for null beads
    divergences: tuple[Divergence, ...] = ()

    @property
    def shape(self) -> str:
        return f"{len(self.en)}-{len(self.ru)}"


@dataclass(frozen=True)
class DocumentStats:
    en_sentences: int
    ru_sentences: int
    en_coverage: float  # share of English characters inside beads that have a Russian side
    ru_coverage: float
    mean_similarity: float  # over beads with both sides
    divergence_counts: tuple[tuple[Kind, int], ...]  # every kind, in Kind order, zeros included

    def count(self, kind: Kind) -> int:
        return dict(self.divergence_counts)[Kind(kind)]

    def to_dict(self) -> dict:
        """Their part of the JSON contract ("stats"), which a story also keeps for its lists."""
        return {
            "en_sentences": self.en_sentences,
            "ru_sentences": self.ru_sentences,
            "en_coverage": round(self.en_coverage, 4),
            "ru_coverage": round(self.ru_coverage, 4),
            "mean_similarity": round(self.mean_similarity, 4),
            "divergences": {k.value: n for k, n in self.divergence_counts},
        }


@dataclass(frozen=True)
class SimilarityMap:
    """Every English sentence against every Russian one, as a picture (see simmap.py): ``rows`` x ``cols``
    cells, row-major, one byte each (0 .. 255 over similarity 0 .. 1), a cell being the highest similarity in
    its block of ``en_block`` English x ``ru_block`` Russian sentences."""

    rows: int
    cols: int
    en_block: int
    ru_block: int
    cells: bytes = field(repr=False)


@dataclass(frozen=True)
class AlignmentResult:
    en: tuple[Sentence, ...]
    ru: tuple[Sentence, ...]
    beads: tuple[Bead, ...]
    stats: DocumentStats
    embedder: str
    # Not part of the JSON contract: the story page draws it.
    similarity_map: SimilarityMap | None = field(default=None, repr=False)
    # Not part of the JSON contract: side -> sentence index -> the kind of furniture, for every sentence that
    # is or may be furniture; kept so that a correction, which cannot read the whole page again, judges alike.
    furniture: dict[str, dict[int, str]] = field(default_factory=dict, repr=False)

    def to_dict(self) -> dict:
        """The JSON contract shared by the command line and the API. Keep it stable."""
        return {
            "embedder": self.embedder,
            "sentences": {
                "en": [_sentence_dict(s) for s in self.en],
                "ru": [_sentence_dict(s) for s in self.ru],
            },
            "pairs": [
                {
                    "en": list(b.en),
                    "ru": list(b.ru),
                    "score": round(b.score, 4),
                    "similarity": round(b.similarity, 4),
                    "divergences": [_divergence_dict(d) for d in b.divergences],
                }
                for b in self.beads
            ],
            "passages": [p.to_dict() for p in passages(self.beads)],
            "stats": self.stats.to_dict(),
        }


def _sentence_dict(s: Sentence) -> dict:
    data = {"index": s.index, "text": s.text, "start": s.start, "end": s.end, "paragraph": s.paragraph}
    if s.translation is not None:
        data["translation"] = s.translation
    return data


def _divergence_dict(d: Divergence) -> dict:
    data = {
        "kind": d.kind.value,
        "severity": round(d.severity, 3),
        "reason": d.reason,
        "spans": {"en": [list(s) for s in d.en_spans], "ru": [list(s) for s in d.ru_spans]},
    }
    if d.kind == Kind.MOVED:
        data["counterpart"] = {"en": list(d.en_counterpart), "ru": list(d.ru_counterpart)}
    return data


@dataclass(frozen=True)
class GlossaryPair:
    """One name as a glossary spells it on each side: the usual spelling first, then its variants. A Russian
    spelling stands for all its case forms ("Путин" for "Путина", "Путину"); see mentions.glossary."""

    en: tuple[str, ...]
    ru: tuple[str, ...]


@dataclass(frozen=True)
class AlignConfig:
    embedder: str = "use-m3"
    presegmented: bool = False  # one sentence per line; blank lines end paragraphs
    max_sentences: int = 20_000  # per side; more is refused with a PipelineError
    # Documents with at most this many cells (n * m) get the exact full DP; larger ones a banded DP.
    full_dp_cells: int = 250_000
    band: int = 20  # half-width of the band around the coarse path, in sentences
    length_weight: float = 0.6  # weight of the length-ratio term in a bead's cost
    feature_weight: float = 0.15  # weight of matching numbers and names
    detect_divergences: bool = True
    # Translate every sentence into the other language (needs a translator handed to align_texts).
    translate: bool = False
    # An embedder ("use-m3" or "sentence-transformers:...") for comparing each sentence with the translation of
    # the other side in one language, beside the cross-lingual similarity. Used only with translations.
    mono_embedder: str | None = None
    # The most that same-language similarity may weigh in a bead's cost; how much it does weigh is measured
    # on each document (gibberish translations get none).
    mono_weight: float = 0.5
    # Outlets of the furniture bank (lexicon/furniture/, by file slug) the furniture detector must not use:
    # a benchmark leaves one out to score furniture from an outlet the detector has never seen.
    furniture_holdout: tuple[str, ...] = ()
    # What a collection of stories has learned of its outlet (furniture.furniture_key of each sentence): lines
    # that recur across its stories are furniture beyond doubt; lines its owner struck off are never furniture.
    known_furniture: frozenset[str] = frozenset()
    not_furniture: frozenset[str] = frozenset()
    # Name pairs from the glossaries of the story's owner and collections: a pair listed counts as a match, and a
    # listed name one side gives without its partner on the other is a name divergence (diverge.listed).
    glossary: tuple[GlossaryPair, ...] = ()
