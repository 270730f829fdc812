"""Re-aligning around locked beads against aligning afresh: the time of each on a long story, and the accuracy
of each against the gold beads (issue 17's target: re-aligning a 2,000-pair story with 50 locked pairs takes no
longer than a fresh alignment).

    python -m benchmarks.anchored [--sentences 2000] [--locked 50] [--repeats 3] [--seed 13]

The story is held-out development stories end to end (hard variant: merges, drops and boilerplate, as in
benchmarks.speed). The locked beads are gold beads spread evenly through it, as a reviewer's corrections would
be; half of them are beads the fresh alignment got wrong, where there are enough. Each run aligns the whole
story, embedding included, with the model loaded and warm before the first; the runs alternate, and the
median is reported.
"""

from __future__ import annotations

import argparse
import statistics
import time

from threadpoolctl import threadpool_limits

from .data import DEFAULT_SEED, load_stories, long_story, split
from .methods import align_with_engine, shared_encoder
from .report import BLAS_THREADS, print_table, setting
from .scoring import score


def chosen_locks(gold, found, count: int) -> list:
    """``count`` gold beads spread evenly, half of them (as far as there are) beads the fresh run missed."""
    found = set(found)
    missed = [bead for bead in gold if bead not in found and bead[0] and bead[1]]
    kept = [bead for bead in gold if bead in found and bead[0] and bead[1]]
    picks = missed[:: max(1, len(missed) // (count // 2))][: count // 2] if missed else []
    rest = count - len(picks)
    picks += kept[:: max(1, len(kept) // rest)][:rest]
    return sorted(picks, key=lambda bead: bead[0][0])


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.anchored", description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=2000)
    parser.add_argument("--locked", type=int, default=50)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    _, held_out = split(load_stories())
    story = long_story(held_out, args.sentences, args.seed)
    gold = [(tuple(e), tuple(r)) for e, r in story.gold]
    shared_encoder()  # loaded and warm
    with threadpool_limits(limits=BLAS_THREADS):
        free = align_with_engine(story.en, story.ru)
        found = [(b.en, b.ru) for b in free.beads]
        locked = chosen_locks(gold, found, args.locked)
        times = {"fresh": [], "locked": []}
        results = {}
        for _ in range(args.repeats):
            for name, extra in (("fresh", {}), ("locked", {"locked": [list(map(list, b)) for b in locked]})):
                started = time.perf_counter()
                results[name] = _run(story, extra)
                times[name].append(time.perf_counter() - started)
    rows = []
    for name, result in results.items():
        beads = [(b.en, b.ru) for b in result.beads]
        scores = score([gold], [beads])
        kept = sum(bead in set(beads) for bead in locked)
        rows.append((name, len(story.en), len(story.ru), len(locked) if name == "locked" else 0,
                     kept if name == "locked" else "-", round(statistics.median(times[name]), 2),
                     round(scores.f1_strict, 3)))
    target = "yes" if statistics.median(times["locked"]) <= statistics.median(times["fresh"]) else "NO"
    print_table(
        "Re-aligning around locked beads (held-out stories, hard variant)",
        ("run", "en", "ru", "locked", "kept", "seconds (median)", "strict F1"), rows,
        notes=[f"target: locked <= fresh: {target}", setting(free.embedder)],
    )


def _run(story, extra: dict):
    from alignment.pipeline import AlignConfig, align_texts

    return align_texts(list(story.en), list(story.ru), AlignConfig(presegmented=True, embedder="use-m3"), **extra)


if __name__ == "__main__":
    main()
