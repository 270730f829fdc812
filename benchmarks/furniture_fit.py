"""Fit the furniture model's weights (alignment/pipeline/furniture.py, WEIGHTS) on the tuning part.

    python -m benchmarks.furniture_fit [--stories N]

Data: the development set's tuning stories, with 1 to 3 sentences cut from one side and one put in from another
story (story sentences without a translation: what a furniture flag must not hide), and each side given 0 to 3
blocks of one outlet's furniture in its language (from the bank, above the headline, between sentences or
below the end): both editions carry furniture of their own, so a donation appeal on the other side is no
translation of this side's. Every sentence
is an example: furniture lines positive, the story's own sentences negative. A furniture line's bank signals
are measured against the *other* outlets only, as for an outlet the bank does not hold. Prints the weights to
paste into WEIGHTS, and, as a check that they carry over, each outlet scored by weights fitted without it.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

import numpy as np
from threadpoolctl import threadpool_limits

from alignment.pipeline.embed import get_embedder
from alignment.pipeline.furniture import FEATURES, LIKELY, bank_vectors, features
from alignment.pipeline.lexicon.furniture_bank import load_bank

from .data import DEV_SET, Story, load_stories, split, story_rng
from .report import BLAS_THREADS, print_table


# What an example is: furniture, a sentence of the story with its translation on the other side, or one without
# (cut from the other version, or put there from another story): the cases the model must tell apart.
FURNITURE, TRANSLATED, UNTRANSLATED = "furniture", "translated", "untranslated"


def furnished(story: Story, outlet: str, seed: int, others: Sequence[Story]) -> dict[str, list[tuple[str, str]]]:
    """The story's two sides as (line, what it is): 1 to 3 sentences cut from one side (so their counterparts
    have no translation), one sentence on one side put in from another story, and each side given 0 to 3
    blocks of the outlet's furniture in its language (1 at least in all), as two editions of one outlet carry
    furniture of their own on both sides."""
    rng = story_rng(seed, "furniture-fit", outlet, story.name)
    blocks: dict[str, list[list[str]]] = {"en": [], "ru": []}
    for e in load_bank():
        if e.outlet == outlet:
            lines = blocks[e.lang]
            if e.block >= len(lines):
                lines.append([])
            lines[e.block].append(e.text)
    sides = {"en": [(t, TRANSLATED) for t in story.en], "ru": [(t, TRANSLATED) for t in story.ru]}
    n = len(story.en)
    if n > 3:
        cut, kept = rng.sample(("en", "ru"), 2)
        start = rng.randint(1, n - 2)
        stop = min(n, start + rng.randint(1, 3))
        for k in range(start, stop):
            sides[kept][k] = (sides[kept][k][0], UNTRANSLATED)
        at = rng.choice([k for k in range(1, n) if not start <= k < stop] or [0])
        lang = rng.choice(("en", "ru"))
        stranger = rng.choice([s for s in others if s.name != story.name])
        sides[lang][at] = (rng.choice(getattr(stranger, lang)), UNTRANSLATED)
        sides["en" if lang == "ru" else "ru"][at] = (sides["en" if lang == "ru" else "ru"][at][0], UNTRANSLATED)
        del sides[cut][start:stop]
    counts = {"en": rng.randint(0, 3), "ru": rng.randint(0, 3)}
    if not any(counts.values()):
        counts[rng.choice(("en", "ru"))] = 1
    for lang, count in counts.items():
        side = sides[lang]
        for _ in range(count):
            at = rng.choice((0, len(side), rng.randint(1, max(1, len(side) - 1))))
            side[at:at] = [(t, FURNITURE) for t in rng.choice(blocks[lang])]
    return sides


def examples(stories: Sequence[Story], outlets: Sequence[str], seed: int, others: Sequence[Story]):
    """(features, what each example is, outlet of each example)."""
    embedder = get_embedder("use-m3")
    xs, ys, where = [], [], []
    for outlet in outlets:
        bank, _ = bank_vectors(embedder, (outlet,))
        for story in stories:
            sides = furnished(story, outlet, seed, others)
            vecs = {lang: embedder.embed([t for t, _ in lines]) for lang, lines in sides.items()}
            for lang, other in (("en", "ru"), ("ru", "en")):
                xs.append(features([t for t, _ in sides[lang]], vecs[lang], vecs[other], bank))
                ys += [what for _, what in sides[lang]]
                where += [outlet] * len(sides[lang])
    return np.vstack(xs), np.array(ys), np.array(where)


# A story sentence without a translation taken for furniture hides a real divergence from the reader, where a
# furniture line missed costs a dismissal: the first error weighs this many times the second.
UNTRANSLATED_WEIGHT = 3.0


def fit(x: np.ndarray, y: np.ndarray, what: np.ndarray) -> np.ndarray:
    from sklearn.linear_model import LogisticRegression

    weight = np.where(what == UNTRANSLATED, UNTRANSLATED_WEIGHT, 1.0)
    model = LogisticRegression(C=1.0, max_iter=2000).fit(x, y, sample_weight=weight)
    return np.concatenate([model.coef_[0], model.intercept_])


def predict(weights: np.ndarray, x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-(x @ weights[:-1] + weights[-1]))) >= LIKELY


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.furniture_fit", description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=40, help="tuning stories per outlet")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    tuning, _ = split(load_stories(DEV_SET))
    outlets = sorted({e.outlet for e in load_bank()})
    with threadpool_limits(BLAS_THREADS):
        x, what, where = examples(tuning[: args.stories], outlets, args.seed, tuning)
    y = what == FURNITURE
    weights = fit(x, y, what)
    print("WEIGHTS = (" + ", ".join(f"{w:.2f}" for w in weights) + ")  # " + ", ".join(FEATURES) + ", intercept")
    rows = []
    for outlet in outlets:
        own = where == outlet
        found = predict(fit(x[~own], y[~own], what[~own]), x[own])
        truth, kind = y[own], what[own]
        tp, fp, fn = int((found & truth).sum()), int((found & ~truth).sum()), int((~found & truth).sum())
        untranslated = kind == UNTRANSLATED
        rows.append([outlet, int(truth.sum()), tp / max(tp + fn, 1), tp / max(tp + fp, 1),
                     int((found & (kind == TRANSLATED)).sum()), f"{int((found & untranslated).sum())}/{int(untranslated.sum())}"])
    print_table(
        "Furniture model, each outlet scored by weights fitted without it (tuning stories, every sentence)",
        ["outlet", "furniture lines", "recall", "precision", "translated flagged", "untranslated flagged"],
        rows,
        notes=["untranslated: story sentences whose counterpart was cut, or put in from another story: a",
               "furniture flag on one of them hides a real divergence."],
    )


if __name__ == "__main__":
    main()
