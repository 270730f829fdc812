"""Tests for planter "b" (benchmarks/planter_b.py) on a few real development stories."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from benchmarks import planter_b as pb
from benchmarks.data import DEV_SET, load_stories
from tests.needs import need_data


@pytest.fixture(scope="module", autouse=True)
def dev_set():
    need_data(DEV_SET)

SEEDS = (0, 1, 2)


@pytest.fixture(scope="module")
def stories():
    return load_stories(limit=8)


def _others(stories, story):
    return [o for o in stories if o.name != story.name]


def _plants(stories, kind, seeds=SEEDS):
    out = []
    for seed in seeds:
        for s in stories:
            p = pb.plant(s, kind, seed, _others(stories, s))
            if p is not None:
                out.append((s, seed, p))
    return out


def _lines(story, side):
    return story.en if side == "en" else story.ru


def _check_gold(story):
    """The gold covers every sentence of both sides exactly once, in order."""
    en = [i for b in story.gold for i in b[0]]
    ru = [i for b in story.gold for i in b[1]]
    assert en == list(range(len(story.en)))
    assert ru == list(range(len(story.ru)))
    assert all(b[0] or b[1] for b in story.gold)


def _check_site(p):
    k = 0 if p.side == "en" else 1
    assert p.kind in pb.KINDS
    assert 0 <= p.bead < len(p.story.gold)
    assert p.index in p.story.gold[p.bead][k]


def test_interface():
    assert pb.NAME == "b"
    assert pb.KINDS == ("only_en", "only_ru", "boilerplate", "number", "name", "meaning")
    with pytest.raises(ValueError):
        pb.plant(None, "nonsense", 0, [])  # type: ignore[arg-type]


@pytest.mark.parametrize("kind", pb.KINDS)
def test_gold_and_site(stories, kind):
    plants = _plants(stories, kind)
    assert len(plants) >= len(stories), f"{kind}: too few plants"
    for _, _, p in plants:
        assert p.kind == kind
        _check_gold(p.story)
        _check_site(p)


@pytest.mark.parametrize("kind", ("only_en", "only_ru"))
def test_only_side(stories, kind):
    side = kind[-2:]
    where = set()
    for s, _, p in _plants(stories, kind):
        assert p.side == side
        assert p.before == ""
        en, ru = p.story.gold[p.bead]
        kept, gone = (en, ru) if side == "en" else (ru, en)
        assert len(kept) == 1 and gone == ()
        assert p.index != 0 and p.bead != 0  # never the headline
        # the kept side is unchanged, the other lost 1 to 3 sentences
        assert _lines(p.story, side) == _lines(s, side)
        other = "ru" if side == "en" else "en"
        lost = len(_lines(s, other)) - len(_lines(p.story, other))
        assert 1 <= lost <= 3
        nulls = [i for i, b in enumerate(p.story.gold) if not (b[0] and b[1])]
        assert nulls == list(range(p.bead, p.bead + lost))
        where.add(p.bead * 3 // len(p.story.gold))
    assert len(where) >= 2, "deletions should fall in different parts of the stories"


def test_boilerplate(stories):
    sides, sizes, places = Counter(), Counter(), Counter()
    for s, _, p in _plants(stories, "boilerplate", seeds=range(6)):
        inserted = len(_lines(p.story, p.side)) - len(_lines(s, p.side))
        assert 1 <= inserted <= 8
        other = "ru" if p.side == "en" else "en"
        assert _lines(p.story, other) == _lines(s, other)
        k = 0 if p.side == "en" else 1
        for j in range(p.bead, p.bead + inserted):
            bead = p.story.gold[j]
            assert len(bead[k]) == 1 and bead[1 - k] == (), "furniture must be a null bead"
        assert sum(1 for b in p.story.gold if not (b[0] and b[1])) == inserted
        lines = _lines(p.story, p.side)[p.index:p.index + inserted]
        assert all(line.strip() for line in lines) and len(set(lines)) == len(lines)
        for line in lines:  # never material from the story itself
            assert line not in _lines(s, p.side)
        if p.side == "ru":
            assert all(re.search("[А-Яа-яЁё]", line) for line in lines)
        sides[p.side] += 1
        sizes[inserted > 1] += 1
        places["top" if p.bead == 0 else "bottom" if p.bead + inserted == len(p.story.gold) else "middle"] += 1
    assert set(sides) == {"en", "ru"} and set(sizes) == {True, False} and len(places) == 3


def test_boilerplate_inventory():
    for lang in ("en", "ru"):
        lines = pb.boilerplate_lines(lang)
        assert len(set(lines)) >= 80
    assert not set(pb.boilerplate_lines("en")) & set(pb.boilerplate_lines("ru"))
    assert all(re.search("[А-Яа-яЁё]", line) for line in pb.boilerplate_lines("ru"))


def _untouched_but(s, p):
    """Only the planted sentence differs; everything else is the original story."""
    assert p.story.gold == s.gold
    other = "ru" if p.side == "en" else "en"
    assert _lines(p.story, other) == _lines(s, other)
    mine, orig = _lines(p.story, p.side), _lines(s, p.side)
    assert len(mine) == len(orig)
    diff = [i for i in range(len(orig)) if mine[i] != orig[i]]
    assert diff == [p.index]
    assert p.before == orig[p.index]
    assert len(p.story.gold[p.bead][0]) == 1 and len(p.story.gold[p.bead][1]) == 1


def _values(sentence, lang):
    return Counter(v for n in pb._numbers(sentence, lang) for v in n.values)


def test_number(stories):
    for s, _, p in _plants(stories, "number"):
        _untouched_but(s, p)
        b = p.story.gold[p.bead]
        en, ru = p.story.en[b[0][0]], p.story.ru[b[1][0]]
        oen, oru = s.en[b[0][0]], s.ru[b[1][0]]
        # before the plant the two sides shared a number; after it the numbers disagree
        assert set(_values(oen, "en")) & set(_values(oru, "ru"))
        assert _values(en, "en") != _values(oen, "en") or _values(ru, "ru") != _values(oru, "ru")
        assert set(_values(en, "en")) != set(_values(ru, "ru"))
        new = _lines(p.story, p.side)[p.index]
        assert re.sub(r"\d", "", new) != re.sub(r"\d", "", p.before) or new != p.before


def test_number_word_keeps_russian_case():
    from benchmarks.planter_b import _Num, _new_word
    import random
    n = _Num(0, 4, "двух", {pb.Decimal(2)}, True, "ru")
    assert set(_new_word(n, random.Random(0))) == {"трех", "четырех"}
    n = _Num(0, 4, "пяти", {pb.Decimal(5)}, True, "ru")
    assert all(w.endswith("и") for w in _new_word(n, random.Random(0)))


def test_name(stories):
    seen = 0
    for s, _, p in _plants(stories, "name"):
        _untouched_but(s, p)
        new = _lines(p.story, p.side)[p.index]
        b = p.story.gold[p.bead]
        other_sentence = p.story.ru[b[1][0]] if p.side == "en" else p.story.en[b[0][0]]
        table = pb._PERSON_CONS + pb._PERSON_INV + pb._PLACE_CONS + pb._PLACE_INV
        k = 0 if p.side == "en" else 1
        added = [pair for pair in table if pair[k] in new and pair[k] not in p.before]
        assert len(added) == 1, (p.before, new)
        en_name, ru_name = added[0]
        # the new name is on one side only
        assert (ru_name if p.side == "en" else en_name) not in other_sentence
        assert (en_name if p.side == "en" else ru_name) in new
        seen += 1
    assert seen >= 10


def test_transliteration_matching():
    assert pb._matches(pb._key("Warren"), "Уоррен")
    assert pb._matches(pb._key("Trump"), "Трампа")
    assert pb._matches(pb._key("Geoff"), "Джефф")
    assert not pb._matches(pb._key("Warren"), "Трампа")


def test_meaning(stories):
    changed = []
    for s, _, p in _plants(stories, "meaning"):
        _untouched_but(s, p)
        new = _lines(p.story, p.side)[p.index]
        assert new.strip() and new != p.before
        assert 0.4 <= len(new) / len(p.before) <= 2.5
        import difflib
        changed.append(difflib.SequenceMatcher(None, p.before, new).ratio() > 0.6)
    assert any(changed) and not all(changed), "expected both edited and replaced sentences"


def test_meaning_strategies():
    import random
    assert pb._negate_en("The minister was happy with the result.", random.Random(0)) == \
        "The minister was not happy with the result."
    assert pb._negate_ru("Министр заявил, что доволен.", random.Random(0)) == "Министр не заявил, что доволен."
    assert pb._swap_word("Prices rose in May.", pb._EN_ANTONYMS, random.Random(0)) == "Prices fell in May."


@pytest.mark.parametrize("kind", pb.KINDS)
def test_deterministic(stories, kind):
    for s in stories[:4]:
        a = pb.plant(s, kind, 7, _others(stories, s))
        b = pb.plant(s, kind, 7, list(reversed(_others(stories, s))))
        assert a == b


@pytest.mark.parametrize("kind", pb.KINDS)
def test_seeds_differ(stories, kind):
    by_seed = [[pb.plant(s, kind, seed, _others(stories, s)) for s in stories] for seed in (0, 1, 2)]
    assert by_seed[0] != by_seed[1] or by_seed[1] != by_seed[2]
    assert len({repr(x) for x in by_seed}) >= 2


def test_never_from_own_story(stories):
    s = stories[0]
    for seed in range(8):
        p = pb.plant(s, "boilerplate", seed, [s])  # the story itself is not material
        assert p is not None
        inserted = len(_lines(p.story, p.side)) - len(_lines(s, p.side))
        assert not set(_lines(p.story, p.side)[p.index:p.index + inserted]) & set(_lines(s, p.side))
