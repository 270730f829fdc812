"""What a story's evidence shows, for a shared link's pages and its owner's printable "what one edition omits": the
chosen divergences, each with the pairs around it, in runs of consecutive pairs; what each edition leaves out, in
numbers; and each text's source with a checksum, so that what was shown can be checked against the texts later.

Nothing else of the story goes through here: a pair carries only the divergences shown, and a divergence no
reviewer's name, nor a note or category unless the owner chose to show them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import date, datetime

from alignment.ingest.batch import canonical
from alignment.models import Language, Story
from alignment.pipeline.types import Kind
from alignment.results import StoredDivergence, StoredPair, StoryResults

CONTEXT_PAIRS = 1  # pairs shown before and after each pair with a divergence shown
OMITTED_BY = {Kind.ONLY_EN.value: Language.RU, Kind.ONLY_RU.value: Language.EN}  # a one-sided kind: who left it out
# How the checksums read the texts (alignment.ingest.batch.canonical), in words for the page.
CHECKSUM_RULE = (
    "SHA-256 of the text as Sverka read it (the article found in a page or a file, decoded), in UTF-8 after "
    "Unicode NFC normalisation, with line ends made LF, the spaces at the end of each line and around the whole "
    "text taken off"
)
# The same in one line anyone can run on a copy of a text (tests/web/test_evidence.py runs it).
CHECK_COMMAND = (
    "python3 -c 'import hashlib, sys, unicodedata; "
    "t = unicodedata.normalize(\"NFC\", open(sys.argv[1], encoding=\"utf-8-sig\").read()); "
    "print(hashlib.sha256(\"\\n\".join(l.rstrip() for l in t.split(\"\\n\")).strip().encode()).hexdigest())' TEXT.txt"
)


@dataclass(frozen=True)
class Excerpt:
    """Consecutive pairs of the story: the ones with a divergence shown and their neighbours."""

    pairs: tuple[StoredPair, ...]  # each with only the divergences shown

    @property
    def first(self) -> int:
        return self.pairs[0].number

    @property
    def last(self) -> int:
        return self.pairs[-1].number

    @property
    def divergences(self) -> list[tuple[StoredPair, StoredDivergence]]:
        return [(pair, d) for pair in self.pairs for d in pair.by_severity]


def _public(d: StoredDivergence, notes: bool) -> StoredDivergence:
    return replace(d, note=d.note if notes else "", category=d.category if notes else "", reviewed_by=None,
                   reviewer="", reviewed_at=None)


def excerpts(results: StoryResults, shown: set[int], notes: bool, context: int = CONTEXT_PAIRS) -> list[Excerpt]:
    """The runs of pairs that show the divergences ``shown`` (their ids), each divergent pair with ``context``
    pairs either side. Runs that touch are one."""
    pairs = results.pairs
    wanted = [k for k, pair in enumerate(pairs) if any(d.pk in shown for d in pair.divergences)]
    runs: list[list[int]] = []
    for k in wanted:
        start, stop = max(0, k - context), min(len(pairs), k + context + 1)
        if runs and start <= runs[-1][1]:
            runs[-1][1] = max(runs[-1][1], stop)
        else:
            runs.append([start, stop])
    return [
        Excerpt(tuple(
            replace(pair, divergences=tuple(_public(d, notes) for d in pair.divergences if d.pk in shown))
            for pair in pairs[start:stop]
        ))
        for start, stop in runs
    ]


@dataclass(frozen=True)
class Omissions:
    """What the divergences shown say each edition leaves out."""

    by_en: int  # Russian sentences the English edition has no counterpart for
    by_ru: int  # and the other way round
    passages_by_en: int  # runs of consecutive such pairs
    passages_by_ru: int
    other: int  # divergences of the other kinds: a number, a name, what a sentence says ...


def omissions(found: list[Excerpt]) -> Omissions:
    sentences = {Language.EN: 0, Language.RU: 0}
    passages = {Language.EN: 0, Language.RU: 0}
    other = 0
    for excerpt in found:
        previous = None  # the edition that left out the pair before, within the excerpt
        for pair in excerpt.pairs:
            kinds = {d.kind for d in pair.divergences}
            omitted = next((OMITTED_BY[k] for k in kinds if k in OMITTED_BY), None)
            if omitted is not None:
                sentences[omitted] += len(pair.en if omitted == Language.RU else pair.ru)
                passages[omitted] += omitted != previous
            previous = omitted
            other += sum(d.kind not in OMITTED_BY for d in pair.divergences)
    return Omissions(sentences[Language.EN], sentences[Language.RU], passages[Language.EN], passages[Language.RU],
                     other)


@dataclass(frozen=True)
class Source:
    """One edition's text: where it came from, when, and its checksum."""

    language: str
    name: str  # "English"
    url: str  # a web page's address, or ""
    page_title: str
    author: str
    published: date | None
    file_name: str  # "" when not asked for
    uploaded: datetime
    characters: int
    sha256: str


def checksum(text: str) -> str:
    """See CHECKSUM_RULE."""
    return hashlib.sha256(canonical(text)).hexdigest()


def sources(story: Story, file_names: bool) -> list[Source]:
    """Both editions, English first. A file's name may say more than its owner meant to share: only with
    ``file_names``. Both texts came with the story (a page fetched, or a file read later, still came then)."""
    return [
        Source(
            doc.language, Language(doc.language).label,
            doc.source_url if doc.source_url.startswith(("http://", "https://")) else "",
            doc.page_title, doc.author, doc.published or story.published, doc.file_name if file_names else "",
            story.created, len(doc.text), checksum(doc.text),
        )
        for doc in sorted(story.documents.all(), key=lambda doc: doc.language != Language.EN)
    ]
