"""Passages: runs of consecutive unpaired sentences on one side, one kind, read as one."""

from types import SimpleNamespace

from alignment.pipeline.passages import Passage, one_sided_kind, passages
from alignment.pipeline.types import AlignmentResult, Bead, Divergence, DocumentStats, Kind, Sentence


def bead(en=(), ru=(), *kinds):
    return Bead(tuple(en), tuple(ru), 0.0 if not (en and ru) else 0.9, 0.0,
                tuple(Divergence(Kind(k), 0.5, "Why.") for k in kinds))


def test_a_run_of_null_beads_on_one_side_is_one_passage():
    beads = [bead([0], [0]), bead([1], [], "only_en"), bead([2, 3], [], "only_en"), bead([4], [], "only_en"),
             bead([5], [1])]
    assert passages(beads) == (Passage("en", Kind.ONLY_EN, (1, 2, 3), 4),)


def test_a_lone_null_bead_is_a_passage_of_one():
    assert passages([bead([0], [0]), bead([], [1], "only_ru"), bead([1], [2])]) == (
        Passage("ru", Kind.ONLY_RU, (1,), 1),
    )


def test_a_paired_bead_ends_a_passage():
    beads = [bead([0], [], "only_en"), bead([1], [0], "number"), bead([2], [], "only_en")]
    assert [p.beads for p in passages(beads)] == [(0,), (2,)]


def test_the_other_side_starts_a_new_passage():
    beads = [bead([0], [], "only_en"), bead([1], [], "only_en"), bead([], [0], "only_ru"), bead([], [1], "only_ru")]
    assert passages(beads) == (Passage("en", Kind.ONLY_EN, (0, 1), 2), Passage("ru", Kind.ONLY_RU, (2, 3), 2))


def test_another_kind_starts_a_new_passage():
    beads = [bead([0], [], "only_en"), bead([1], [], "boilerplate"), bead([2], [], "boilerplate"),
             bead([3], [], "only_en")]
    assert [(p.kind, p.beads) for p in passages(beads)] == [
        (Kind.ONLY_EN, (0,)), (Kind.BOILERPLATE, (1, 2)), (Kind.ONLY_EN, (3,)),
    ]


def test_the_kind_is_the_first_one_sided_kind_of_a_bead():
    both = bead([0], [], "meaning", "boilerplate", "only_en")
    assert one_sided_kind(both) == Kind.BOILERPLATE
    assert passages([both, bead([1], [], "boilerplate")])[0].beads == (0, 1)


def test_null_beads_without_a_one_sided_kind_make_a_passage_of_no_kind():
    beads = [bead([0], []), bead([1], [], "meaning"), bead([2], [], "only_en")]
    assert passages(beads) == (Passage("en", None, (0, 1), 2), Passage("en", Kind.ONLY_EN, (2,), 1))


def test_every_null_bead_is_in_exactly_one_passage():
    beads = [bead([0], [0]), bead([1], [], "only_en"), bead([], [1], "boilerplate"), bead([2], [2]),
             bead([3], [], "boilerplate"), bead([4], [], "boilerplate"), bead([], [3], "only_ru")]
    members = [k for p in passages(beads) for k in p.beads]
    assert members == [k for k, b in enumerate(beads) if not (b.en and b.ru)]
    assert all(list(p.beads) == list(range(p.beads[0], p.beads[-1] + 1)) for p in passages(beads))


def test_no_beads_no_passages():
    assert passages([]) == ()
    assert passages([bead([0], [0])]) == ()


def test_it_reads_anything_with_sides_and_divergence_kinds():
    stored = [SimpleNamespace(en=["a"], ru=[], divergences=[SimpleNamespace(kind="only_en")]),
              SimpleNamespace(en=["b", "c"], ru=[], divergences=[SimpleNamespace(kind="only_en")])]
    assert passages(stored) == (Passage("en", Kind.ONLY_EN, (0, 1), 3),)


def test_the_json_contract_lists_the_passages_by_pair_index():
    sentences = tuple(Sentence(i, "S.", 3 * i, 3 * i + 2, 0) for i in range(4))
    result = AlignmentResult(
        en=sentences, ru=sentences[:2],
        beads=(bead([0], [0]), bead([1], [], "only_en"), bead([2], [], "only_en"), bead([3], [1])),
        stats=DocumentStats(4, 2, 0.5, 1.0, 0.9, tuple((k, 0) for k in Kind)), embedder="test",
    )
    data = result.to_dict()
    assert data["passages"] == [{"side": "en", "kind": "only_en", "pairs": [1, 2], "sentences": 2}]
    assert list(data) == ["embedder", "sentences", "pairs", "passages", "stats"]


def test_a_passage_of_no_kind_says_null():
    assert Passage("ru", None, (4,), 1).to_dict() == {"side": "ru", "kind": None, "pairs": [4], "sentences": 1}
