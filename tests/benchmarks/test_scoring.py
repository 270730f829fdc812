import random
from collections import Counter

import pytest

from benchmarks.scoring import bead_problems, score, shape_counts
from tests.needs import need_module

GOLD = [((0,), (0,)), ((1,), (1,)), ((2,), ()), ((3,), (2,))]


def test_it_scores_a_perfect_alignment_as_one():
    s = score([GOLD], [GOLD])
    assert (s.precision_strict, s.recall_strict, s.f1_strict) == (1.0, 1.0, 1.0)
    assert (s.precision_lax, s.recall_lax, s.f1_lax) == (1.0, 1.0, 1.0)


def test_it_gives_lax_credit_for_a_merged_bead_only():
    # Precision over the 3 test beads: (0 1)-(0 1) is lax only; 2-2 and the null bead 3-() miss both ways.
    # Recall over the 3 non-null gold beads: 0-0 and 1-1 are inside the merged bead (lax), 3-2 is missed.
    test = [((0, 1), (0, 1)), ((2,), (2,)), ((3,), ())]
    s = score([GOLD], [test])
    assert (s.precision_strict, s.recall_strict, s.f1_strict) == (0.0, 0.0, 0.0)
    assert s.precision_lax == pytest.approx(1 / 3)
    assert s.recall_lax == pytest.approx(2 / 3)
    assert s.f1_lax == pytest.approx(4 / 9)


def test_it_counts_null_beads_in_precision_but_not_in_recall():
    # Precision: 0-0 and 1-1 hit; 2-2 and 3-() miss. Recall: 0-0 and 1-1 found, 3-2 missed; gold 2-() is ignored.
    test = [((0,), (0,)), ((1,), (1,)), ((2,), (2,)), ((3,), ())]
    s = score([GOLD], [test])
    assert s.precision_strict == pytest.approx(2 / 4)
    assert s.recall_strict == pytest.approx(2 / 3)
    assert s.f1_strict == pytest.approx(4 / 7)
    assert s.precision_lax == pytest.approx(2 / 4)


def test_it_micro_averages_over_documents():
    perfect = [((0,), (0,))]
    wrong = [((0,), ()), ((), (0,))]
    s = score([perfect, perfect, perfect], [perfect, perfect, wrong])
    assert s.precision_strict == pytest.approx(2 / 4)
    assert s.recall_strict == pytest.approx(2 / 3)


def _random_alignment(rng, n_en, n_ru):
    links, i, j = [], 0, 0
    while i < n_en or j < n_ru:
        a = min(rng.choice((0, 1, 1, 1, 2)), n_en - i)
        b = min(rng.choice((0, 1, 1, 1, 2)), n_ru - j)
        if a or b:
            links.append((tuple(range(i, i + a)), tuple(range(j, j + b))))
            i, j = i + a, j + b
    return links


def test_it_agrees_with_vecalign_score_py():
    vecalign = need_module("sentalign.score")
    rng = random.Random(5)
    gold = [_random_alignment(rng, 12, 11) for _ in range(20)]
    test = [_random_alignment(rng, 12, 11) for _ in range(20)]
    ours = score(gold, test)
    theirs = vecalign.score_multiple(gold_list=gold, test_list=test)
    for name in ("precision_strict", "recall_strict", "f1_strict", "precision_lax", "recall_lax", "f1_lax"):
        assert getattr(ours, name) == pytest.approx(theirs[name])


def test_it_finds_no_problem_in_a_valid_alignment():
    assert bead_problems(GOLD, 4, 3) == []


def test_it_reports_gaps_repeats_and_empty_beads():
    assert bead_problems([((0,), (0,)), ((), ()), ((2,), (0,))], 3, 1) == [
        "bead 1 is empty",
        "bead 2 has en [2], expected to start at 1, consecutive",
        "bead 2 has ru [0], expected to start at 1, consecutive",
    ]


def test_it_reports_sentences_left_out():
    assert bead_problems([((0,), (0,))], 2, 1) == ["beads cover 1 en and 1 ru sentences of 2 and 1"]


# --- recall per gold bead shape, precision of predicted null beads --------------------------------------------

SHAPED = [((0, 1), (0,)), ((2,), (1,)), ((3,), ()), ((4,), (2, 3)), ((), (4,))]


def test_it_counts_a_shape_found_only_when_the_bead_comes_back_exactly():
    # 2-1 found; 1-1 split into a null bead and a 1-1 elsewhere; 1-2 returned as 1-1 plus 0-1.
    test = [((0, 1), (0,)), ((2,), ()), ((3,), (1,)), ((4,), (2,)), ((), (3,)), ((), (4,))]
    counts = shape_counts([SHAPED], [test])
    assert counts.recall("2-1") == 1.0
    assert counts.recall("1-1") == 0.0
    assert counts.recall("1-2") == 0.0
    assert counts.recall("2-2") is None  # the gold has none


def test_it_counts_predicted_null_beads_right_when_the_gold_leaves_them_unaligned():
    test = [((0, 1), (0,)), ((2,), ()), ((3,), (1,)), ((4,), (2,)), ((), (3,)), ((), (4,))]
    counts = shape_counts([SHAPED], [test])
    # English: 2 left alone, but the gold leaves 3 alone. Russian: 3 (wrong) and 4 (right).
    assert counts.predicted_null == Counter({"1-0": 1, "0-1": 2})
    assert counts.null_precision("1-0") == 0.0
    assert counts.null_precision("0-1") == 0.5


def test_a_null_bead_of_two_sentences_counts_as_two():
    counts = shape_counts([[((0,), ()), ((1,), ())]], [[((0, 1), ())]])
    assert counts.predicted_null["1-0"] == 2 and counts.null_precision("1-0") == 1.0


def test_it_sums_shape_counts_over_documents():
    perfect = shape_counts([SHAPED], [SHAPED])
    assert perfect.recall("1-2") == 1.0 and perfect.null_precision("0-1") == 1.0
    both = shape_counts([SHAPED, [((0,), (0, 1))]], [SHAPED, [((0,), (0,)), ((), (1,))]])
    assert both.gold["1-2"] == 2 and both.recall("1-2") == 0.5
    assert both.null_precision("0-1") == 0.5
    assert both.null_precision("1-0") == 1.0
