"""Furniture detection, leave one outlet out: each outlet's furniture is scored with the detector barred from it.

    python -m benchmarks.furniture [--outlets meduza,...] [--limit N] [--seed 13]

The furniture bank (``alignment/pipeline/lexicon/furniture/<outlet>.<lang>.txt``) holds blocks of lines that
an outlet's pages carry around a story: a donation appeal with its buttons, a newsletter box, photo credits.
For each outlet, some of its blocks go into every held-out news story (``data.split``), on the side of the
block's language, each line a null bead of its own: above the headline, between two sentences or after the
last one. The engine aligns the story with that outlet left out of the bank (``furniture_holdout``), so what is
measured is furniture from an outlet the detector has never seen. Scores are over sentences:

- recall: furniture lines that come out alone (in a null bead) flagged ``boilerplate``, over furniture lines;
- precision: of the sentences in beads flagged ``boilerplate``, the furniture lines in null beads;
- merged: furniture lines joined to a story sentence of the other side; body flagged: story sentences flagged
  ``boilerplate`` (both count against the detector, the second against precision).
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass

from threadpoolctl import threadpool_limits

from .data import DEFAULT_SEED, Story, Unit, from_units, load_stories, split, story_rng
from .methods import align_with_engine, engine_ready, shared_encoder
from .report import BLAS_THREADS, print_failures, print_table, setting

RECALL_TARGET = 0.9
PRECISION_TARGET = 0.9
MIN_OUTLETS = 10  # the bank the issue asks for
BLOCKS_PER_STORY = (1, 3)
PLACES = ("top", "between", "bottom")

Where = tuple[str, int]  # (side, sentence index)


@dataclass(frozen=True)
class Block:
    """Lines of one outlet's page that belong together, in one language."""

    outlet: str
    lang: str
    number: int  # the block's number within its file
    label: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Furnished:
    story: Story  # the story with the furniture in it; every furniture line is a null bead of the gold
    furniture: frozenset[Where]
    blocks: tuple[Block, ...]


def bank_blocks(examples: Sequence) -> dict[str, list[Block]]:
    """The bank's examples (``furniture_bank.Example``) gathered into blocks, per outlet, in bank order."""
    lines: dict[tuple[str, str, int], list[str]] = {}
    labels: dict[tuple[str, str, int], str] = {}
    for e in examples:
        lines.setdefault((e.outlet, e.lang, e.block), []).append(e.text)
        labels[e.outlet, e.lang, e.block] = e.label
    blocks: dict[str, list[Block]] = {}
    for (outlet, lang, number), texts in lines.items():
        blocks.setdefault(outlet, []).append(Block(outlet, lang, number, labels[outlet, lang, number], tuple(texts)))
    return blocks


def insert_furniture(story: Story, blocks: Sequence[Block], rng: random.Random) -> Furnished:
    """Each block's lines, consecutive null beads on its language's side, above the headline, between two
    beads of the story, or after its last one; a block never lands inside another."""
    units = story.units()
    at: dict[int, list[Block]] = {}
    for block in blocks:
        place = rng.choice(PLACES) if len(units) > 1 else rng.choice(("top", "bottom"))
        gap = 0 if place == "top" else len(units) if place == "bottom" else rng.randint(1, len(units) - 1)
        at.setdefault(gap, []).append(block)
    out: list[Unit] = []
    is_furniture: list[bool] = []
    for gap in range(len(units) + 1):
        for block in at.get(gap, ()):
            for line in block.lines:
                out.append(((line,), ()) if block.lang == "en" else ((), (line,)))
                is_furniture.append(True)
        if gap < len(units):
            out.append(units[gap])
            is_furniture.append(False)
    furnished = from_units(story.name, out)
    furniture = frozenset(
        (side, i)
        for link, flag in zip(furnished.gold, is_furniture)
        if flag
        for side, indices in zip(("en", "ru"), link)
        for i in indices
    )
    return Furnished(furnished, furniture, tuple(blocks))


def furnish(stories: Sequence[Story], blocks: Sequence[Block], seed: int, outlet: str) -> list[Furnished]:
    """1 to 3 of ``blocks`` in each story, dealt in turn from one shuffled deck, so that every block is used
    once before any is used twice. How many a story takes and where they go is up to the story's own
    generator; the deck depends on the outlet alone, so a story keeps its furniture under --limit (which
    keeps a prefix of the stories)."""
    deck = list(blocks)
    story_rng(seed, "furniture", outlet).shuffle(deck)
    furnished = []
    turn = 0
    for story in stories:
        rng = story_rng(seed, "furniture", outlet, story.name)
        count = rng.randint(*BLOCKS_PER_STORY)
        furnished.append(insert_furniture(story, [deck[(turn + k) % len(deck)] for k in range(count)], rng))
        turn += count
    return furnished


@dataclass
class Tally:
    stories: int = 0
    lines: int = 0  # furniture lines inserted
    found: int = 0  # ... alone in a null bead flagged boilerplate
    merged: int = 0  # ... in a bead with a story sentence of the other side: joined to a body pair
    paired: int = 0  # ... in a bead whose other side is furniture only: paired with its translation
    flagged: int = 0  # sentences in beads flagged boilerplate
    correct: int = 0  # ... that are furniture lines in null beads
    body_flagged: int = 0  # ... that are the story's own sentences

    def add(self, other: Tally) -> None:
        for name in vars(self):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def recall(self) -> float | None:
        return self.found / self.lines if self.lines else None

    @property
    def precision(self) -> float | None:
        return self.correct / self.flagged if self.flagged else None


def tally_furniture(furnished: Furnished, beads: Sequence) -> Tally:
    """Score one aligned story: ``beads`` have ``en``, ``ru`` and ``divergences`` (with a ``kind``)."""
    tally = Tally(stories=1, lines=len(furnished.furniture))
    for bead in beads:
        boilerplate = any(str(d.kind) == "boilerplate" for d in bead.divergences)
        alone = not bead.en or not bead.ru
        sentences = {side: [(side, i) for i in getattr(bead, side)] for side in ("en", "ru")}
        for where in sentences["en"] + sentences["ru"]:
            furniture = where in furnished.furniture
            others = sentences["ru" if where[0] == "en" else "en"]
            with_body = any(o not in furnished.furniture for o in others)
            tally.found += furniture and alone and boilerplate
            tally.merged += furniture and not alone and with_body
            tally.paired += furniture and not alone and not with_body
            tally.flagged += boilerplate
            tally.correct += boilerplate and furniture and alone
            tally.body_flagged += boilerplate and not furniture
    return tally


def _row(label: str, blocks: str, used: str, tally: Tally) -> list[object]:
    recall, precision = tally.recall, tally.precision
    met = None if recall is None or precision is None else recall >= RECALL_TARGET and precision >= PRECISION_TARGET
    return [label, blocks, used, tally.stories, tally.lines, tally.found, recall, tally.merged, tally.paired,
            tally.flagged, tally.correct, precision, tally.body_flagged, met]


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.furniture", description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, help="only the held-out stories among the first N")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="seed of the blocks' choice and places")
    parser.add_argument("--outlets", help="comma-separated outlet slugs of the bank (default: all)")
    args = parser.parse_args(argv)
    if not engine_ready():
        print("The engine (alignment.pipeline.align_texts) is not importable yet: nothing to measure.")
        return
    try:
        from alignment.pipeline.lexicon.furniture_bank import load_bank
    except ImportError as error:
        print(f"The furniture bank's loader is not importable yet ({error}): nothing to measure.")
        return
    bank = bank_blocks(load_bank())
    outlets = args.outlets.split(",") if args.outlets else sorted(bank)
    unknown = [o for o in outlets if o not in bank]
    if unknown:
        print(f"Not in the bank, skipped: {', '.join(unknown)} (the bank has {', '.join(sorted(bank))}).")
    outlets = [o for o in outlets if o in bank]
    if len(bank) < MIN_OUTLETS:
        print(f"The bank has {len(bank)} outlets, fewer than the {MIN_OUTLETS} the issue asks for.")
    stories = split(load_stories(limit=args.limit))[1]
    if not stories or not outlets:
        print("No held-out story or no outlet: nothing to measure (raise --limit).")
        return

    rows = []
    total = Tally()
    failures: list[tuple[str, str]] = []
    start = time.perf_counter()
    with threadpool_limits(BLAS_THREADS):
        print(setting(shared_encoder().name))
        print(f"{len(stories)} held-out news stories, {len(outlets)} outlets left out one at a time")
        for outlet in outlets:
            blocks = bank[outlet]
            tally = Tally()
            furnished_stories = furnish(stories, blocks, args.seed, outlet)
            for furnished in furnished_stories:
                try:
                    result = align_with_engine(furnished.story.en, furnished.story.ru, furniture_holdout=(outlet,))
                except Exception as error:  # a benchmark reports a crash and carries on
                    failures.append((f"{outlet} / {furnished.story.name}", f"{type(error).__name__}: {error}"))
                    continue
                tally.add(tally_furniture(furnished, result.beads))
            total.add(tally)
            languages = "/".join(str(sum(b.lang == lang for b in blocks)) for lang in ("en", "ru"))
            used = len({(b.lang, b.number) for f in furnished_stories for b in f.blocks})
            rows.append(_row(outlet, languages, f"{used}/{len(blocks)}", tally))
    rows.append(_row("all", "-", "-", total))
    print_table(
        "Furniture detection, leave one outlet out (held-out news stories): sentences",
        ["outlet", "blocks en/ru", "used", "stories", "lines", "found", "recall", "merged", "paired", "flagged", "correct",
         "precision", "body flagged", "met"],
        rows,
        notes=[
            "Each row: that outlet's furniture inserted, 1-3 blocks a story, with the outlet left out of the bank.",
            "lines: furniture lines inserted; found: those alone in a null bead flagged boilerplate. merged: furniture",
            "lines joined to a story sentence of the other side; paired: paired with furniture of the other side only",
            "(the outlet's own translation of it). flagged: sentences in beads flagged boilerplate; correct:",
            "the furniture lines among them that are alone; body flagged: the story's own sentences among them.",
            f"Targets: recall >= {RECALL_TARGET} and precision >= {PRECISION_TARGET}. "
            f"{time.perf_counter() - start:.1f} s in all.",
        ],
    )
    print_failures("stories crashed (left out of every count above)", failures)


if __name__ == "__main__":
    main()
