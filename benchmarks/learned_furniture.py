"""Furniture learned from a collection (issue 16, point 4): does a collection get cleaner as it grows?

    python -m benchmarks.learned_furniture [--planter a|b|both] [--sizes 3,5,10,20] [--outlets ...] [--seed 13]

For each outlet of a planter (``furniture_planter_a``, written for this benchmark, and ``furniture_planter_b``,
written apart, without reading the pipeline), a collection of K news stories of one part of the development set
(``data.split``), each carrying that outlet's furniture as the planter gives it: lines above the headline, between
two sentences or after the last, each a null bead of the gold. Every story is aligned once as a new collection's
would be (no known furniture), with the outlet left out of the furniture bank when the bank has it
(``furniture_holdout``, as benchmarks.furniture does); the collection then learns its furniture from the stories'
sentences by the web app's rule (alignment.pipeline.recurring, at config/settings.py's defaults), and each story is
aligned again with what was learned (``known_furniture``), as the next run of a story in the collection is.

Recall and precision are benchmarks.furniture's, over the planted lines: recall, planted lines alone in a null bead
flagged ``boilerplate``; precision, of the sentences flagged ``boilerplate``, the planted lines alone. Beside them:
the lines learned, the story sentences learned as furniture (wrongly: news is never furniture), and the share of
the planted lines the learned ones cover. The collections of one part grow by adding stories (the first 3 are the
first 3 of the 5, ...); figures are summed over the outlets.

Embeddings are memoised across runs (benchmarks.combination.memoise_embedder): a story aligned again embeds
nothing new. A run whose learned lines are none of the story's is the first run again, and is not repeated.
"""

from __future__ import annotations

import argparse
import importlib
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from threadpoolctl import threadpool_limits

from alignment.pipeline.recurring import furniture_key, recurring_lines

from .combination import memoise_embedder
from .data import DEFAULT_SEED, PARTS, Story, Unit, from_units, load_stories, split, story_rng
from .furniture import Furnished, Tally, tally_furniture
from .methods import align_with_engine, engine_ready, shared_encoder
from .report import BLAS_THREADS, part_title, print_failures, print_table, setting

SIZES = (3, 5, 10, 20, 40)  # the held-out part has 42 stories
PLACES = ("top", "between", "bottom")
# config/settings.py's SVERKA_FURNITURE_MIN_STORIES and SVERKA_FURNITURE_MIN_SHARE, as the web app learns by default.
MIN_STORIES, MIN_SHARE = 3, 0.05
Planted = dict[str, list[tuple[str, list[str]]]]


def planter(name: str):
    """The planter's module (``OUTLETS``, ``plant``), or None while it is not written."""
    try:
        return importlib.import_module(f"{__package__}.furniture_planter_{name}")
    except ModuleNotFoundError as error:
        if error.name != f"{__package__}.furniture_planter_{name}":
            raise
        return None


def _lines(lines: Sequence[str]) -> list[str]:
    # Each line must stay one sentence of the presegmented text, or the gold would no longer follow it.
    return [part.strip() for line in lines for part in str(line).splitlines() if part.strip()]


def plant_story(story: Story, planted: Planted, rng: random.Random) -> Furnished:
    """The story with each planted block's lines as consecutive null beads on its side: above the headline, in a
    gap between two beads chosen by ``rng``, or after the last bead, blocks at one place in the planter's order."""
    units = story.units()
    at: dict[int, list[Unit]] = {}
    for side in ("en", "ru"):
        for place, lines in planted.get(side, ()):
            if place not in PLACES:
                raise ValueError(f"unknown place {place!r}; expected one of {PLACES}")
            if place == "between" and len(units) > 1:
                gap = rng.randint(1, len(units) - 1)
            else:
                gap = 0 if place == "top" else len(units)
            at.setdefault(gap, []).extend(((line,), ()) if side == "en" else ((), (line,)) for line in _lines(lines))
    out: list[Unit] = []
    flags: list[bool] = []
    for gap in range(len(units) + 1):
        out += at.get(gap, [])
        flags += [True] * len(at.get(gap, []))
        if gap < len(units):
            out.append(units[gap])
            flags.append(False)
    furnished = from_units(story.name, out)
    furniture = frozenset((side, i) for link, flag in zip(furnished.gold, flags) if flag
                          for side, indices in zip(("en", "ru"), link) for i in indices)
    return Furnished(furnished, furniture, ())


@dataclass
class Learning:
    """One collection size, summed over the outlets."""

    before: Tally = field(default_factory=Tally)
    after: Tally = field(default_factory=Tally)
    learned: int = 0  # lines learned, by (language, key)
    body_lines: int = 0  # ... that are a story sentence somewhere in the collection
    body_learned: int = 0  # story sentences whose line was learned
    covered: int = 0  # planted lines whose line was learned

    def add(self, other: Learning) -> None:
        for name, value in vars(other).items():
            if isinstance(value, Tally):
                getattr(self, name).add(value)
            else:
                setattr(self, name, getattr(self, name) + value)


class Collection:
    """One outlet's stories of one part, aligned before learning, and again after learning from the first K."""

    def __init__(self, furnished: list[Furnished], holdout: tuple[str, ...], failures: list[tuple[str, str]]):
        self.furnished, self.holdout, self.failures = furnished, holdout, failures
        self.first = [self._align(f, frozenset()) for f in furnished]
        self.again: dict[tuple[int, frozenset[str]], object] = {}

    def _align(self, furnished: Furnished, known: frozenset[str]):
        story = furnished.story
        try:
            result = align_with_engine(story.en, story.ru, furniture_holdout=self.holdout, known_furniture=known)
        except Exception as error:  # a benchmark reports a crash and carries on
            self.failures.append((story.name, f"{type(error).__name__}: {error}"))
            return None
        if (len(result.en), len(result.ru)) != (len(story.en), len(story.ru)):
            self.failures.append((story.name, "the engine split a planted line"))
            return None
        return result

    def learn(self, size: int) -> Learning:
        done = [k for k in range(size) if self.first[k] is not None]
        lines = {k: [(side, s.text) for side in ("en", "ru") for s in getattr(self.first[k], side)] for k in done}
        learned = recurring_lines([lines[k] for k in done], MIN_STORIES, MIN_SHARE)
        known = frozenset(key for _, key in learned)  # as alignment.corpus.furniture.known_for: keys alone
        out = Learning(learned=len(learned))
        body_keys = set()
        for k in done:
            furnished = self.furnished[k]
            keys = {(side, i): furniture_key(text) for side in ("en", "ru")
                    for i, text in enumerate(getattr(furnished.story, side))}
            body_keys |= {(where[0], key) for where, key in keys.items() if where not in furnished.furniture}
            out.covered += sum(keys[where] in known for where in furnished.furniture)
            out.body_learned += sum(key in known for where, key in keys.items() if where not in furnished.furniture)
            hit = known & set(keys.values())
            if hit and (k, hit) not in self.again:
                self.again[k, hit] = self._align(furnished, known)
            again = self.again.get((k, hit)) if hit else self.first[k]
            if again is None:
                continue
            out.before.add(tally_furniture(furnished, self.first[k].beads))
            out.after.add(tally_furniture(furnished, again.beads))
        out.body_lines = len(body_keys & set(learned))
        return out


def furnish(module, name: str, outlet: str, stories: Sequence[Story], count: int, seed: int) -> list[Furnished]:
    """The outlet's collection: ``count`` of ``stories`` in an order of the outlet's own, each with its furniture."""
    order = list(stories)
    story_rng(seed, "learned", name, outlet).shuffle(order)
    furnished = []
    for number, story in enumerate(order[:count]):
        planted = module.plant(outlet, number, story_rng(seed, "learned", name, outlet, story.name))
        furnished.append(plant_story(story, planted, story_rng(seed, "learned-places", name, outlet, story.name)))
    return furnished


def _row(label: object, learning: Learning) -> list[object]:
    b, a = learning.before, learning.after
    return [label, b.stories, b.lines, learning.learned, f"{learning.body_lines}/{learning.body_learned}",
            learning.covered / b.lines if b.lines else None, b.recall, a.recall, b.precision, a.precision,
            f"{b.merged}->{a.merged}", f"{b.paired}->{a.paired}", f"{b.body_flagged}->{a.body_flagged}"]


COLUMNS = ["K", "stories", "planted lines", "learned", "body learned", "covered", "recall before", "recall after",
           "precision before", "precision after", "merged", "paired", "body flagged"]


def run_planter(name: str, module, parts: dict[str, list[Story]], sizes: Sequence[int], outlets: Sequence[str],
                seed: int, bank: set[str]) -> dict[str, dict[int, Learning]]:
    failures: list[tuple[str, str]] = []
    start = time.perf_counter()
    totals: dict[str, dict[int, Learning]] = {}
    by_outlet: dict[str, list[list[object]]] = {}
    for part, stories in parts.items():
        sized = [k for k in sizes if k <= len(stories)]
        totals[part] = {k: Learning() for k in sized}
        for outlet in outlets:
            holdout = (outlet,) if outlet in bank else ()
            collection = Collection(furnish(module, name, outlet, stories, max(sized), seed), holdout, failures)
            for k in sized:
                learning = collection.learn(k)
                totals[part][k].add(learning)
                if k == max(sized):
                    by_outlet.setdefault(part, []).append(_row(outlet + (" (held out of the bank)" if holdout else ""),
                                                               learning))
    for part in parts:
        print_table(
            f"Planter {name}, {part_title(part)}: planted furniture before and after learning, by collection size K",
            COLUMNS, [_row(k, learning) for k, learning in totals[part].items()],
            notes=[f"{len(outlets)} outlets, a collection each; {len(parts[part])} stories in the part.",
                   f"learned: lines in >= max({MIN_STORIES}, {MIN_SHARE:.0%} of K) stories; body learned: of them, "
                   "lines that are story sentences / story sentences that are such lines (both should be 0);",
                   "covered: planted lines learned; merged (to a story sentence), paired (to planted furniture of the "
                   "other side), body flagged: before->after."],
        )
        print_table(f"Planter {name}, {part_title(part)}: by outlet at K = {max(totals[part])}",
                    ["outlet", *COLUMNS[1:]], by_outlet[part])
    print(f"planter {name}: {time.perf_counter() - start:.0f} s")
    print_failures(f"runs failed under planter {name} (left out of every count above)", failures)
    return totals


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.learned_furniture", description=__doc__.splitlines()[0])
    parser.add_argument("--planter", choices=("a", "b", "both"), default="both")
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="collection sizes K, comma-separated")
    parser.add_argument("--outlets", help="comma-separated outlets of the planter (default: all)")
    parser.add_argument("--parts", default=",".join(PARTS), help="comma-separated parts of the split")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="seed of the stories' order and furniture")
    args = parser.parse_args(argv)
    if not engine_ready():
        print("The engine (alignment.pipeline.align_texts) is not importable yet: nothing to measure.")
        return
    from alignment.pipeline.lexicon.furniture_bank import outlet_names

    sizes = sorted({int(k) for k in args.sizes.split(",")})
    tuning, held_out = split(load_stories())
    parts = {part: stories for part, stories in zip(PARTS, (tuning, held_out)) if part in args.parts.split(",")}
    closing: dict[str, dict[int, Learning]] = {}
    with threadpool_limits(BLAS_THREADS):
        print(setting(shared_encoder().name))
        memoise_embedder("use-m3")
        for name in ("a", "b") if args.planter == "both" else (args.planter,):
            module = planter(name)
            if module is None:
                print(f"\nPlanter {name} (benchmarks/furniture_planter_{name}.py) is not there yet: skipped.")
                continue
            outlets = args.outlets.split(",") if args.outlets else list(module.OUTLETS)
            totals = run_planter(name, module, parts, sizes, outlets, args.seed, set(outlet_names()))
            if "held-out" in totals:
                closing[name] = totals["held-out"]
    if closing:
        rows = [[name, *_row(k, learning)] for name, totals in closing.items() for k, learning in totals.items()]
        print_table("Closing figures: HELD-OUT part, summed over each planter's outlets", ["planter", *COLUMNS], rows)


if __name__ == "__main__":
    main()
