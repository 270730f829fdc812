"""The one entry point: two texts in, an AlignmentResult out."""

from __future__ import annotations

import logging
import time
from dataclasses import replace
from collections.abc import Callable, Mapping, Sequence

import numpy as np

from . import diverge, features, segment
from .align import AlignParams, Side, align
from .embed import EmbeddingCache, get_embedder
from .errors import PipelineError
from .stats import document_stats
from .translate import Translator
from .types import AlignConfig, AlignmentResult, Bead, Lang, Sentence
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
) -> AlignmentResult:
    """Align an English and a Russian version of one story.

    Each side is a text, or a list of sentences already split (then joined one per line, as with
    ``config.presegmented``). Raises PipelineError for input no alignment can be made of.

    With ``config.translate`` and a ``translator``, every sentence is translated into the other language
    (the "translate" stage, right after segmentation); ``known_translations`` are reused, not redone.
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
    report("embed", 1.0)

    report("align", 0.0)
    en_side = _side(en, en_vecs, Lang.EN)
    ru_side = _side(ru, ru_vecs, Lang.RU)
    texts = {"en": [s.text for s in en], "ru": [s.text for s in ru]}

    def embed_runs(side: str, spans: Sequence[tuple[int, int]]) -> np.ndarray:
        return cache.embed([" ".join(texts[side][a:b]) for a, b in spans])

    params = AlignParams(
        full_dp_cells=config.full_dp_cells, band=config.band, length_weight=config.length_weight,
        feature_weight=config.feature_weight,
    )
    beads: Sequence[Bead] = align(en_side, ru_side, params, embed_runs)
    report("align", 1.0)

    if config.detect_divergences:
        report("diverge", 0.0)
        beads = diverge.find_divergences(beads, en, ru)
        report("diverge", 1.0)
    result = AlignmentResult(
        en=en, ru=ru, beads=tuple(beads), stats=document_stats(en, ru, beads), embedder=embedder.name
    )
    log.info(
        "aligned %d x %d sentences into %d beads in %.2fs (%d texts embedded)",
        len(en), len(ru), len(beads), time.perf_counter() - started, cache.embedded,
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


# Sentences per translator call: big enough for CTranslate2 to batch well, small enough to report progress.
_TRANSLATE_CHUNK = 64


def _split(text: str, lang: Lang, presegmented: bool, config: AlignConfig) -> tuple[Sentence, ...]:
    sentences = segment.split_lines(text) if presegmented else segment.split_sentences(text, lang)
    name = "English" if lang == Lang.EN else "Russian"
    if not sentences:
        raise PipelineError(f"The {name} text is empty.", side=lang.value, code="empty")
    if len(sentences) > config.max_sentences:
        raise PipelineError(
            f"The {name} text has {len(sentences):,} sentences; the limit is {config.max_sentences:,}.",
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
