"""Plant moved passages into real 1-1 aligned stories: the cases for measuring Sverka's "moved" reports.

Written by a helper session (Claude, an AI model) from its brief alone, without reading the detector
(alignment/) or the other files of benchmarks/, so that these cases owe nothing to either. The kinds of move
come from reading the ntrex128_en-ru stories and from how news desks re-edit a story for another edition:

- a quote, or the "X said" sentence that carries it, pulled up towards the top (sometimes pushed down);
- background (what happened last year, who someone was) pushed down, often to the very end;
- the lead sentence, or the first two, pushed down the story;
- the last paragraph pulled up;
- now and then any paragraph of one to three sentences, up or down.

A move takes one to three consecutive sentences of one side past ``shift`` other sentences of that side; the
other side is untouched. The first line of a story is its headline (every ntrex128 story starts with one), and
no edition moves a paragraph above its headline, so that line stays where it is. A move always jumps over more
sentences than it carries: otherwise the sentences it jumps over, moved the other way, would describe the same
change at least as well, and the answer key would name a passage that a reader would not call the moved one.
Two moves in one story rearrange disjoint stretches of it, counted in positions of either side, so that each
can be found, and scored, on its own.

Every random choice is drawn from the ``rng`` given, so a seed fixes the whole set of cases.
"""

import random
import re
from collections.abc import Callable
from dataclasses import dataclass

SIDES = ("en", "ru")
HEADLINE = 1
MIN_SHIFT = 2
LENGTHS = (1, 2, 3)
LENGTH_WEIGHTS = (0.5, 0.3, 0.2)  # a moved paragraph is most often one sentence long in these stories
SECOND_MOVE = 0.35  # the chance that a story with room for it gets a second move

# Attribution: a speech verb in either language (the sides are translations, so either one's marks the pair), or
# a quotation of four words or more in English. Short quoted bits are names and scare quotes ("Don Goyo",
# "folly"), and Russian guillemets enclose the names of companies and ships as often as speech.
_SPEECH = re.compile(
    r"\b(?:said|says|say|told|added|asked|explained|noted|stated|according to)\b"
    r"|\b(?:сказал|заявил|отметил|добавил|пояснил|подчеркнул|признал|спросил)\w*|\bпо (?:его |её |ее |их )?словам\b",
    re.IGNORECASE,
)
_QUOTED = re.compile(r'["“]([^"“”]*)["”]')
_BACKGROUND = re.compile(
    r"\b(?:last (?:year|month|week)|earlier|previously|had been|ago|since|former(?:ly)?|in (?:19|20)\d\d)\b"
    r"|\b(?:ранее|раньше|в прошлом году|назад|с тех пор|бывш\w*|в (?:19|20)\d\d)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Move:
    """``length`` sentences from ``start`` taken ``shift`` sentences down (positive) or up (negative)."""

    side: str
    start: int
    length: int
    shift: int

    @property
    def stretch(self) -> tuple[int, int]:
        """The positions the move rearranges, half open: the passage and the sentences it jumps over."""
        end = self.start + self.length
        return (self.start, end + self.shift) if self.shift > 0 else (self.start + self.shift, end)

    def apply(self, sentences: list[str]) -> list[str]:
        lo, hi = self.stretch
        end = self.start + self.length
        passage = sentences[self.start:end]
        rest = sentences[end:hi] if self.shift > 0 else sentences[lo:self.start]
        moved = rest + passage if self.shift > 0 else passage + rest
        return sentences[:lo] + moved + sentences[hi:]

    def record(self) -> dict:
        return {
            "side": self.side,
            "from": list(range(self.start, self.start + self.length)),
            "to": list(range(self.start + self.shift, self.start + self.shift + self.length)),
        }


@dataclass(frozen=True)
class _Kind:
    """What moves, and how an editor tends to move it."""

    name: str
    weight: float
    up: float  # the chance it moves up, when both ways fit
    far: float  # the chance it goes as far as it can: to the top of the body or to the end of the story
    marks: Callable[[str, str], bool] | None = None  # the sentences it is made of, if not any
    at: str = "anywhere"  # "lead": the first sentences of the body; "ending": the last ones

    def spans(self, en: list[str], ru: list[str], length: int) -> list[int]:
        """Starts of the passages of ``length`` sentences that this kind can move."""
        starts = range(HEADLINE, len(en) - length + 1)
        if self.at == "lead":
            return list(starts[:1]) if length <= 2 else []
        if self.at == "ending":
            return list(starts[-1:])
        if self.marks is None:
            return list(starts)
        marked = [self.marks(e, r) for e, r in zip(en, ru)]
        return [s for s in starts if all(marked[s:s + length])]


def _is_quote(en: str, ru: str) -> bool:
    if _SPEECH.search(en) or _SPEECH.search(ru):
        return True
    return any(len(quoted.split()) >= 4 for quoted in _QUOTED.findall(en))


def _is_background(en: str, ru: str) -> bool:
    return bool(_BACKGROUND.search(en) or _BACKGROUND.search(ru)) and not _is_quote(en, ru)


KINDS = (
    _Kind("quote", weight=0.3, up=0.75, far=0.3, marks=_is_quote),
    _Kind("background", weight=0.2, up=0.2, far=0.5, marks=_is_background),
    _Kind("lead", weight=0.15, up=0.0, far=0.3, at="lead"),
    _Kind("ending", weight=0.15, up=1.0, far=0.4, at="ending"),
    _Kind("paragraph", weight=0.2, up=0.5, far=0.2),
)


def _room(start: int, length: int, n: int, taken: list[tuple[int, int]]) -> tuple[int, int] | None:
    """How far a passage can move (up, down) without touching the headline or another move's stretch."""
    end = start + length
    if any(lo < end and start < hi for lo, hi in taken):
        return None
    top = max([HEADLINE] + [hi for lo, hi in taken if hi <= start])
    bottom = min([n] + [lo for lo, hi in taken if lo >= end])
    return start - top, bottom - end


def _shift(room: int, length: int, far: float, rng: random.Random) -> int:
    low = max(MIN_SHIFT, length + 1)
    if rng.random() < far:
        return room
    if rng.random() < 0.5:
        return rng.randint(low, min(room, low + 2))
    return rng.randint(low, room)


def _options(
    kind: _Kind, en: list[str], ru: list[str], taken: list[tuple[int, int]]
) -> dict[int, list[tuple[int, int, int]]]:
    """For each length, the (start, up room, down room) of the passages this kind could move far enough."""
    options = {}
    for length in LENGTHS:
        low = max(MIN_SHIFT, length + 1)
        fits = []
        for start in kind.spans(en, ru, length):
            room = _room(start, length, len(en), taken)
            if room is None:
                continue
            up = room[0] if kind.up > 0 and room[0] >= low else 0
            down = room[1] if kind.up < 1 and room[1] >= low else 0
            if up or down:
                fits.append((start, up, down))
        if fits:
            options[length] = fits
    return options


def _choose(en: list[str], ru: list[str], taken: list[tuple[int, int]], rng: random.Random) -> Move | None:
    kinds = [(kind, options) for kind in KINDS if (options := _options(kind, en, ru, taken))]
    if not kinds:
        return None
    kind, options = rng.choices(kinds, weights=[kind.weight for kind, _ in kinds])[0]
    lengths = sorted(options)
    length = rng.choices(lengths, weights=[LENGTH_WEIGHTS[length - 1] for length in lengths])[0]
    start, up, down = rng.choice(options[length])
    goes_up = bool(up) and (not down or rng.random() < kind.up)
    shift = _shift(up if goes_up else down, length, kind.far, rng)
    return Move(rng.choice(SIDES), start, length, -shift if goes_up else shift)


def plant_moves(en: list[str], ru: list[str], rng: random.Random) -> tuple[list[str], list[str], list[dict]]:
    """Move one or two passages of a story aligned 1-1 (``en[i]`` translates ``ru[i]``).

    Returns the new English and Russian sentences and one record per move: ``{"side": "en" | "ru", "from":
    [positions in the original list of that side], "to": [their positions in the new list]}``. A story too
    short for any move comes back unchanged (as new lists) with no records.
    """
    if len(en) != len(ru):
        raise ValueError(f"a story aligned 1-1 has as many sentences on each side, not {len(en)} and {len(ru)}")
    sides = {"en": list(en), "ru": list(ru)}
    moves: list[Move] = []
    for _ in range(2 if rng.random() < SECOND_MOVE else 1):
        move = _choose(en, ru, [move.stretch for move in moves], rng)
        if move is None:
            break
        moves.append(move)
    # Stretches are disjoint and each move keeps to its own, so two moves on one side apply in either order.
    for move in moves:
        sides[move.side] = move.apply(sides[move.side])
    return sides["en"], sides["ru"], [move.record() for move in moves]


def _check(en: list[str], ru: list[str], new_en: list[str], new_ru: list[str], records: list[dict]) -> None:
    old = {"en": en, "ru": ru}
    new = {"en": new_en, "ru": new_ru}
    stretches = []
    for record in records:
        side, frm, to = record["side"], record["from"], record["to"]
        assert set(record) == {"side", "from", "to"} and side in SIDES, record
        assert 1 <= len(frm) <= 3 and frm == list(range(frm[0], frm[0] + len(frm))), record
        assert to == list(range(to[0], to[0] + len(to))) and len(to) == len(frm), record
        assert abs(to[0] - frm[0]) >= max(MIN_SHIFT, len(frm) + 1), record
        assert frm[0] >= HEADLINE and to[0] >= HEADLINE, record
        for k in range(len(frm)):
            assert new[side][to[k]] == old[side][frm[k]], record
        stretches.append((min(frm[0], to[0]), max(frm[-1], to[-1]) + 1))
    stretches.sort()
    assert all(a[1] <= b[0] for a, b in zip(stretches, stretches[1:])), records
    for side in SIDES:
        mine = [record for record in records if record["side"] == side]
        moved_from = {i for record in mine for i in record["from"]}
        moved_to = {i for record in mine for i in record["to"]}
        # Whatever did not move keeps its order: the moves are the whole difference between the two lists.
        assert [s for i, s in enumerate(new[side]) if i not in moved_to] == [
            s for i, s in enumerate(old[side]) if i not in moved_from
        ], side
        assert len(new[side]) == len(old[side])


if __name__ == "__main__":
    story = [
        ("Town council votes to close the old bridge", "Городской совет проголосовал за закрытие старого моста"),
        ("The council voted on Tuesday to close the Mill Street bridge.", "Совет во вторник решил закрыть мост."),
        ("The vote was seven to two.", "Решение приняли семью голосами против двух."),
        ('"It is simply not safe any more," the mayor said.', "«Он просто больше не безопасен», — сказал мэр."),
        ("Engineers found cracks in two of its piers.", "Инженеры обнаружили трещины в двух его опорах."),
        ("The bridge was built in 1911.", "Мост был построен в 1911 году."),
        ("It had been repaired twice since then.", "С тех пор его дважды ремонтировали."),
        ("Shop owners on Mill Street oppose the closure.", "Владельцы магазинов на Милл-стрит против закрытия."),
        ('"We will lose half our trade," one of them said.', "«Мы потеряем половину покупателей», — сказал один."),
        ("A temporary footbridge will open in May.", "Временный пешеходный мост откроется в мае."),
        ("Work on a new bridge could start next year.", "Работы над новым мостом могут начаться в следующем году."),
    ]
    en, ru = [e for e, _ in story], [r for _, r in story]
    seen = set()
    for seed in range(2000):
        new_en, new_ru, records = plant_moves(en, ru, random.Random(seed))
        _check(en, ru, new_en, new_ru, records)
        assert records and (new_en, new_ru) != (en, ru)
        assert (new_en, new_ru, records) == plant_moves(en, ru, random.Random(seed))
        seen |= {(r["side"], "up" if r["to"][0] < r["from"][0] else "down", len(r["from"])) for r in records}
        seen.add(("count", len(records)))
        seen |= {("shift", abs(r["to"][0] - r["from"][0])) for r in records}
    assert {(side, way, length) for side in SIDES for way in ("up", "down") for length in LENGTHS} <= seen, seen
    assert {("count", 1), ("count", 2), ("shift", 2), ("shift", len(en) - HEADLINE - 1)} <= seen, seen
    assert story == [(e, r) for e, r in zip(en, ru)], "the input lists were changed"
    for short in (en[:3], en[:1], []):
        assert plant_moves(short, short, random.Random(0)) == (short, short, [])
    assert plant_moves(en[:4], ru[:4], random.Random(0))[2], "a body of three sentences holds a shift of two"
    print("moved_planter_b: 2000 seeds, every move record consistent")
