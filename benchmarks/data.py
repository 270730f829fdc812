"""The development set, and the harder variants made from it with a fixed seed.

A story is held as two sentence lists plus its gold beads. The transforms work on *units*: one gold bead
each, as ``(en_sentences, ru_sentences)``. They edit a list of units and rebuild the story from it, so the
gold always follows the text: beads in order, every sentence in exactly one bead, null beads included.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
DEV_SET = DATA / "ntrex128_en-ru"
LITERARY_SET = DATA / "anna_karenina_val_en-ru"
DEFAULT_SEED = 13
# Which documents are tuned on and which are held out is fixed here, once, for every benchmark: a rule is
# tuned on the first part, and the figures quoted are the second's.
SPLIT_SEED = 20261207
HELD_OUT_SHARE = 0.4
PARTS = ("tuning", "held-out")

Link = tuple[tuple[int, ...], tuple[int, ...]]
Unit = tuple[tuple[str, ...], tuple[str, ...]]


@dataclass(frozen=True)
class Story:
    name: str
    en: tuple[str, ...]
    ru: tuple[str, ...]
    gold: tuple[Link, ...]

    @property
    def en_text(self) -> str:
        return "\n".join(self.en) + "\n"

    @property
    def ru_text(self) -> str:
        return "\n".join(self.ru) + "\n"

    @property
    def title(self) -> tuple[str, str]:
        """The headline on each side: the first line of an NTREX story."""
        return self.en[0], self.ru[0]

    def units(self) -> list[Unit]:
        return [(tuple(self.en[i] for i in e), tuple(self.ru[j] for j in r)) for e, r in self.gold]


def from_units(name: str, units: Iterable[Unit]) -> Story:
    en: list[str] = []
    ru: list[str] = []
    gold: list[Link] = []
    for en_part, ru_part in units:
        gold.append((tuple(range(len(en), len(en) + len(en_part))), tuple(range(len(ru), len(ru) + len(ru_part)))))
        en.extend(en_part)
        ru.extend(ru_part)
    return Story(name, tuple(en), tuple(ru), tuple(gold))


def load_stories(root: Path = DEV_SET, limit: int | None = None) -> list[Story]:
    stories = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir())[:limit]:
        gold = json.loads((folder / "gold.json").read_text(encoding="utf-8"))
        stories.append(
            Story(
                name=folder.name,
                en=tuple((folder / "en.txt").read_text(encoding="utf-8").splitlines()),
                ru=tuple((folder / "ru.txt").read_text(encoding="utf-8").splitlines()),
                gold=tuple((tuple(e), tuple(r)) for e, r in gold),
            )
        )
    return stories


def split(stories: Sequence[Story], seed: int = SPLIT_SEED) -> tuple[list[Story], list[Story]]:
    """(tuning part, held-out part): a fixed share of the documents held out, chosen by ``seed`` from their
    names alone, so a document stays on its side whatever else is loaded (``--limit`` included)."""
    def held_out(story: Story) -> bool:
        return random.Random(f"{seed}:{story.name}").random() < HELD_OUT_SHARE

    return [s for s in stories if not held_out(s)], [s for s in stories if held_out(s)]


def story_rng(seed: int, *parts: object) -> random.Random:
    """One generator per story and purpose, so a story's variant does not depend on --limit."""
    return random.Random(":".join(str(p) for p in (seed, *parts)))


# Boilerplate that real article pairs carry on one side only. "{title}" is another story's headline.
BOILERPLATE = {
    "en": (
        "Sign up for our daily newsletter to get the top stories in your inbox.",
        "Read more: {title}",
        "Support independent journalism: make a donation today.",
        "Photo: Reuters",
        "Photo: Getty Images",
        "Follow us on Twitter and Facebook for the latest updates.",
        "Related: {title}",
    ),
    "ru": (
        "Подпишитесь на нашу ежедневную рассылку, чтобы получать главные новости.",
        "Читайте также: {title}",
        "Поддержите независимую журналистику — сделайте пожертвование.",
        "Фото: ТАСС",
        "Фото: РИА Новости",
        "Подпишитесь на наш Telegram",
        "Подробнее: {title}",
    ),
}


def boilerplate_line(side: str, rng: random.Random, titles: Sequence[str]) -> str:
    line = rng.choice(BOILERPLATE[side])
    return line.format(title=rng.choice(titles)) if "{title}" in line else line


def insert_boilerplate(units: list[Unit], side: str, rng: random.Random, titles: Sequence[str]) -> int:
    """Insert one boilerplate line as a null bead; return the unit's position."""
    line = (boilerplate_line(side, rng, titles),)
    position = rng.randint(0, len(units))
    units.insert(position, (line, ()) if side == "en" else ((), line))
    return position


@dataclass(frozen=True)
class HardRates:
    drop: float = 0.05  # chance that a bead loses one side
    merge: float = 0.05  # chance that a merged bead starts here; it takes 2-3 beads, so ~10% of sentences
    extra_boilerplate: float = 0.25  # every story gets one boilerplate line, some a second


def _merge(group: Sequence[Unit], rng: random.Random) -> Unit:
    en = [s for u in group for s in u[0]]
    ru = [s for u in group for s in u[1]]
    if len(group) == 3 and rng.random() < 0.5:
        # A 2-2 bead: the boundaries cross, (a b)(c) against (a)(b c).
        if rng.random() < 0.5:
            return (f"{en[0]} {en[1]}", en[2]), (ru[0], f"{ru[1]} {ru[2]}")
        return (en[0], f"{en[1]} {en[2]}"), (f"{ru[0]} {ru[1]}", ru[2])
    if rng.random() < 0.5:
        return (" ".join(en),), tuple(ru)
    return tuple(en), (" ".join(ru),)


def make_hard(story: Story, seed: int, titles: Sequence[tuple[str, str]], rates: HardRates = HardRates()) -> Story:
    """Merge neighbouring sentences, drop some, insert boilerplate: 2-1, 1-2, 3-1, 2-2, 1-0 and 0-1 beads.

    ``titles`` holds (en, ru) headlines of other stories, for "Read more: ..." lines.
    """
    rng = story_rng(seed, "hard", story.name)
    source = story.units()
    units: list[Unit] = []
    i = 0
    while i < len(source):
        roll = rng.random()
        if roll < rates.drop:
            en, ru = source[i]
            units.append((en, ()) if rng.random() < 0.5 else ((), ru))
            i += 1
            continue
        if roll < rates.drop + rates.merge:
            size = 2 if rng.random() < 0.8 else 3
            if i + size <= len(source):
                units.append(_merge(source[i : i + size], rng))
                i += size
                continue
        units.append(source[i])
        i += 1
    others = [t for t in titles if t != story.title] or list(titles)
    for _ in range(1 + (rng.random() < rates.extra_boilerplate)):
        side = rng.choice(("en", "ru"))
        insert_boilerplate(units, side, rng, [t[0 if side == "en" else 1] for t in others])
    return from_units(story.name, units)


def hard_variant(stories: Sequence[Story], seed: int = DEFAULT_SEED) -> list[Story]:
    titles = [s.title for s in stories]
    return [make_hard(s, seed, titles) for s in stories]


def concatenate(name: str, stories: Iterable[Story]) -> Story:
    return from_units(name, (u for s in stories for u in s.units()))


def long_story(stories: Sequence[Story], min_sentences: int, seed: int = DEFAULT_SEED) -> Story:
    """Hard-variant stories end to end until the English side has ``min_sentences``.

    Past the end of the set it starts again with the next seed, so repeats are not merged and dropped alike,
    and tags every sentence of the k-th repeat with " (k)" on both sides: no text occurs twice, so an aligner
    that embeds each distinct text once still embeds them all.
    """
    parts: list[Story] = []
    count = 0
    cycle = 0
    while count < min_sentences:
        for story in hard_variant(stories, seed + cycle):
            if cycle:
                tag = f" ({cycle + 1})"
                tagged = ((tuple(s + tag for s in e), tuple(s + tag for s in r)) for e, r in story.units())
                story = from_units(story.name, tagged)
            parts.append(story)
            count += len(story.en)
            if count >= min_sentences:
                break
        cycle += 1
    return concatenate(f"{len(parts)} stories", parts)


def bead_shapes(stories: Iterable[Story]) -> Counter[str]:
    return Counter(f"{len(e)}-{len(r)}" for s in stories for e, r in s.gold)


def shape_summary(stories: Sequence[Story]) -> str:
    shapes = bead_shapes(stories)
    order = sorted(shapes, key=lambda k: (-shapes[k], k))
    en = sum(len(s.en) for s in stories)
    ru = sum(len(s.ru) for s in stories)
    counts = ", ".join(f"{k}: {shapes[k]}" for k in order)
    return f"{len(stories)} stories, {en} en x {ru} ru sentences, beads {counts}"
