"""Divergence detection on planted divergences: per-kind recall and precision, and faithful pairs flagged.

    python -m benchmarks.divergences [--planters a,b] [--parts tuning,held-out] [--kinds only_en,number,...]
                                     [--limit N] [--seed 13] [--show-misses 3]

The plants come from planters written independently of each other, so that a detector tuned on one planter's
habits is caught out by the other's: planter "a" is this file's (``make_plant``), planter "b" is
``planter_b.py``, used only through its interface (``NAME``, ``KINDS``, ``plant(story, kind, seed, others)``
giving a ``Plant`` or None). Every planter's figures are reported per part of the split (``data.split``); the
held-out ones count, and the misses listed are the tuning part's only.

One pass per kind, so plants never interact: each story gets at most one plant of that kind. A plant is
detected when a divergence of its kind is reported on a bead that contains the planted sentence.

Planter a's name plants are the issue's: a name that both sides carry is swapped for another on one side. A
name dropped from one side ("a name disappears") is measured too, in a pass of its own (``name_dropped``)
with its own table: it is the harder case, since translators drop names of their own accord, and the faithful
pairs of the development set where they did so are counted against precision in every pass.
"""

from __future__ import annotations

import argparse
import difflib
import importlib
import random
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from threadpoolctl import threadpool_limits

from .data import DEFAULT_SEED, PARTS, Story, Unit, from_units, insert_boilerplate, load_stories, split, story_rng
from .methods import align_with_engine, engine_ready, shared_encoder
from .report import BLAS_THREADS, part_title, print_failures, print_table, setting
from .scoring import bead_problems

KINDS = ("only_en", "only_ru", "boilerplate", "number", "name", "meaning", "partial")  # Kind's values, in order
PLANTED = KINDS[:-1]
EXTRA = ("name_dropped",)  # passes beyond the plants, reported in a table of their own
DETECTED_AS = {"name_dropped": "name"}  # the kind of divergence that finds an extra pass's plant
# Each planter's held-out part is held to these.
RECALL_TARGETS = {"only_en": 0.9, "only_ru": 0.9, "boilerplate": 0.9, "number": 0.9, "name": 0.85, "meaning": 0.85}
PRECISION_TARGET = 0.9
FLAGGED_TARGET = 0.03
PLANTERS = ("a", "b")

SIDES = ("en", "ru")


@dataclass(frozen=True)
class Plant:
    story: Story  # the story with the plant in it
    kind: str
    side: str  # the side that holds the planted sentence
    index: int  # the planted sentence, on that side
    bead: int  # the gold bead that holds it
    before: str  # what the planted sentence replaced, for the list of misses ("" when nothing)


@dataclass(frozen=True)
class Pool:
    """Other stories' material: headlines for "Read more" lines, sentences to swap in."""

    titles: dict[str, tuple[str, ...]]
    sentences: dict[str, tuple[tuple[str, str], ...]]  # side -> (story name, sentence)

    @classmethod
    def of(cls, stories: Sequence[Story]) -> Pool:
        return cls(
            titles={side: tuple(getattr(s, side)[0] for s in stories) for side in SIDES},
            sentences={side: tuple((s.name, t) for s in stories for t in getattr(s, side)) for side in SIDES},
        )


def _one_to_one(units: Sequence[Unit]) -> list[int]:
    return [k for k, (en, ru) in enumerate(units) if len(en) == 1 and len(ru) == 1]


def _replace(units: list[Unit], k: int, side: str, text: str) -> None:
    en, ru = units[k]
    units[k] = ((text,), ru) if side == "en" else (en, (text,))


# --- numbers ---------------------------------------------------------------------------------------------

NUMBER = re.compile(r"\d+(?:[.,\u00a0\u202f ]\d{3})*(?:[.,]\d+)?")


def _number_values(text: str) -> set[str]:
    return {re.sub(r"\D", "", m.group()) for m in NUMBER.finditer(text)}


def _change_a_digit(number: str, rng: random.Random) -> str:
    positions = [p for p, c in enumerate(number) if c.isdigit()]
    p = rng.choice(positions)
    lowest = "1" if p == positions[0] and len(positions) > 1 else "0"  # no new leading zero
    digit = rng.choice([d for d in "0123456789" if d >= lowest and d != number[p]])
    return number[:p] + digit + number[p + 1 :]


def plant_number(units: list[Unit], rng: random.Random, pool: Pool, story: Story) -> tuple[int, str] | None:
    """Change one digit of a number that both sides share, on one side."""
    candidates = [k for k in _one_to_one(units) if _number_values(units[k][0][0]) & _number_values(units[k][1][0])]
    if not candidates:
        return None
    k = rng.choice(candidates)
    side = rng.choice(SIDES)
    shared = _number_values(units[k][0][0]) & _number_values(units[k][1][0])
    text = units[k][SIDES.index(side)][0]
    m = rng.choice([m for m in NUMBER.finditer(text) if re.sub(r"\D", "", m.group()) in shared])
    _replace(units, k, side, text[: m.start()] + _change_a_digit(m.group(), rng) + text[m.end() :])
    return k, side


# --- names -----------------------------------------------------------------------------------------------

CAPITALISED = re.compile(r"\b(?:[A-Z][a-z]{2,}|[А-ЯЁ][а-яё]{2,})\b")
NOT_NAMES = {"The", "This", "That", "These", "Those", "But", "And", "She", "Her", "His", "They", "Their", "Its"}
TRANSLIT = [("дж", "j"), ("уо", "wo"), ("уи", "wi"), ("щ", "shch"), ("ж", "zh"), ("х", "h"), ("ц", "ts"),
            ("ч", "ch"), ("ш", "sh"), ("ю", "yu"), ("я", "ya"), ("ё", "e"), ("й", "y"), ("ъ", ""), ("ь", "")]
TRANSLIT_LETTERS = str.maketrans("абвгдезиклмнопрстуфыэ", "abvgdeziklmnoprstufye")
# Replacements, English and Russian spelling; none is in the dev set's pairs as far as a plant needs.
NEW_NAMES = (("Johnson", "Джонсон"), ("Miller", "Миллер"), ("Parker", "Паркер"), ("Fischer", "Фишер"),
             ("Morgan", "Морган"), ("Harrison", "Харрисон"), ("Walker", "Уокер"), ("Becker", "Беккер"),
             ("Gordon", "Гордон"), ("Wilson", "Уилсон"), ("Peterson", "Петерсон"), ("Coleman", "Коулман"))
CASE_ENDINGS = ("ом", "ым", "ой", "ем", "а", "у", "е", "ы", "и", "я", "ю")


def _latin(word: str) -> str:
    word = word.lower()
    for cyrillic, latin in TRANSLIT:
        word = word.replace(cyrillic, latin)
    return word.translate(TRANSLIT_LETTERS)


def _inner_names(text: str) -> list[re.Match]:
    """Capitalised words that do not open the sentence: likely names."""
    return [m for m in CAPITALISED.finditer(text) if m.start() > 0 and m.group() not in NOT_NAMES]


def _name_pairs(en: str, ru: str) -> list[tuple[re.Match, re.Match]]:
    """English and Russian words that spell the same name (compared after transliterating the Russian)."""
    return [
        (a, b)
        for a in _inner_names(en)
        for b in _inner_names(ru)
        if difflib.SequenceMatcher(None, a.group().lower(), _latin(b.group())).ratio() >= 0.65
    ]


def _new_name(old_en: str, old_ru: str, side: str, story: Story, rng: random.Random) -> str:
    everything = " ".join(story.en + story.ru)
    en, ru = rng.choice([n for n in NEW_NAMES if n[0] not in everything and n[1] not in everything])
    if side == "en" or old_ru.isascii():
        return en
    # Keep a Russian case ending that the English spelling has no letter for: Трампа -> Джонсона.
    extra = len(_latin(old_ru)) - len(old_en)
    ending = next((e for e in CASE_ENDINGS if 0 < len(e) <= extra and old_ru.endswith(e)), "")
    return ru + ending


def _name_plant_site(units: list[Unit], rng: random.Random) -> tuple[int, str, re.Match, re.Match] | None:
    """A 1-1 pair, a name both of its sides carry (the English and the Russian match), and the side to change."""
    candidates = [k for k in _one_to_one(units) if _name_pairs(units[k][0][0], units[k][1][0])]
    if not candidates:
        return None
    k = rng.choice(candidates)
    en_match, ru_match = rng.choice(_name_pairs(units[k][0][0], units[k][1][0]))
    return k, rng.choice(SIDES), en_match, ru_match


def _plant_on_a_name(rewrite):
    """A planter that rewrites, on one side of a 1-1 pair, a name both of its sides carry:
    ``rewrite(text, match, en_match, ru_match, side, story, rng)`` gives the side's new text."""

    def plant(units: list[Unit], rng: random.Random, pool: Pool, story: Story) -> tuple[int, str] | None:
        site = _name_plant_site(units, rng)
        if site is None:
            return None
        k, side, en_match, ru_match = site
        m = en_match if side == "en" else ru_match
        _replace(units, k, side, rewrite(m.string, m, en_match, ru_match, side, story, rng))
        return k, side

    plant.__doc__ = rewrite.__doc__
    return plant


@_plant_on_a_name
def plant_name(text, m, en_match, ru_match, side, story, rng) -> str:
    """Swap a name that both sides carry for another name, on one side."""
    return text[: m.start()] + _new_name(en_match.group(), ru_match.group(), side, story, rng) + text[m.end() :]


@_plant_on_a_name
def plant_name_drop(text, m, en_match, ru_match, side, story, rng) -> str:
    """Delete a name that both sides carry, on one side."""
    return re.sub(r"\s{2,}", " ", text[: m.start()] + text[m.end() :]).replace(" ,", ",").strip()


# --- the other kinds -------------------------------------------------------------------------------------


def plant_drop(side_kept: str):
    def plant(units: list[Unit], rng: random.Random, pool: Pool, story: Story) -> tuple[int, str] | None:
        """Drop the other side's sentence of a 1-1 bead."""
        k = rng.choice(_one_to_one(units))
        en, ru = units[k]
        units[k] = (en, ()) if side_kept == "en" else ((), ru)
        return k, side_kept

    return plant


def plant_meaning(units: list[Unit], rng: random.Random, pool: Pool, story: Story) -> tuple[int, str] | None:
    """Put a sentence of another story, of about the same length, in place of one side of a 1-1 bead."""
    k = rng.choice(_one_to_one(units))
    side = rng.choice(SIDES)
    old = units[k][SIDES.index(side)][0]
    others = [t for name, t in pool.sentences[side] if name != story.name]
    similar = [t for t in others if 2 / 3 <= len(t) / len(old) <= 3 / 2]
    _replace(units, k, side, rng.choice(similar or others))
    return k, side


def plant_boilerplate(units: list[Unit], rng: random.Random, pool: Pool, story: Story) -> tuple[int, str] | None:
    side = rng.choice(SIDES)
    titles = [t for t in pool.titles[side] if t != getattr(story, side)[0]]
    return insert_boilerplate(units, side, rng, titles), side


PLANT_KINDS = {
    "only_en": plant_drop("en"),
    "only_ru": plant_drop("ru"),
    "boilerplate": plant_boilerplate,
    "number": plant_number,
    "name": plant_name,
    "meaning": plant_meaning,
    "name_dropped": plant_name_drop,
}


def make_plant(story: Story, kind: str, seed: int, pool: Pool) -> Plant | None:
    units = story.units()
    planted = PLANT_KINDS[kind](units, story_rng(seed, "plant", kind, story.name), pool, story)
    if planted is None:
        return None
    k, side = planted
    before = story.units()[k][SIDES.index(side)] if kind in ("number", "name", "meaning", "name_dropped") else ()
    changed = from_units(story.name, units)
    index = changed.gold[k][SIDES.index(side)][0]
    return Plant(changed, DETECTED_AS.get(kind, kind), side, index, k, before[0] if before else "")


# --- planters --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Planter:
    """A planter module's interface: ``plant(story, kind, seed, others)``, ``others`` being the other stories."""

    name: str
    kinds: tuple[str, ...]
    plant: Callable[[Story, str, int, Sequence[Story]], Plant | None]


def _plant_a(story: Story, kind: str, seed: int, others: Sequence[Story]) -> Plant | None:
    return make_plant(story, kind, seed, Pool.of(others))


PLANTER_A = Planter("a", PLANTED + EXTRA, _plant_a)


def load_planter(name: str) -> Planter | str:
    """Planter a, or the module ``benchmarks.planter_<name>``; a string says why there is none."""
    if name == "a":
        return PLANTER_A
    module_name = f"{__package__}.planter_{name}"
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        if error.name != module_name:
            raise
        return f"planter {name!r} is not there yet ({module_name.replace('.', '/')}.py): skipped"
    return Planter(module.NAME, tuple(module.KINDS), module.plant)


def plant_problems(plant: Plant) -> list[str]:
    """What makes a plant unusable: a story whose gold does not cover it, or a planted sentence out of range."""
    story = plant.story
    problems = bead_problems(story.gold, len(story.en), len(story.ru))
    side = getattr(story, plant.side, None) if plant.side in SIDES else None
    if side is None or not 0 <= plant.index < len(side):
        problems.append(f"planted sentence {plant.side}[{plant.index}] is not in the story")
    elif not 0 <= plant.bead < len(story.gold) or plant.index not in story.gold[plant.bead][SIDES.index(plant.side)]:
        problems.append(f"gold bead {plant.bead} does not hold the planted sentence")
    return problems


# --- scoring ---------------------------------------------------------------------------------------------


@dataclass
class Tally:
    plants: Counter = field(default_factory=Counter)
    detected: Counter = field(default_factory=Counter)
    detected_any: Counter = field(default_factory=Counter)  # the planted sentence's bead carries some divergence
    reported: Counter = field(default_factory=Counter)  # (bead, kind) pairs, each kind counted once per bead
    correct: Counter = field(default_factory=Counter)
    faithful: int = 0  # untouched gold 1-1 pairs
    faithful_aligned: int = 0  # ... that come back as exactly that bead
    faithful_flagged: int = 0  # ... and carry a divergence anyway


def planted(plant: Plant) -> frozenset[int]:
    """Every sentence the plant put in or left without a counterpart, on its side: a cut or a block of
    furniture may run over several sentences (its gold null beads from the plant's bead on), each a correct
    report of the plant's kind."""
    if plant.kind not in ("only_en", "only_ru", "boilerplate"):
        return frozenset({plant.index})
    k = SIDES.index(plant.side)
    run = []
    for link in plant.story.gold[plant.bead:]:
        if link[1 - k] or not link[k]:
            break
        run.extend(link[k])
    return frozenset(run) | {plant.index}


def tally_plant(plant: Plant, beads: Sequence, tally: Tally, misses: list[str]) -> None:
    tally.plants[plant.kind] += 1
    sentences = planted(plant)
    for bead in beads:
        kinds = {str(d.kind) for d in bead.divergences}
        holds_plant = plant.index in (bead.en if plant.side == "en" else bead.ru)
        holds_planted = bool(sentences.intersection(bead.en if plant.side == "en" else bead.ru))
        for kind in kinds:
            tally.reported[kind] += 1
            tally.correct[kind] += holds_planted and kind == plant.kind
        if holds_plant:
            hit = plant.kind in kinds
            tally.detected[plant.kind] += hit
            tally.detected_any[plant.kind] += bool(kinds)
            if not hit:
                misses.append(_describe_miss(plant, bead, kinds))
    returned = {(b.en, b.ru): b for b in beads}
    for k, link in enumerate(plant.story.gold):
        if k == plant.bead or len(link[0]) != 1 or len(link[1]) != 1:
            continue
        tally.faithful += 1
        if link in returned:
            tally.faithful_aligned += 1
            tally.faithful_flagged += bool(returned[link].divergences)


def _describe_miss(plant: Plant, bead, kinds: set[str]) -> str:
    story = plant.story
    text = getattr(story, plant.side)[plant.index]
    lines = [f"{story.name} [{plant.kind}] {plant.side}[{plant.index}] in bead {list(bead.en)}-{list(bead.ru)}, "
             f"reported {sorted(kinds) or 'nothing'}"]
    if plant.before:
        lines.append(f"    was: {plant.before}")
    lines.append(f"    now: {text}")
    for side in SIDES:
        for i in getattr(bead, side):
            if (side, i) != (plant.side, plant.index):
                lines.append(f"    {side}[{i}]: {getattr(story, side)[i]}")
    return "\n".join(lines)


def _kind_rows(tally: Tally) -> list[list[object]]:
    rows = []
    for kind in KINDS:
        plants = tally.plants[kind]
        recall = tally.detected[kind] / plants if plants else None
        target = RECALL_TARGETS.get(kind)
        rows.append([
            kind, plants, tally.detected[kind], recall, f">= {target}" if target else "-",
            None if recall is None or target is None else recall >= target,
            tally.detected_any[kind] / plants if plants else None,
            tally.reported[kind], tally.correct[kind],
            tally.correct[kind] / tally.reported[kind] if tally.reported[kind] else None,
        ])
    reported, correct = sum(tally.reported.values()), sum(tally.correct.values())
    precision = correct / reported if reported else None
    rows.append([
        "all", sum(tally.plants.values()), sum(tally.detected.values()), None, f"precision >= {PRECISION_TARGET}",
        None if precision is None else precision >= PRECISION_TARGET, None, reported, correct, precision,
    ])
    return rows


def _flagged_row(label: Sequence[object], tally: Tally) -> list[object]:
    share = tally.faithful_flagged / tally.faithful_aligned if tally.faithful_aligned else None
    return [*label, tally.faithful, tally.faithful_aligned, tally.faithful_flagged, share, f"<= {FLAGGED_TARGET}",
            None if share is None else share <= FLAGGED_TARGET]


def _extra_row(part: str, extra: Tally, planted: Tally, kind: str) -> list[object] | None:
    found_as = DETECTED_AS[kind]
    plants, found = extra.plants[found_as], extra.detected[found_as]
    if not plants:
        return None
    reported, correct = sum(planted.reported.values()), sum(planted.correct.values())
    extra_reported, extra_correct = sum(extra.reported.values()), sum(extra.correct.values())
    total = reported + extra_reported
    return [kind, part, plants, found, found / plants, extra.detected_any[found_as] / plants,
            extra.reported[found_as], extra_correct, (correct + extra_correct) / total if total else None]


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.divergences", description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, help="only the first N stories")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument(
        "--planters", default=",".join(PLANTERS), help="comma-separated subset of " + ", ".join(PLANTERS)
    )
    parser.add_argument("--parts", default=",".join(PARTS), help="comma-separated subset of " + ", ".join(PARTS))
    everything = PLANTED + EXTRA
    parser.add_argument("--kinds", default=",".join(everything), help="comma-separated subset of " + ", ".join(everything))
    parser.add_argument("--show-misses", type=int, default=3, metavar="N",
                        help="print N missed plants per planter and kind, from the tuning part")
    args = parser.parse_args(argv)
    if not engine_ready():
        print("The engine (alignment.pipeline.align_texts) is not importable yet: nothing to measure.")
        return

    planters: list[Planter] = []
    for name in args.planters.split(","):
        planter = load_planter(name)
        if isinstance(planter, str):
            print(planter)
        else:
            planters.append(planter)
    parts = [p for p in PARTS if p in args.parts.split(",")]
    kinds = args.kinds.split(",")
    everyone = load_stories()  # other stories' headlines and sentences, whatever --limit says
    stories = dict(zip(PARTS, split(load_stories(limit=args.limit))))
    # Per planter and part: the passes, and each extra pass on its own: an extra pass's reports stay
    # out of the overall precision, where the faithful pairs' flags are already counted once per pass.
    tallies: dict[tuple[str, str, str], Tally] = {}
    misses: dict[tuple[str, str], list[str]] = {}
    failures: list[tuple[str, str]] = []
    with threadpool_limits(BLAS_THREADS):
        print(setting(shared_encoder().name))
        for planter in planters:
            missing = [k for k in kinds if k not in planter.kinds]
            if missing:
                print(f"planter {planter.name} plants no {', '.join(missing)}")
            for kind in (k for k in kinds if k in planter.kinds):
                for part in parts:
                    tally = tallies.setdefault((planter.name, part, kind if kind in EXTRA else "planted"), Tally())
                    where = f"planter {planter.name} / {part} / {kind}"
                    plants = _plants(planter, kind, stories[part], everyone, args.seed, where, failures)
                    print(f"planter {planter.name}, {kind}, {part}: "
                          f"{len(plants)} plants in {len(stories[part])} stories")
                    story_misses = misses.setdefault((planter.name, kind), []) if part == "tuning" else []
                    for plant in plants:
                        try:
                            result = align_with_engine(plant.story.en, plant.story.ru)
                        except Exception as error:  # a benchmark reports a crash and carries on
                            failures.append((f"{where} / {plant.story.name}", f"{type(error).__name__}: {error}"))
                            continue
                        tally_plant(plant, result.beads, tally, story_misses)

    for planter in planters:
        for part in parts:
            if (planter.name, part, "planted") not in tallies:
                continue
            print_table(
                f"Planted divergences, planter {planter.name}, {part_title(part)}: recall per kind, precision per "
                "kind and overall",
                ["kind", "plants", "found", "recall", "target", "met", "any kind", "reported", "correct", "precision"],
                _kind_rows(tallies[planter.name, part, "planted"]),
                notes=[
                    "found: a divergence of the plant's kind on a bead holding the planted sentence. any kind: that",
                    "bead carries some divergence. reported / correct: (bead, kind) reports over all passes, and those",
                    "of the planted kind on a bead holding a planted sentence (a cut or a block of furniture may",
                    "span several); every other report counts against precision. Targets hold for the held-out part.",
                ],
            )
    flagged = [_flagged_row([planter, part], tally) for (planter, part, kind), tally in tallies.items()
               if kind == "planted"]
    if flagged:
        print_table(
            "Faithful 1-1 pairs (untouched by the plant) flagged with any divergence",
            ["planter", "part", "untouched", "aligned as gold", "flagged", "share flagged", "target", "met"],
            flagged,
            notes=["Each faithful pair counts once per pass it is in. The target holds for the held-out part."],
        )
    extra_rows = [
        row
        for kind in EXTRA
        for part in parts
        if (extra := tallies.get(("a", part, kind)))
        and (row := _extra_row(part, extra, tallies.get(("a", part, "planted"), Tally()), kind))
    ]
    if extra_rows:
        print_table(
            "Beyond the issue's plants: a name dropped from one side, planter a (no target)",
            ["pass", "part", "plants", "found", "recall", "any kind", "name reports", "correct",
             "overall precision with it"],
            extra_rows,
            notes=[
                "name_dropped: a name both sides carry deleted on one side. Its reports stay out of the tables above;",
                "the last column is the overall precision if they were counted in it as a seventh pass.",
            ],
        )
    for (planter_name, kind), lines in misses.items():
        if lines and args.show_misses:
            print(f"\nMissed {kind} plants of planter {planter_name}, tuning part ({len(lines)}), "
                  f"the first {min(len(lines), args.show_misses)}:")
            print("\n".join(lines[: args.show_misses]))
    print_failures("plants crashed or were invalid (left out of every count above)", failures)


def _plants(planter: Planter, kind: str, stories: Sequence[Story], everyone: Sequence[Story], seed: int,
            where: str, failures: list[tuple[str, str]]) -> list[Plant]:
    """One plant per story where the planter finds a place; a crash or an invalid plant is a failure."""
    plants = []
    for story in stories:
        others = [s for s in everyone if s.name != story.name]
        try:
            plant = planter.plant(story, kind, seed, others)
        except Exception as error:  # a benchmark reports a crash and carries on
            failures.append((f"{where} / {story.name}", f"planting: {type(error).__name__}: {error}"))
            continue
        if plant is None:
            continue
        problems = plant_problems(plant)
        if problems:
            failures.extend((f"{where} / {story.name}", f"invalid plant: {p}") for p in problems)
            continue
        plants.append(plant)
    return plants


if __name__ == "__main__":
    main()
