"""Moved passages: unpaired sentences in one place matched to unpaired sentences in another, reported as one
move instead of content only one side has."""

import json

import numpy as np
import pytest

from alignment.pipeline import AlignConfig, align_texts
from alignment.pipeline.diverge import Move, SideView, find_divergences, find_moves
from alignment.pipeline.types import Bead, Kind, Sentence
from tests.conftest import dev_story

DIM = 64


def vectors(*rows):
    """Unit vectors from (topic, weight) mixes over a fixed random basis: equal topics make translations."""
    basis = np.random.default_rng(7).normal(size=(40, DIM))
    out = np.array([sum(w * basis[t] for t, w in row) for row in rows], dtype=np.float32)
    return out / np.linalg.norm(out, axis=1, keepdims=True)


def view(vecs, keys=None, furniture=(), words=None):
    """A side of sentences of 60 characters and 10 words (``words`` for others), with ``keys``."""
    n = len(vecs)
    words = words or [10] * n
    return SideView(vecs, np.array([6.0 * w for w in words]), words, keys or [frozenset()] * n, frozenset(furniture))


def side(topics, keys=None, furniture=(), words=None):
    return view(vectors(*[[(t, 1.0)] for t in topics]), keys, furniture, words)


def paired(i, j):
    return Bead((i,), (j,), 0.9, 0.8)


def lone_en(i):
    return Bead((i,), (), 0.0, 0.0)


def lone_ru(j):
    return Bead((), (j,), 0.0, 0.0)


def test_a_sentence_moved_down_is_one_move():
    # English keeps topic 0 on top; the Russian tells it after topics 1..4.
    en, ru = side([0, 1, 2, 3, 4]), side([1, 2, 3, 4, 0])
    beads = [lone_en(0), paired(1, 0), paired(2, 1), paired(3, 2), paired(4, 3), lone_ru(4)]
    assert find_moves(beads, en, ru)[1] == (Move((0,), (4,)),)


def test_consecutive_sentences_moved_together_are_one_move():
    en, ru = side([0, 1, 2, 3, 4, 5]), side([2, 3, 4, 5, 0, 1])
    beads = [lone_en(0), lone_en(1), paired(2, 0), paired(3, 1), paired(4, 2), paired(5, 3), lone_ru(4), lone_ru(5)]
    assert find_moves(beads, en, ru)[1] == (Move((0, 1), (4, 5)),)


def test_a_moved_sentence_a_merged_bead_took_in_is_set_apart_and_found():
    # The Russian tells topic 0 after topic 3, and the aligner merged it into topic 3's bead.
    en, ru = side([0, 1, 2, 3, 4]), side([1, 2, 3, 0, 4])
    beads = [lone_en(0), paired(1, 0), paired(2, 1), Bead((3,), (2, 3), 0.7, 0.6), paired(4, 4)]
    found, moves = find_moves(beads, en, ru)
    assert [(b.en, b.ru) for b in found] == [((0,), ()), ((1,), (0,)), ((2,), (1,)), ((3,), (2,)), ((), (3,)),
                                             ((4,), (4,))]
    assert found[3].similarity == pytest.approx(1.0)
    assert moves == (Move((0,), (3,)),)


def test_a_moved_sentence_paired_with_a_neighbour_is_set_apart_and_the_neighbour_left_unpaired():
    # The Russian tells topic 0 last and lacks topic 4, whose English sentence the aligner gave it.
    en, ru = side([0, 1, 2, 3, 4]), side([1, 2, 3, 0])
    beads = [lone_en(0), paired(1, 0), paired(2, 1), paired(3, 2), paired(4, 3)]
    found, moves = find_moves(beads, en, ru)
    assert [(b.en, b.ru) for b in found] == [((0,), ()), ((1,), (0,)), ((2,), (1,)), ((3,), (2,)), ((), (3,)),
                                             ((4,), ())]
    assert moves == (Move((0,), (3,)),)


def test_a_pair_stays_a_pair_when_a_lone_sentence_elsewhere_says_the_same_again():
    # English 0 is closer to the lone Russian 4 than to its own partner, Russian 0, whose best match it still is:
    # two translations of one sentence (a headline and a lead), no move.
    en = view(vectors([(0, 1.0), (5, 0.3)], [(1, 1.0)], [(2, 1.0)], [(3, 1.0)]))
    ru = view(vectors([(0, 1.0), (5, 0.8)], [(1, 1.0)], [(2, 1.0)], [(3, 1.0)], [(0, 1.0)]))
    beads = [paired(0, 0), paired(1, 1), paired(2, 2), paired(3, 3), lone_ru(4)]
    assert find_moves(beads, en, ru) == (tuple(beads), ())


def test_a_merged_bead_keeps_a_sentence_whose_match_is_unpaired_at_the_same_place():
    en, ru = side([0, 1, 2, 3]), side([0, 1, 2, 3])
    beads = [paired(0, 0), lone_en(1), Bead((2,), (1, 2), 0.7, 0.6), paired(3, 3)]
    found, moves = find_moves(beads, en, ru)
    assert found == tuple(beads) and moves == ()


def test_a_line_of_a_few_words_is_no_move_on_its_own_but_joins_a_move_beside_it():
    en, ru = side([0, 1, 2, 3, 4, 5], words=[3, 10, 10, 10, 10, 10]), side([2, 3, 4, 5, 0, 1], words=[10] * 6)
    beads = [lone_en(0), lone_en(1), paired(2, 0), paired(3, 1), paired(4, 2), paired(5, 3), lone_ru(4), lone_ru(5)]
    assert find_moves(beads, en, ru)[1] == (Move((0, 1), (4, 5)),)
    alone = [lone_en(0), paired(1, 0), paired(2, 1), paired(3, 2), paired(4, 3), lone_ru(4)]
    assert find_moves(alone, side([0, 1, 2, 3, 4], words=[3, 10, 10, 10, 10]), side([1, 2, 3, 4, 0]))[1] == ()


def test_half_of_a_translators_merge_stays_in_its_bead():
    # Russian 2 and 3 together translate English 3; English 0, unpaired, is closest to Russian 3 all the same.
    en = view(vectors([(3, 0.8), (6, 0.2)], [(1, 1.0)], [(2, 1.0)], [(3, 1.0), (6, 1.0)], [(4, 1.0)]))
    ru = view(vectors([(1, 1.0)], [(2, 1.0)], [(6, 1.0)], [(3, 1.0)], [(4, 1.0)]))
    beads = [lone_en(0), paired(1, 0), paired(2, 1), Bead((3,), (2, 3), 0.7, 0.6), paired(4, 4)]
    assert find_moves(beads, en, ru)[0] == tuple(beads)


def test_a_sentence_cut_here_and_another_added_there_is_no_move():
    en, ru = side([0, 1, 2, 3, 4]), side([1, 2, 3, 4, 9])
    beads = [lone_en(0), paired(1, 0), paired(2, 1), paired(3, 2), paired(4, 3), lone_ru(4)]
    assert find_moves(beads, en, ru)[1] == ()


def test_a_match_unpaired_at_one_and_the_same_place_is_no_move():
    en, ru = side([0, 1, 2, 3]), side([0, 1, 2, 3])
    beads = [paired(0, 0), lone_en(1), lone_ru(1), paired(2, 2), paired(3, 3)]
    assert find_moves(beads, en, ru)[1] == ()


def test_furniture_on_both_sides_does_not_move():
    en, ru = side([0, 1, 2, 3, 4], furniture={0}), side([1, 2, 3, 4, 0], furniture={4})
    beads = [lone_en(0), paired(1, 0), paired(2, 1), paired(3, 2), paired(4, 3), lone_ru(4)]
    assert find_moves(beads, en, ru)[1] == ()


def test_numbers_that_agree_carry_a_loose_match_and_numbers_that_clash_keep_it_apart():
    # The Russian sentence says a good deal more than the English one: as loose as a move may be.
    en = side([0, 1, 2, 3, 4], keys=[frozenset({"#41"}), *[frozenset()] * 4])
    ru_vecs = vectors([(1, 1.0)], [(2, 1.0)], [(3, 1.0)], [(4, 1.0)], [(0, 1.0), (9, 0.9)])
    beads = [lone_en(0), paired(1, 0), paired(2, 1), paired(3, 2), paired(4, 3), lone_ru(4)]

    def moves(number):
        ru = view(ru_vecs, [*[frozenset()] * 4, frozenset({number})])
        return find_moves(beads, en, ru)[1]

    assert moves("#41") == (Move((0,), (4,)),)
    assert moves("#17") == ()


def sentences(texts):
    out, at = [], 0
    for k, text in enumerate(texts):
        out.append(Sentence(k, text, at, at + len(text), 0))
        at += len(text) + 1
    return tuple(out)


def test_each_side_of_a_move_names_the_other_as_its_counterpart():
    en = sentences(["A quote moved up.", "One.", "Two.", "Three."])
    ru = sentences(["Один.", "Два.", "Три.", "Цитата, перенесённая вверх."])
    beads = [lone_en(0), paired(1, 0), paired(2, 1), paired(3, 2), lone_ru(3)]
    found = find_divergences(beads, en, ru, moves=[Move((0,), (3,))])
    first, last = found[0].divergences, found[-1].divergences
    assert [d.kind for d in first] == [Kind.MOVED] and [d.kind for d in last] == [Kind.MOVED]
    assert (first[0].en_counterpart, first[0].ru_counterpart) == ((), (3,))
    assert (last[0].en_counterpart, last[0].ru_counterpart) == ((0,), ())
    assert first[0].en_spans == ((0, len("A quote moved up.")),) and first[0].ru_spans == ()
    assert first[0].reason == "Moved: the Russian version has this at sentence 4"
    assert last[0].reason == "Moved: the English version has this at sentence 1"


def test_a_move_whose_sentences_are_paired_now_is_only_content_one_side_has():
    # A correction paired the Russian sentence since the run found the move.
    en = sentences(["A quote moved up.", "One.", "Two."])
    ru = sentences(["Один.", "Два.", "Цитата."])
    beads = [lone_en(0), paired(1, 0), Bead((2,), (1, 2), 0.9, 0.8)]
    found = find_divergences(beads, en, ru, moves=[Move((0,), (2,))])
    assert [d.kind for d in found[0].divergences] == [Kind.ONLY_EN]


@pytest.fixture(scope="module")
def moved_story():
    """A development story with its second English sentence told last: the aligner leaves it unpaired at the end,
    and its Russian counterpart unpaired near the top."""
    en, ru, _ = dev_story("bbc.381692")
    return en[:1] + en[2:] + en[1:2], ru


def test_the_pipeline_reports_a_real_move_and_its_json_names_the_counterpart(moved_story):
    en, ru = moved_story
    result = align_texts(en, ru, AlignConfig(presegmented=True))
    moved = [(b, d) for b in result.beads for d in b.divergences if d.kind == Kind.MOVED]
    assert sorted((b.en, b.ru) for b, _ in moved) == [((), (1,)), ((len(en) - 1,), ())]
    assert not any(d.kind in (Kind.ONLY_EN, Kind.ONLY_RU) for b in result.beads for d in b.divergences)
    data = json.loads(json.dumps(result.to_dict()))
    found = [d for p in data["pairs"] for d in p["divergences"] if d["kind"] == "moved"]
    assert {json.dumps(d["counterpart"], sort_keys=True) for d in found} == {
        json.dumps({"en": [len(en) - 1], "ru": []}, sort_keys=True),
        json.dumps({"en": [], "ru": [1]}, sort_keys=True),
    }
    others = [d for p in data["pairs"] for d in p["divergences"] if d["kind"] != "moved"]
    assert all("counterpart" not in d for d in others)
    assert data["stats"]["en_coverage"] == data["stats"]["ru_coverage"] == 1.0  # nothing is missing


def test_the_faithful_story_has_no_move(moved_story):
    en, ru, _ = dev_story("bbc.381692")
    result = align_texts(en, ru, AlignConfig(presegmented=True))
    assert not any(d.kind == Kind.MOVED for b in result.beads for d in b.divergences)
