"""Alignment accuracy on the dev set and on its hard variant: strict and lax P/R/F1 per method.

    python -m benchmarks.accuracy [--limit N] [--seed 13] [--methods ours,sentalign,gale-church,diagonal]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence
from dataclasses import dataclass

from threadpoolctl import threadpool_limits

from .data import DEFAULT_SEED, Link, Story, hard_variant, load_stories, shape_summary
from .methods import Aligner, diagonal, engine_ready, gale_church, ours, sentalign_aligner, shared_encoder
from .report import BLAS_THREADS, print_failures, print_table, setting
from .scoring import Scores, bead_problems, score

METHODS = ("ours", "sentalign", "gale-church", "diagonal")
EMBEDDING_METHODS = {"ours", "sentalign"}


@dataclass(frozen=True)
class Run:
    links: list[list[Link]]
    seconds: float
    failures: list[tuple[str, str]]  # (story, what went wrong): a crash or invalid beads


def run(aligner: Aligner, stories: Sequence[Story]) -> Run:
    """Align every story; a crash or an invalid alignment is recorded, and the story scores as unaligned."""
    links: list[list[Link]] = []
    failures: list[tuple[str, str]] = []
    start = time.perf_counter()
    for story in stories:
        try:
            beads = aligner(story.en, story.ru)
        except Exception as error:  # a benchmark reports a crash and carries on
            failures.append((story.name, f"{type(error).__name__}: {error}"))
            beads = []
        else:
            failures.extend((story.name, p) for p in bead_problems(beads, len(story.en), len(story.ru)))
        links.append(beads)
    return Run(links, time.perf_counter() - start, failures)


def score_row(label: Sequence[object], scores: Scores) -> list[object]:
    s = scores
    return [*label, s.precision_strict, s.recall_strict, s.f1_strict, s.precision_lax, s.recall_lax, s.f1_lax]


SCORE_COLUMNS = ["P strict", "R strict", "F1 strict", "P lax", "R lax", "F1 lax"]


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.accuracy", description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, help="only the first N stories")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="seed of the hard variant")
    parser.add_argument("--methods", default=",".join(METHODS), help="comma-separated subset of " + ", ".join(METHODS))
    parser.add_argument(
        "--sentalign-max-size", type=int, default=8, help="sentalign's alignment_max_size (its default)"
    )
    args = parser.parse_args(argv)
    names = [m for m in args.methods.split(",") if m]
    if "ours" in names and not engine_ready():
        print("The engine (alignment.pipeline.align_texts) is not importable yet: skipping 'ours'.")
        names.remove("ours")

    stories = load_stories(limit=args.limit)
    variants = {"unchanged": stories, f"hard (seed {args.seed})": hard_variant(stories, args.seed)}
    with threadpool_limits(BLAS_THREADS):
        encoder = shared_encoder() if EMBEDDING_METHODS & set(names) else None
        aligners: dict[str, Aligner] = {"ours": ours, "gale-church": gale_church, "diagonal": diagonal}
        if encoder:
            aligners["sentalign"] = sentalign_aligner(encoder, args.sentalign_max_size)
        if "ours" in names:
            ours(stories[0].en, stories[0].ru)  # anything the engine loads lazily stays out of the timing
        print(setting(encoder.name if encoder else "none"))
        for variant, docs in variants.items():
            print(f"{variant}: {shape_summary(docs)}")

        rows = []
        failures = []
        for variant, docs in variants.items():
            for name in names:
                if encoder:
                    encoder.reset()
                result = run(aligners[name], docs)
                embed_seconds = encoder.seconds if encoder and name in EMBEDDING_METHODS else None
                rows.append([*score_row([variant, name], score([d.gold for d in docs], result.links)),
                             result.seconds, embed_seconds])
                failures += [(f"{variant} / {name} / {where}", what) for where, what in result.failures]

    print_table(
        "Alignment accuracy, micro-averaged over all beads of all stories (vecalign's strict and lax scores)",
        ["set", "method", *SCORE_COLUMNS, "seconds", "embed s"],
        rows,
        notes=[
            "seconds: wall time over all stories, embedding included; each method embeds for itself, nothing is",
            "cached between methods; model loading happens before the clock starts. embed s: the part of it spent",
            f"in the embedder, where it can be measured. sentalign embeds every run of 1 to {args.sentalign_max_size} "
            "sentences on each side.",
        ],
    )
    print_failures("stories crashed or returned invalid beads (scored as unaligned)", failures)


if __name__ == "__main__":
    main()
