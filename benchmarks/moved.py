"""Moved passages on planted moves: recall and precision by distance, and `moved` flags where nothing moved.

    python -m benchmarks.moved [--planter a|b|both] [--parts tuning,held-out] [--rounds 3] [--limit N]
                               [--seed 13] [--show-misses 3]

A plant moves one block of one to three consecutive sentences on one side, up or down, over some distance
(the sentences it jumps over); the other side is left as it was. Planter "a" is this file's
(:func:`plant_moves`); planter "b" is ``moved_planter_b.py``, written without reading the pipeline, used only
through the same interface. Each story gets ``--rounds`` plants, one at a time.

Scoring. A row flagged `moved` is *correct* when its sentences and its counterpart are all displaced by one
move (the block, the sentences it jumped over, and their counterparts on the other side) and the counterpart
holds the gold counterparts of its sentences. A move is *found* when every sentence of the block and of its
counterparts sits in a correct row, or when the sentences it jumped over and their counterparts all do (a
block moved past one sentence reads as well as that one sentence moved the other way, and the aligner keeps
whichever is longer in line). Recall is over moves, precision over flagged rows, both by distance.

Where nothing moved, nothing may be flagged: the faithful stories (every story as it is); stories where a
sentence was cut on one side and another one cut elsewhere on the other side (content only in English here,
only in Russian there: two sentences of one story, on one topic, which must not pass for a move), ``--rounds``
variants of each; the stories' hard variant (merged sentences, drops on either side, furniture); and the
literary set as it is. The table counts the stories that gained a `moved` flag, and the rows flagged.
"""

from __future__ import annotations

import argparse
import importlib
import random
from collections.abc import Sequence
from dataclasses import dataclass, field

from threadpoolctl import threadpool_limits

from .data import DEFAULT_SEED, LITERARY_SET, PARTS, Story, hard_variant, load_stories, split, story_rng
from .methods import align_with_engine, engine_ready, shared_encoder
from .report import BLAS_THREADS, part_title, print_failures, print_table, setting

SIDES = ("en", "ru")
PLANTERS = ("a", "b")
SIZES = (1, 2, 3)
# (label, shortest, longest) jump, in sentences jumped over.
DISTANCES = (("1", 1, 1), ("2-3", 2, 3), ("4-7", 4, 7), ("8+", 8, 10_000))
RECALL_TARGET, PRECISION_TARGET = 0.85, 0.9
MOVED = "moved"


def distance_label(distance: int) -> str:
    return next(label for label, low, high in DISTANCES if low <= distance <= high)


# --- planter a -------------------------------------------------------------------------------------------


def plant_moves(en: Sequence[str], ru: Sequence[str], rng: random.Random) -> tuple[list[str], list[str], list[dict]]:
    """Move one block of 1-3 sentences up or down on one side; no move when the side has fewer than two.

    The distance is drawn evenly over ``DISTANCES`` (those the side is long enough for), then the block and
    the place among those that give it, so that short and long moves are measured alike."""
    side = rng.choice(SIDES)
    lines = list(en if side == "en" else ru)
    sizes = [k for k in SIZES if k < len(lines)]
    if not sizes:
        return list(en), list(ru), []
    size = rng.choice(sizes)
    # (start, shift): the block lines[start:start + size] goes to start + shift in the new list.
    options: dict[str, list[tuple[int, int]]] = {}
    for start in range(len(lines) - size + 1):
        for shift in range(-start, len(lines) - size - start + 1):
            if shift:
                options.setdefault(distance_label(abs(shift)), []).append((start, shift))
    start, shift = rng.choice(options[rng.choice(sorted(options))])
    block, rest, at = lines[start : start + size], lines[:start] + lines[start + size :], start + shift
    moved = rest[:at] + block + rest[at:]
    move = {"side": side, "from": list(range(start, start + size)), "to": list(range(at, at + size))}
    return (moved, list(ru), [move]) if side == "en" else (list(en), moved, [move])


def load_planter(name: str):
    """``plant_moves`` of planter a, or of ``benchmarks.moved_planter_<name>``; a string says why there is none."""
    if name == "a":
        return plant_moves
    module_name = f"{__package__}.moved_planter_{name}"
    try:
        return importlib.import_module(module_name).plant_moves
    except ModuleNotFoundError as error:
        if error.name != module_name:
            raise
        return f"planter {name!r} is not there yet ({module_name.replace('.', '/')}.py): skipped"


# --- plants ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Move:
    side: str
    block: frozenset[int]  # the moved sentences, as indexed in the new side
    jumped: frozenset[int]  # the sentences it jumped over, likewise
    distance: int  # len(jumped)

    @property
    def label(self) -> str:
        return distance_label(self.distance)


@dataclass(frozen=True)
class Planted:
    """A story after its moves: the new sentence lists, each sentence's gold counterparts, and the moves."""

    name: str
    en: tuple[str, ...]
    ru: tuple[str, ...]
    counterparts: dict[str, dict[int, frozenset[int]]]  # side -> index -> the other side's gold counterparts
    moves: tuple[Move, ...]

    def others(self, side: str, indices) -> frozenset[int]:
        return frozenset(j for i in indices for j in self.counterparts[side].get(i, ()))


def planted(story: Story, new_en: Sequence[str], new_ru: Sequence[str], moves: Sequence[dict]) -> Planted:
    """The plant a planter's output describes; ValueError when the output is not a set of moves of the story."""
    sides = {"en": (story.en, tuple(new_en)), "ru": (story.ru, tuple(new_ru))}
    where: dict[str, dict[int, int]] = {side: {} for side in SIDES}  # side -> original index -> new index
    for move in moves:
        if move["side"] not in SIDES or len(move["from"]) != len(move["to"]) or not move["from"]:
            raise ValueError(f"not a move: {move}")
        where[move["side"]].update(zip(move["from"], move["to"]))
    for side, (old, new) in sides.items():
        if len(old) != len(new) or len(set(where[side].values())) != len(where[side]):
            raise ValueError(f"the {side} side is not the old one reordered")
        rest = [i for i in range(len(old)) if i not in where[side]]
        free = [i for i in range(len(new)) if i not in set(where[side].values())]
        where[side].update(zip(rest, free))
        if any(new[n] != old[o] for o, n in where[side].items()):
            raise ValueError(f"the {side} side's sentences do not sit where the moves say")
    counterparts: dict[str, dict[int, set[int]]] = {side: {} for side in SIDES}
    for en, ru in story.gold:
        new_en_ids = {where["en"][i] for i in en}
        new_ru_ids = {where["ru"][j] for j in ru}
        for i in new_en_ids:
            counterparts["en"].setdefault(i, set()).update(new_ru_ids)
        for j in new_ru_ids:
            counterparts["ru"].setdefault(j, set()).update(new_en_ids)
    found = []
    for move in moves:
        side, block = move["side"], set(move["to"])
        old_first, new_first = min(move["from"]), min(move["to"])
        # The others whose order with the block changed.
        jumped = frozenset(
            new for old, new in where[side].items()
            if new not in block and (old < old_first) != (new < new_first)
        )
        found.append(Move(side, frozenset(block), jumped, len(jumped)))
    return Planted(
        story.name, sides["en"][1], sides["ru"][1],
        {side: {i: frozenset(c) for i, c in links.items()} for side, links in counterparts.items()}, tuple(found),
    )


def unmoved(story: Story) -> Planted:
    return planted(story, story.en, story.ru, [])


def cut_and_add(story: Story, rng: random.Random) -> Planted | None:
    """A sentence cut from one side and another, at least two sentences away, from the other: the first reads
    as content only the other side has, the second as content only this side has. Nothing moved."""
    n = len(story.gold)
    pairs = [(a, b) for a in range(n) for b in range(n) if abs(a - b) >= 2]
    if not pairs:
        return None
    a, b = rng.choice(pairs)
    units = [(list(e), list(r)) for e, r in story.gold]
    units[a][1].clear()  # a: English only
    units[b][0].clear()  # b: Russian only
    en = [story.en[i] for e, _ in units for i in e]
    ru = [story.ru[j] for _, r in units for j in r]
    counterparts: dict[str, dict[int, frozenset[int]]] = {"en": {}, "ru": {}}
    at_en = at_ru = 0
    for e, r in units:
        new_e, new_r = range(at_en, at_en + len(e)), range(at_ru, at_ru + len(r))
        counterparts["en"].update({i: frozenset(new_r) for i in new_e})
        counterparts["ru"].update({j: frozenset(new_e) for j in new_r})
        at_en, at_ru = at_en + len(e), at_ru + len(r)
    return Planted(story.name, tuple(en), tuple(ru), counterparts, ())


# --- scoring ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """A row flagged `moved`: its side, its sentences there, and the counterpart it names on the other side."""

    side: str
    sentences: frozenset[int]
    counterpart: frozenset[int]


def moved_rows(beads) -> list[Row]:
    rows = []
    for bead in beads:
        for d in bead.divergences:
            if str(d.kind) == MOVED:
                side = "en" if bead.en else "ru"
                other = d.ru_counterpart if side == "en" else d.en_counterpart
                rows.append(Row(side, frozenset(bead.en or bead.ru), frozenset(other)))
    return rows


def correct(row: Row, plant: Planted) -> bool:
    for move in plant.moves:
        mine = move.block | move.jumped
        theirs = plant.others(move.side, mine)
        own, far = (mine, theirs) if row.side == move.side else (theirs, mine)
        if row.sentences <= own and row.counterpart <= far and plant.others(row.side, row.sentences) <= row.counterpart:
            return True
    return False


def found(move: Move, plant: Planted, rows: Sequence[Row]) -> bool:
    other = "ru" if move.side == "en" else "en"
    right = [r for r in rows if correct(r, plant)]
    covered = {side: set().union(*(r.sentences for r in right if r.side == side)) for side in SIDES}

    def all_flagged(group: frozenset[int]) -> bool:
        return bool(group) and group <= covered[move.side] and plant.others(move.side, group) <= covered[other]

    return all_flagged(move.block) or all_flagged(move.jumped)


@dataclass
class Tally:
    moves: dict[str, int] = field(default_factory=dict)  # distance label -> moves planted
    found: dict[str, int] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)  # distance label -> rows flagged moved in those stories
    right: dict[str, int] = field(default_factory=dict)

    def add(self, label: str, moves: int = 0, found: int = 0, rows: int = 0, right: int = 0) -> None:
        for counter, n in ((self.moves, moves), (self.found, found), (self.rows, rows), (self.right, right)):
            counter[label] = counter.get(label, 0) + n

    def row(self, label: str) -> list[object]:
        moves, found, rows, right = (c.get(label, 0) for c in (self.moves, self.found, self.rows, self.right))
        recall = found / moves if moves else None
        precision = right / rows if rows else None
        return [label, moves, found, recall, rows, right, precision]


def score_plant(plant: Planted, beads, tally: Tally, misses: list[str]) -> None:
    rows = moved_rows(beads)
    labels = {move.label for move in plant.moves}
    story_label = labels.pop() if len(labels) == 1 else "several"
    for move in plant.moves:
        hit = found(move, plant, rows)
        tally.add(move.label, moves=1, found=hit)
        if not hit:
            misses.append(_describe_miss(plant, move, beads))
    right = sum(correct(r, plant) for r in rows)
    tally.add(story_label, rows=len(rows), right=right)


def _describe_miss(plant: Planted, move: Move, beads) -> str:
    other = "ru" if move.side == "en" else "en"
    lines = [f"{plant.name}: {move.side} {sorted(move.block)} moved over {move.distance} "
             f"(counterparts {other} {sorted(plant.others(move.side, move.block))})"]
    for bead in beads:
        mine = set(bead.en if move.side == "en" else bead.ru) & (move.block | move.jumped)
        theirs = set(bead.ru if move.side == "en" else bead.en) & plant.others(move.side, move.block | move.jumped)
        if mine or theirs:
            kinds = [str(d.kind) for d in bead.divergences]
            lines.append(f"    bead {list(bead.en)}-{list(bead.ru)}: {kinds or 'nothing'}")
    for i in sorted(move.block):
        lines.append(f"    {move.side}[{i}]: {getattr(plant, move.side)[i]}")
    return "\n".join(lines)


# --- the run ---------------------------------------------------------------------------------------------


def measure(planter, name: str, stories: Sequence[Story], seed: int, rounds: int, tally: Tally,
            failures: list[tuple[str, str]], misses: list[str] | None = None) -> int:
    """Plant ``rounds`` moves in each story, one at a time, align each and score it into ``tally``; the number
    of plants. A planter's crash or an invalid plant is a failure, left out of the counts."""
    count = 0
    for story in stories:
        for round_ in range(rounds):
            where = f"planter {name} / {story.name} / round {round_}"
            try:
                new_en, new_ru, moves = planter(story.en, story.ru, story_rng(seed, "move", name, round_, story.name))
                plant = planted(story, new_en, new_ru, moves)
            except Exception as error:  # a benchmark reports a bad plant and carries on
                failures.append((where, f"planting: {type(error).__name__}: {error}"))
                continue
            beads = _aligned(plant, failures, where) if plant.moves else None
            if beads is not None:
                score_plant(plant, beads, tally, [] if misses is None else misses)
                count += 1
    return count


def _aligned(plant: Planted, failures: list[tuple[str, str]], where: str):
    try:
        return align_with_engine(plant.en, plant.ru).beads
    except Exception as error:  # a benchmark reports a crash and carries on
        failures.append((where, f"{type(error).__name__}: {error}"))
        return None


@dataclass
class Quiet:
    """Stories where nothing moved: how many, how many of them gained a moved flag, and how many rows."""

    stories: int = 0
    flagged: int = 0
    rows: int = 0

    @property
    def share(self) -> float | None:
        return self.flagged / self.stories if self.stories else None


def nothing_moved(stories: Sequence[Story], seed: int, rounds: int, failures: list[tuple[str, str]],
                  literary: Sequence[Story] = ()) -> dict[str, Quiet]:
    """Stories where nothing moved, scored as :class:`Quiet`: the faithful ones as they are, ``rounds``
    cut-and-add variants of each, their hard variant (merges, drops on either side, furniture), and the
    ``literary`` ones (a translator's own merges and splits)."""
    variants = {
        "faithful": [unmoved(s) for s in stories],
        "cut and add": [
            plant for s in stories for r in range(rounds)
            if (plant := cut_and_add(s, story_rng(seed, "cut-and-add", r, s.name))) is not None
        ],
        "hard variant": [unmoved(s) for s in hard_variant(stories, seed)],
    }
    if literary:
        variants["literary"] = [unmoved(s) for s in literary]
    out = {}
    for what, plants in variants.items():
        out[what] = quiet = Quiet()
        for plant in plants:
            beads = _aligned(plant, failures, f"{what} / {plant.name}")
            if beads is not None:
                rows = len(moved_rows(beads))
                quiet.stories += 1
                quiet.flagged += bool(rows)
                quiet.rows += rows
    return out


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.moved", description=__doc__.splitlines()[0])
    parser.add_argument("--planter", choices=("a", "b", "both"), default="both")
    parser.add_argument("--parts", default=",".join(PARTS), help="comma-separated subset of " + ", ".join(PARTS))
    parser.add_argument("--rounds", type=int, default=3, help="plants per story and planter, one at a time")
    parser.add_argument("--limit", type=int, help="only the first N stories")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--show-misses", type=int, default=3, metavar="N",
                        help="print N missed moves per planter, from the tuning part")
    args = parser.parse_args(argv)
    if not engine_ready():
        print("The engine (alignment.pipeline.align_texts) is not importable yet: nothing to measure.")
        return
    planters = []
    for name in PLANTERS if args.planter == "both" else (args.planter,):
        planter = load_planter(name)
        if isinstance(planter, str):
            print(planter)
        else:
            planters.append((name, planter))
    parts = [p for p in PARTS if p in args.parts.split(",")]
    stories = dict(zip(PARTS, split(load_stories(limit=args.limit))))
    literary = dict(zip(PARTS, split(load_stories(LITERARY_SET, limit=args.limit))))
    failures: list[tuple[str, str]] = []
    tallies: dict[tuple[str, str], Tally] = {}
    misses: dict[str, list[str]] = {}
    quiet: list[list[object]] = []
    with threadpool_limits(BLAS_THREADS):
        print(setting(shared_encoder().name))
        for name, planter in planters:
            for part in parts:
                tally = tallies.setdefault((name, part), Tally())
                story_misses = misses.setdefault(name, []) if part == "tuning" else None
                count = measure(planter, name, stories[part], args.seed, args.rounds, tally, failures, story_misses)
                print(f"planter {name}, {part}: {count} plants in {len(stories[part])} stories")
        for part in parts:
            for what, found in nothing_moved(stories[part], args.seed, args.rounds, failures, literary[part]).items():
                quiet.append([what, part, found.stories, found.flagged, found.share, found.rows])

    labels = [label for label, _, _ in DISTANCES]
    for (name, part), tally in tallies.items():
        extra = ["several"] if "several" in tally.rows else []
        total = Tally()
        for label in labels + extra:
            total.add("all", *(c.get(label, 0) for c in (tally.moves, tally.found, tally.rows, tally.right)))
        rows = [tally.row(label) for label in labels + extra] + [total.row("all")]
        print_table(
            f"Moved passages, planter {name}, {part_title(part)}: recall and precision by distance",
            ["distance", "moves", "found", "recall", "rows flagged", "correct", "precision"],
            rows,
            notes=[
                "distance: sentences the block jumped over. found: the block (or what it jumped over) flagged moved",
                "on both sides, each row naming its right counterpart. rows flagged: rows with a moved divergence in",
                "the stories of that distance; correct: those naming a counterpart the move displaced.",
                f"Targets (held-out): recall >= {RECALL_TARGET}, precision >= {PRECISION_TARGET}.",
            ],
        )
    if quiet:
        print_table(
            "Stories where nothing moved, flagged moved anyway",
            ["stories", "part", "count", "with a moved flag", "share", "rows flagged"],
            quiet,
            notes=["cut and add: a sentence cut from one side and another, two or more pairs away, from the other",
                   "(--rounds variants of each story). hard variant: benchmarks.data.hard_variant (merges, drops,",
                   "furniture). literary: the Anna Karenina set as it is."],
        )
    for name, lines in misses.items():
        if lines and args.show_misses:
            shown = min(len(lines), args.show_misses)
            print(f"\nMissed moves of planter {name}, tuning part ({len(lines)}), the first {shown}:")
            print("\n".join(lines[: args.show_misses]))
    print_failures("plants crashed or were invalid (left out of every count above)", failures)


if __name__ == "__main__":
    main()
