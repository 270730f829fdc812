"""The one entry point: two texts in, an AlignmentResult out."""

from __future__ import annotations

import functools
import logging
import time
from dataclasses import replace
from collections.abc import Callable, Mapping, Sequence

import numpy as np

from . import diverge, mentions as features, segment
from .align import Side, align
from .embed import EmbeddingCache, get_embedder
from .errors import PipelineError
from .furniture import furniture_in, read_furniture
from .simmap import similarity_map
from .stats import document_stats
from .translate import Translator
from .types import NAMES, AlignConfig, AlignmentResult, Bead, Lang, Sentence
from .validate import check_text, check_languages

log = logging.getLogger(__name__)

Progress = Callable[[str, float], None]
"""progress(stage, fraction done) — stages: segment, translate, embed, align, diverge."""

# Translations already made, by (source language, sentence text): a re-run translates only what changed.
KnownTranslations = Mapping[tuple[str, str], str]


def align_texts(
    en_text: str | Sequence[str],
    ru_text: str | Sequence[str],
    config: AlignConfig | None = None,
    progress: Progress | None = None,
    translator: Translator | None = None,
    known_translations: KnownTranslations | None = None,
    locked: Sequence[tuple[Sequence[int], Sequence[int]]] = (),
) -> AlignmentResult:
    """Align an English and a Russian version of one story.

    Each side is a text, or a list of sentences already split (then joined one per line, as with
    ``config.presegmented``). Raises PipelineError for input no alignment can be made of.

    With ``config.translate`` and a ``translator``, every sentence is translated into the other language
    (the "translate" stage, right after segmentation); ``known_translations`` are reused, not redone. With
    translations and ``config.mono_embedder``, the aligner also compares each side with the translation of
    the other in one language (see :func:`_views`).

    ``locked`` beads ([English indices], [Russian indices], by sentence number from 0) come out unchanged, and
    no other bead crosses them: a reviewer's fixed pairs, with the rest aligned around them.
    """
    config = config or AlignConfig()
    report = progress or (lambda stage, fraction: None)
    presegmented = config.presegmented
    if not isinstance(en_text, str):
        en_text, presegmented = "\n".join(en_text), True
    if not isinstance(ru_text, str):
        ru_text, presegmented = "\n".join(ru_text), True

    started = time.perf_counter()
    report("segment", 0.0)
    check_text(en_text, Lang.EN)
    check_text(ru_text, Lang.RU)
    check_languages(en_text, ru_text)
    en = _split(en_text, Lang.EN, presegmented, config)
    ru = _split(ru_text, Lang.RU, presegmented, config)
    report("segment", 1.0)

    if config.translate and translator is not None:
        en, ru = translate_sentences(en, ru, translator, known_translations or {}, report)

    embedder = get_embedder(config.embedder)
    cache = EmbeddingCache(embedder)
    report("embed", 0.0)
    en_vecs = cache.embed([s.text for s in en])
    ru_vecs = cache.embed([s.text for s in ru])
    views = _views(en, ru, config.mono_embedder) if config.mono_embedder else ()
    mono_cache = None
    if views:
        report("embed", 0.5)
        mono = get_embedder(config.mono_embedder)
        mono_cache = cache if mono is embedder else EmbeddingCache(mono)
        en_views = tuple(mono_cache.embed(view["en"]) for view in views)
        ru_views = tuple(mono_cache.embed(view["ru"]) for view in views)
    report("embed", 1.0)

    report("align", 0.0)
    # Furniture beyond doubt is kept out of every bead with the other side before the search starts.
    furniture = read_furniture(
        {"en": [s.text for s in en], "ru": [s.text for s in ru]}, {"en": en_vecs, "ru": ru_vecs}, embedder,
        config.furniture_holdout, {"en": [s.paragraph for s in en], "ru": [s.paragraph for s in ru]},
        config.known_furniture, config.not_furniture,
    )
    en_side, ru_side = (
        replace(
            _side(sentences, vecs, lang),
            furniture=furniture[lang].certain(), maybe_furniture=furniture[lang].likely(), outside=furniture[lang].outside,
        )
        for sentences, vecs, lang in ((en, en_vecs, Lang.EN), (ru, ru_vecs, Lang.RU))
    )
    if views:
        en_side, ru_side = replace(en_side, views=en_views), replace(ru_side, views=ru_views)
    texts = {"en": [s.text for s in en], "ru": [s.text for s in ru]}

    def embed_runs(side: str, spans: Sequence[tuple[int, int]]) -> np.ndarray:
        return cache.embed([" ".join(texts[side][a:b]) for a, b in spans])

    def embed_view_runs(side: str, view: int, spans: Sequence[tuple[int, int]]) -> np.ndarray:
        return mono_cache.embed([" ".join(views[view][side][a:b]) for a, b in spans])

    beads: Sequence[Bead] = align(en_side, ru_side, config, embed_runs, embed_view_runs if views else None, locked)
    report("align", 1.0)

    judged: dict[str, dict[int, str]] = {}
    if config.detect_divergences:
        report("diverge", 0.0)
        # First, as it may set a moved sentence apart from the bead that took it in.
        moved_beads, moves = diverge.find_moves(beads, *(
            diverge.SideView.of(side.vecs, texts[lang], side.keys, frozenset(np.flatnonzero(side.furniture).tolist()))
            for side, lang in ((en_side, "en"), (ru_side, "ru"))
        ))
        # A locked bead stays as it was locked: where setting a moved sentence apart would break one, no moves.
        kept = {(b.en, b.ru) for b in moved_beads}
        if all((tuple(en_idx), tuple(ru_idx)) in kept for en_idx, ru_idx in locked):
            beads = moved_beads
        else:
            moves = ()
        judged = furniture_in(beads, furniture, texts)
        probes = diverge.weigh(diverge.turns(beads, en, ru), beads, en, ru, cache.embed)
        beads = diverge.find_divergences(beads, en, ru, judged, probes, moves, glossary=config.glossary)
        report("diverge", 1.0)
    result = AlignmentResult(
        en=en, ru=ru, beads=tuple(beads), stats=document_stats(en, ru, beads), embedder=embedder.name,
        similarity_map=similarity_map(en_vecs, ru_vecs),
        furniture={side: reading.possible() | judged.get(side, {}) for side, reading in furniture.items()},
    )
    log.info(
        "aligned %d x %d sentences into %d beads in %.2fs (%d texts embedded%s)",
        len(en), len(ru), len(beads), time.perf_counter() - started, cache.embedded,
        f", {mono_cache.embedded} for the same-language views" if mono_cache not in (None, cache) else "",
    )
    return result


def translate_sentences(
    en: Sequence[Sentence],
    ru: Sequence[Sentence],
    translator: Translator,
    known: KnownTranslations,
    report: Progress,
) -> tuple[tuple[Sentence, ...], tuple[Sentence, ...]]:
    """Both sides with ``translation`` filled in: each side's new texts in one batched call per direction."""
    report("translate", 0.0)
    sides = {Lang.EN: en, Lang.RU: ru}
    todo = {
        lang: sorted({s.text for s in sentences if (lang.value, s.text) not in known})
        for lang, sentences in sides.items()
    }
    total, done = sum(len(t) for t in todo.values()), 0
    made: dict[tuple[str, str], str] = {}
    for lang, texts in todo.items():
        target = Lang.RU if lang == Lang.EN else Lang.EN
        for at in range(0, len(texts), _TRANSLATE_CHUNK):
            chunk = texts[at : at + _TRANSLATE_CHUNK]
            made.update(zip(((lang.value, t) for t in chunk), translator.translate(chunk, lang.value, target.value)))
            done += len(chunk)
            report("translate", done / total)
    report("translate", 1.0)

    def filled(lang: Lang, sentences: Sequence[Sentence]) -> tuple[Sentence, ...]:
        key = lang.value
        return tuple(replace(s, translation=known.get((key, s.text), made.get((key, s.text)))) for s in sentences)

    return filled(Lang.EN, en), filled(Lang.RU, ru)


def _views(en: Sequence[Sentence], ru: Sequence[Sentence], mono_embedder: str) -> tuple[dict[str, list[str]], ...]:
    """The texts of the same-language views, or () when a sentence has no translation.

    View 0 is English: English sentences against the English translations of the Russian ones. View 1, only
    when the mono embedder reads Russian, is Russian: the Russian translations of the English sentences
    against the Russian ones. The aligner weighs each by how telling it proves on the document.
    """
    if any(s.translation is None for s in (*en, *ru)):
        return ()
    english = {"en": [s.text for s in en], "ru": [s.translation for s in ru]}
    if not reads_russian(mono_embedder):
        return (english,)
    return english, {"en": [s.translation for s in en], "ru": [s.text for s in ru]}


# Everyday sentences with no name, number or shared word, so that only a model that reads Russian pairs them.
_PROBE = (
    ("The weather was cold and wet all week.", "Всю неделю погода была холодной и сырой."),
    ("The children went to school by bus.", "Дети поехали в школу на автобусе."),
    ("Prices for bread and milk have gone up.", "Цены на хлеб и молоко выросли."),
    ("The doctor said the patient would recover.", "Врач сказал, что пациент поправится."),
    ("Farmers are worried about the dry summer.", "Фермеры обеспокоены засушливым летом."),
    ("The old bridge was closed for repairs.", "Старый мост закрыли на ремонт."),
    ("Many people lost their jobs last year.", "В прошлом году многие люди потеряли работу."),
    ("The police are looking for witnesses.", "Полиция ищет свидетелей."),
)


@functools.cache
def reads_russian(embedder_name: str) -> bool:
    """Whether the embedder pairs Russian sentences with their English translations, on a fixed probe.

    An English-only model does not, and its Russian view would do harm: it compares Russian texts by their
    letters, and a run of Russian sentences cut into English word pieces overflows its input and is cut
    short, so merged beads lose. (On the development set, an English-only model's Russian view cost more
    accuracy than its English view brought.) Measured once per process and embedder.
    """
    embedder = get_embedder(embedder_name)
    en = embedder.embed([e for e, _ in _PROBE])
    ru = embedder.embed([r for _, r in _PROBE])
    found = np.argmax(ru @ en.T, axis=1) == np.arange(len(_PROBE))
    return bool(found.mean() >= 0.75)


# Sentences per translator call: big enough for CTranslate2 to batch well, small enough to report progress.
_TRANSLATE_CHUNK = 64


def _split(text: str, lang: Lang, presegmented: bool, config: AlignConfig) -> tuple[Sentence, ...]:
    sentences = segment.split_lines(text) if presegmented else segment.split_sentences(text, lang)
    name = NAMES[lang]
    if not sentences:
        raise PipelineError(f"The {name} text is empty.", side=lang.value, code="empty")
    if len(sentences) > config.max_sentences:
        raise PipelineError(
            f"The {name} text has {len(sentences):,} sentences; the limit is {config.max_sentences:,}. "
            "Split the story into parts.",
            side=lang.value, code="too_many_sentences",
        )
    return sentences


def _side(sentences: Sequence[Sentence], vecs: np.ndarray, lang: Lang) -> Side:
    return Side(
        vecs=vecs,
        lengths=np.array([len(s.text) for s in sentences], dtype=np.float64),
        # Prefixed so that a number and a name can never share a key.
        keys=[
            frozenset({"#" + k for k in features.number_keys(s.text, lang)})
            | frozenset({"@" + k for k in features.name_keys(s.text, lang)})
            for s in sentences
        ],
    )
