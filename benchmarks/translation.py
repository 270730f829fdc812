"""Translation speed with a random model of a real Argos package's shape, in the development set's sentences.

    python -m benchmarks.translation [--sentences 64] [--story scotsman.133744] [--beams 1,2,4]

The model has the shape of the Argos en↔ru packages (6+6 layers, d_model 512, 8 heads, ffn 2048, about 8000
SentencePiece pieces) with random weights, quantised to int8 as it loads. Being random, it never emits its end
token, so every output runs to the translator's length limit. Two modes therefore bracket a real package:
"worst case" keeps the production limit (2 x the longest input of a batch + 10 tokens); "real length" sets it
to 1 x + 10, about where a trained model stops on news sentences.
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from alignment.pipeline.translate import ArgosTranslator, install_package
from tests.argos_fixture import build_package

from .data import DEV_SET
from .report import print_table

STORY_TARGET_S = 5.0  # a 30-sentence story, en→ru and ru→en together
THREADS = ((1, 2), (2, 1))  # (inter_threads, intra_threads) on 2 cores
BATCH_SIZES = (8, 32, 64)
MODES = (("real length", 1.0), ("worst case", 2.0))  # name, max_length_ratio


def dev_lines(lang: str, limit: int) -> list[str]:
    lines = []
    for path in sorted(DEV_SET.glob(f"*/{lang}.txt")):
        lines += [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return lines[:limit]


def load() -> float:
    return os.getloadavg()[0]


def timed(translator: ArgosTranslator, texts: Sequence[str], source: str, target: str) -> float:
    start = time.perf_counter()
    translator.translate(texts, source, target)
    return time.perf_counter() - start


def make_translator(packages_dir: Path, inter: int, intra: int, **options) -> ArgosTranslator:
    translator = ArgosTranslator(packages_dir, inter_threads=inter, intra_threads=intra, **options)
    for source, target in (("en", "ru"), ("ru", "en")):
        translator.translate(["Warm up."], source, target)  # loads the model outside the timed part
    return translator


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.translation", description=__doc__.split("\n")[0])
    parser.add_argument("--sentences", type=int, default=64, help="sentences per throughput run")
    parser.add_argument("--story", default="scotsman.133744", help="a development story of about 30 lines")
    parser.add_argument("--beams", default="1,2,4", help="beam sizes for the story table")
    args = parser.parse_args(argv)
    beams = [int(b) for b in args.beams.split(",")]

    with tempfile.TemporaryDirectory(prefix="sverka-bench-") as tmp:
        tmp = Path(tmp)
        start = time.perf_counter()
        for source, target in (("en", "ru"), ("ru", "en")):
            install_package(build_package(tmp, source, target, realistic=True), tmp / "argos")
        print(f"Built and installed two random 6+6-layer packages in {time.perf_counter() - start:.1f} s.")
        print(f"{os.cpu_count()} cores, load average {load():.1f}; Python {platform.python_version()}; "
              "compute type int8")

        sentences = dev_lines("en", args.sentences)
        rows = []
        for mode, ratio in MODES:
            for inter, intra in THREADS:
                for batch in BATCH_SIZES:
                    translator = make_translator(tmp / "argos", inter, intra, beam_size=2, max_batch_size=batch,
                                                 max_length_ratio=ratio)
                    seconds = timed(translator, sentences, "en", "ru")
                    rows.append([mode, inter, intra, batch, seconds, len(sentences) / seconds, load()])
        print_table(
            f"Throughput, en→ru, {len(sentences)} development sentences, beam 2",
            ["mode", "inter", "intra", "batch", "seconds", "sentences/s", "load"], rows,
        )

        en = (DEV_SET / args.story / "en.txt").read_text(encoding="utf-8").splitlines()
        ru = (DEV_SET / args.story / "ru.txt").read_text(encoding="utf-8").splitlines()
        rows = []
        for inter, intra in THREADS:
            for beam in beams:
                times = {}
                for mode, ratio in MODES:
                    translator = make_translator(tmp / "argos", inter, intra, beam_size=beam, max_batch_size=32,
                                                 max_length_ratio=ratio)
                    times[mode] = (timed(translator, en, "en", "ru"), timed(translator, ru, "ru", "en"))
                real, worst = times["real length"], times["worst case"]
                rows.append([inter, intra, beam, *real, sum(real), sum(worst), f"<= {STORY_TARGET_S:.0f} s",
                             sum(real) <= STORY_TARGET_S, load()])
        print_table(
            f"One story ({args.story}: {len(en)} + {len(ru)} sentences), both directions, batch 32",
            ["inter", "intra", "beam", "en→ru s", "ru→en s", "both s", "worst case both s", "target", "met", "load"],
            rows,
            notes=[
                "'met' compares the real-length estimate with the target; the worst case is an upper bound.",
                "load: the one-minute load average after the row; above 1 another process shared the 2 cores.",
            ],
        )
        pipeline_table(tmp / "argos", args.story, en, ru)


def pipeline_table(packages: Path, story: str, en: list[str], ru: list[str]) -> None:
    """The whole pipeline on one story, warm, with translation off and on (the settings' defaults: two
    one-thread batches side by side, greedy search)."""
    from threadpoolctl import threadpool_limits

    from alignment.pipeline import AlignConfig, align_texts

    from .report import BLAS_THREADS

    rows = []
    with threadpool_limits(BLAS_THREADS):
        for mode, ratio in MODES:
            translator = make_translator(packages, 2, 1, beam_size=1, max_batch_size=32, max_length_ratio=ratio)
            for translate in (False, True):
                config = AlignConfig(presegmented=True, translate=translate)
                align_texts(en, ru, config, translator=translator)  # warm: models loaded, caches filled
                stages: dict[str, float] = {}
                marks = {"started": time.perf_counter()}

                def progress(stage: str, fraction: float) -> None:
                    if fraction == 0.0:
                        marks[stage] = time.perf_counter()
                    elif fraction == 1.0 and stage in marks:
                        stages[stage] = time.perf_counter() - marks[stage]

                # New texts each time, so that neither translations nor embeddings come from a cache.
                run = [f"{line} ({mode})" for line in en], [f"{line} ({mode})" for line in ru]
                start = time.perf_counter()
                align_texts(*run, config, progress=progress, translator=translator)
                total = time.perf_counter() - start
                rows.append([mode if translate else "-", "on" if translate else "off", stages.get("translate", 0.0),
                             total, f"<= {STORY_TARGET_S:.0f} s" if translate else "-",
                             total <= STORY_TARGET_S if translate else "-", load()])
    print_table(
        f"The whole pipeline on {story} ({len(en)} + {len(ru)} sentences), warm, translation off and on",
        ["length mode", "translation", "translate s", "total s", "target", "met", "load"],
        rows,
        notes=["Segmentation, translation both ways, embedding, alignment and divergences, as a worker runs them."],
    )


if __name__ == "__main__":
    main()
