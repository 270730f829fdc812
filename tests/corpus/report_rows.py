"""A small collection built row by row, without the pipeline, so that every number of its report is known.

``Bead`` gives a pair's sentences; a divergence marks words by the text they read, and the builder turns them
into spans of the document, as the pipeline would. ``handmade`` is the collection the report tests count by hand
(its numbers are worked out in test_report.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from alignment.models import Collection, Divergence, Document, Job, JobStatus, Language, Pair, Sentence, Story, Verdict


@dataclass(frozen=True)
class Flag:
    kind: str
    severity: float = 0.5
    en_words: tuple[str, ...] = ()  # the words its spans mark, found in the pair's English sentence
    ru_words: tuple[str, ...] = ()
    verdict: str = Verdict.PENDING


@dataclass(frozen=True)
class Bead:
    en: str = ""  # one sentence or none
    ru: str = ""
    flags: tuple[Flag, ...] = field(default_factory=tuple)


def _spans(sentence: str, start: int, found: tuple[str, ...]) -> list[list[int]]:
    spans, searched = [], 0
    for word in found:
        at = sentence.index(word, searched)
        spans.append([start + at, start + at + len(word)])
        searched = at + len(word)
    return spans


def build_story(owner, title: str, beads: list[Bead], *, collection: Collection | None = None,
                published: date | None = None, status: str = JobStatus.DONE, stats: dict | None = None,
                earlier: str | None = None) -> Story:
    """A story with a document per side whose text is its beads' sentences one after another, a pair per bead,
    and a latest job of ``status`` (after one of ``earlier``, if given)."""
    story = Story.objects.create(owner=owner, title=title, published=published, stats=stats or {})
    texts = {Language.EN: "", Language.RU: ""}
    placed = []  # (bead, {language: start of its sentence})
    for bead in beads:
        starts = {}
        for language, sentence in ((Language.EN, bead.en), (Language.RU, bead.ru)):
            if sentence:
                if texts[language]:
                    texts[language] += " "
                starts[language] = len(texts[language])
                texts[language] += sentence
        placed.append((bead, starts))
    docs = {lang: Document.objects.create(story=story, language=lang, text=text) for lang, text in texts.items()}
    index = {Language.EN: 0, Language.RU: 0}
    for order, (bead, starts) in enumerate(placed):
        pair = Pair.objects.create(
            story=story, order=order, score=0.8, kinds=",".join(sorted({f.kind for f in bead.flags}))
        )
        for language, start in starts.items():
            sentence = bead.en if language == Language.EN else bead.ru
            Sentence.objects.create(
                document=docs[language], pair=pair, language=language, index=index[language], text=sentence,
                start=start, end=start + len(sentence),
            )
            index[language] += 1
        for flag in bead.flags:
            Divergence.objects.create(
                pair=pair, kind=flag.kind, severity=flag.severity, reason=f"{flag.kind} differs", verdict=flag.verdict,
                en_spans=_spans(bead.en, starts.get(Language.EN, 0), flag.en_words),
                ru_spans=_spans(bead.ru, starts.get(Language.RU, 0), flag.ru_words),
            )
    if earlier:
        Job.objects.create(story=story, status=earlier, created=story.created)
    Job.objects.create(story=story, status=status)
    if collection is not None:
        collection.stories.add(story)
    return story


def handmade(owner) -> tuple[Collection, dict[str, Story]]:
    """Three stories that count (A, B, C), and three that do not: D is still running, E belongs to no
    collection, F failed its latest run after a done one."""
    collection = Collection.objects.create(owner=owner, name="March in two languages")
    made = {
        "A": build_story(owner, "Alpha", [
            Bead("Peskov said 25 people came.", "Песков сказал, что пришли 52 человека.",
                 (Flag("number", 0.5, ("25",), ("52",)),)),
            Bead("He left.", "Он ушёл."),
            Bead(en="Donate now.", flags=(Flag("boilerplate", 0.1),)),
            Bead(en="Lavrov was there too.", flags=(Flag("only_en", 0.9, verdict=Verdict.CONFIRMED),)),
        ], collection=collection, published=date(2025, 1, 15), stats={"en_coverage": 0.6, "ru_coverage": 1.0}),
        "B": build_story(owner, "Beta", [
            Bead("Lavrov met Peskov, and Peskov smiled.", "Лавров встретился с ним, и тот улыбнулся.",
                 (Flag("name", 0.7, ("Peskov", "Peskov")),)),
            Bead(ru="Это третья попытка.", flags=(Flag("only_ru", 0.8, verdict=Verdict.DISMISSED),)),
            Bead("The 25 delegates left.", "52 делегата уехали.", (Flag("number", 0.6, ("25",), ("52",)),)),
        ], collection=collection, published=date(2025, 3, 20), stats={"en_coverage": 1.0, "ru_coverage": 0.7}),
        "C": build_story(owner, "Gamma", [
            Bead("Hello PESKOV.", "Привет.", (Flag("name", 0.7, ("PESKOV",)),)),
            Bead("Smith agreed.", "Он согласился.", (Flag("name", 0.7, ("Smith",), verdict=Verdict.DISMISSED),)),
        ], collection=collection, stats={"en_coverage": 0.95, "ru_coverage": 1.0}),
        "D": build_story(owner, "Delta, still running", [
            Bead("Peskov spoke.", "Он говорил.", (Flag("name", 0.7, ("Peskov",)),)),
        ], collection=collection, status=JobStatus.RUNNING),
        "E": build_story(owner, "Epsilon, elsewhere", [
            Bead("Peskov spoke.", "Он говорил.", (Flag("name", 0.7, ("Peskov",)),)),
        ]),
        "F": build_story(owner, "Zeta, failed again", [
            Bead("Peskov spoke.", "Он говорил.", (Flag("name", 0.7, ("Peskov",)),)),
        ], collection=collection, status=JobStatus.FAILED, earlier=JobStatus.DONE),
    }
    return collection, made
