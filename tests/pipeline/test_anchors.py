"""Aligning around locked beads (alignment.pipeline.align.anchors): each comes out as it was locked, nothing
crosses one, the rest is aligned as before, and a lock that cannot hold is named."""

import numpy as np
import pytest

from alignment.pipeline import AlignConfig, PipelineError, align_texts
from alignment.pipeline.align import Side, align
from alignment.pipeline.align.anchors import read_locked
from tests.conftest import dev_story


def unit(x):
    return (x / np.linalg.norm(x, axis=-1, keepdims=True)).astype(np.float32)


def story(n: int, seed: int = 0) -> tuple[Side, Side]:
    """n English sentences and their n Russian translations (near vectors), as the aligner sees them."""
    rng = np.random.default_rng(seed)
    en = unit(rng.normal(size=(n, 48)))
    ru = unit(en + 0.3 * rng.normal(size=en.shape) / np.sqrt(48))
    lengths = rng.uniform(60, 160, size=n)
    return Side(vecs=en, lengths=lengths), Side(vecs=ru, lengths=lengths * 1.1)


def shapes(beads):
    return [(tuple(b.en), tuple(b.ru)) for b in beads]


def assert_kept_and_not_crossed(beads, locked, n, m):
    out = shapes(beads)
    assert [i for en, _ in out for i in en] == list(range(n))
    assert [j for _, ru in out for j in ru] == list(range(m))
    for en, ru in locked:
        assert (tuple(en), tuple(ru)) in out, f"locked bead {en, ru} changed"
        if en and ru:  # no pair on either side of it reaches past it
            for other_en, other_ru in out:
                if other_en and other_ru and (other_en, other_ru) != (tuple(en), tuple(ru)):
                    before = other_en[-1] < en[0]
                    assert before == (other_ru[-1] < ru[0]), f"{other_en, other_ru} crosses {en, ru}"


@pytest.mark.parametrize("full_dp_cells", [250_000, 50], ids=["exact", "banded"])
def test_locked_beads_come_out_as_they_are_and_nothing_crosses_them(full_dp_cells):
    en, ru = story(60)
    locked = [
        ([3], [9]),  # a wrong pair, far off the diagonal
        ([10, 11, 12], [10]),  # a 3-1 the search would never make
        ([20], [20, 21]),
        ([25], []), ([26], []),  # locked unpaired
        ([], [40, 41]),
        ([59], [59]),
    ]
    beads = align(en, ru, AlignConfig(full_dp_cells=full_dp_cells), locked=locked)
    assert_kept_and_not_crossed(beads, locked, 60, 60)
    out = shapes(beads)
    # Away from the locks, the faithful translation is still aligned one to one.
    assert all(((k,), (k,)) in out for k in (0, 1, 30, 35, 50, 55))
    # A locked bead is certain.
    assert all(b.score == 1.0 for b in beads if (b.en, b.ru) == ((10, 11, 12), (10,)))


def test_locking_beads_of_an_alignment_changes_nothing():
    en_lines, ru_lines, _gold = dev_story("abcnews.306755")
    config = AlignConfig(presegmented=True)
    free = align_texts(en_lines, ru_lines, config)
    beads = shapes(free.beads)
    again = align_texts(en_lines, ru_lines, config, locked=[list(map(list, bead)) for bead in beads[2::3]])
    assert shapes(again.beads) == beads


def test_with_many_locks_the_rest_is_still_aligned(monkeypatch):
    en, ru = story(400, seed=3)
    locked = [([k], [k]) for k in range(5, 400, 8)]  # 50 locked pairs
    beads = align(en, ru, AlignConfig(full_dp_cells=1_000), locked=locked)
    assert_kept_and_not_crossed(beads, locked, 400, 400)
    assert sum(len(b.en) == len(b.ru) == 1 and b.en == b.ru for b in beads) >= 390


@pytest.mark.parametrize(("locked", "says"), [
    ([[[1, 3], [1]]], "Locked pair 1 is not a run of consecutive English sentences: [1, 3]"),
    ([[[1], [2]], [[5], [70]]], "Locked pair 2 names Russian sentences 70-70; the story has 10"),
    ([[[], []]], "Locked pair 1 holds no sentence"),
    ([[[2], [2]], [[2], []]], "Locked pair 2 shares English sentences with another locked pair"),
    ([[[2], [6]], [[4], [3]]], "Locked pair 2 crosses another locked pair"),
    ([["x", [1]]], "Locked pair 1 is not a pair of lists of sentence numbers"),
])
def test_a_lock_that_cannot_hold_is_named(locked, says):
    with pytest.raises(PipelineError, match=says.replace("[", r"\[").replace("]", r"\]")) as caught:
        read_locked(locked, 10, 10)
    assert caught.value.code == "bad_locked"
