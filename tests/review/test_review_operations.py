"""Corrections of the alignment (merge, split, move, no counterpart) and their undo, at the service level: what
each does to the pairs, the divergences it finds again, the reviews it keeps, and what it refuses, and why."""

import pytest
from django.urls import reverse

from alignment import review
from alignment.models import Divergence, Edit, EditAction, Job, JobStatus, Pair, Sentence, Verdict
from tests.web.test_views_alignment import Div, build_story

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def url(name, story):
    return reverse(name, args=[story.code])


@pytest.fixture
def owner_client(client, owner):
    client.force_login(owner)
    return client


def layout_of(story) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    """Each pair's English and Russian sentence indices, in pair order, as the rows say."""
    members = {}
    for pair_id, lang, index in Pair.sentences.rel.related_model.objects.filter(
        document__story=story
    ).order_by("language", "index").values_list("pair_id", "language", "index"):
        members.setdefault(pair_id, {"en": [], "ru": []})[lang].append(index)
    return [
        (tuple(members.get(pk, {}).get("en", [])), tuple(members.get(pk, {}).get("ru", [])))
        for pk in story.pairs.order_by("order").values_list("pk", flat=True)
    ]


def pair(story, number):
    """The pair shown as ``number`` (1-based)."""
    return story.pairs.get(order=number - 1)


def state_of(story) -> list[dict]:
    """Everything a correction may change and an undo must give back, pair by pair."""
    return [
        {
            "layout": group,
            "score": p.score, "similarity": p.similarity, "manual": p.manual, "kinds": p.kinds,
            "divergences": [
                (d.kind, d.severity, d.reason, d.en_spans, d.ru_spans, d.verdict, d.category, d.note,
                 d.reviewed_by_id, d.reviewed_at)
                for d in p.divergences.order_by("pk")
            ],
        }
        for p, group in zip(story.pairs.order_by("order"), layout_of(story))
    ]


NUMBER_EN = "The new bridge cost 42 million dollars to build, the city said."
NUMBER_RU = "Новый мост обошёлся в 43 миллиона долларов, сообщили в мэрии."


@pytest.fixture
def story(owner):
    """Seven pairs: 1-1, a lone English sentence, a lone Russian one, 2-1, 1-1, 1-2 and 1-1."""
    return build_story(owner, [
        (["The mayor opened the bridge on Monday morning."], ["Мэр открыл мост в понедельник утром."], []),
        (["Thousands of people came to watch the ceremony."], [], [Div("only_en", "Only in English.", 0.7)]),
        ([], ["Тысячи людей пришли посмотреть на церемонию."], [Div("only_ru", "Only in Russian.", 0.7)]),
        (["The bridge is long.", "It spans the river."], ["Мост длинный и пересекает реку."], []),
        ([NUMBER_EN], [NUMBER_RU], [Div("number", "42 in English, 43 in Russian.", 0.8, en=["42"], ru=["43"])]),
        (["Work began in 2019."], ["Работы начались в 2019 году.", "Их вела городская компания."], []),
        (["The mayor thanked the builders."], ["Мэр поблагодарил строителей."], []),
    ])


# ---------------------------------------------------------------------------------------------------- Merge


def test_merging_puts_both_pairs_sentences_in_one_pair_made_by_hand(story, owner):
    edit = review.merge(story, owner, pair(story, 2).pk)
    assert layout_of(story) == [
        ((0,), (0,)), ((1,), (1,)), ((2, 3), (2,)), ((4,), (3,)), ((5,), (4, 5)), ((6,), (6,)),
    ]
    merged = pair(story, 2)
    assert merged.manual and not pair(story, 1).manual and not pair(story, 3).manual
    assert (edit.action, edit.summary, edit.user) == (EditAction.MERGE, "Merged pairs 2 and 3", owner)
    assert list(story.pairs.order_by("order").values_list("order", flat=True)) == list(range(6))


def test_merging_a_lone_english_and_a_lone_russian_sentence_finds_their_divergences_again(story, owner):
    assert {d.kind for d in Divergence.objects.filter(pair__story=story)} == {"only_en", "only_ru", "number"}
    review.merge(story, owner, pair(story, 2).pk)
    merged = pair(story, 2)
    # Now paired, neither sentence is one-sided any more; the detector has nothing to say about them.
    assert not merged.divergences.exists() and merged.kinds == ""
    story.refresh_from_db()
    assert story.stats["divergences"]["only_en"] == 0 and story.stats["divergences"]["only_ru"] == 0
    assert story.stats["divergences"]["number"] == 1
    assert (story.stats["en_coverage"], story.stats["ru_coverage"]) == (1.0, 1.0)


def test_a_correction_leaves_the_pairs_it_did_not_touch_as_they_were(story, owner):
    number = pair(story, 5).divergences.get()
    review.merge(story, owner, pair(story, 2).pk)
    # The number divergence, in a pair the merge did not touch, is the same row, not found again.
    assert pair(story, 4).divergences.get().pk == number.pk
    assert pair(story, 4).pk == number.pair_id


def test_a_new_pair_stands_at_the_storys_typical_similarity_and_is_never_flagged_for_it(owner):
    """Its similarity was not measured: a low stand-in must not make the meaning check fire."""
    story = build_story(owner, [
        ([f"Sentence number {n} of the story is here."], [f"Предложение номер {n} этой истории здесь."], [])
        for n in range(8)
    ] + [(["An unrelated English sentence about football."], [], []), ([], ["Совсем другое о погоде."], [])])
    Pair.objects.filter(story=story).exclude(order__gte=8).update(similarity=0.12)
    review.merge(story, owner, pair(story, 9).pk)
    merged = pair(story, 9)
    assert (merged.score, merged.similarity, merged.manual) == (1.0, pytest.approx(0.12), True)
    assert not merged.divergences.filter(kind="meaning").exists()


# ---------------------------------------------------------------------------------------------------- Split


def test_splitting_gives_a_pairs_natural_pieces(story, owner):
    edit = review.split(story, owner, pair(story, 4).pk)  # 2-1
    assert layout_of(story)[3:5] == [((2,), (2,)), ((3,), ())]
    assert edit.summary == "Split pair 4 into 2 pairs"
    assert pair(story, 5).divergences.get().kind == "only_en"  # "It spans the river." has no Russian now
    review.split(story, owner, pair(story, 7).pk)  # 1-2
    assert layout_of(story)[6:8] == [((5,), (4,)), ((), (5,))]


def test_splitting_after_a_sentence_keeps_as_many_of_the_other_side_as_it_has(story, owner):
    edit = review.split(story, owner, pair(story, 6).pk, after=("ru", 4))  # 1-2 after its first Russian
    assert layout_of(story)[5:7] == [((5,), (4,)), ((), (5,))]
    assert edit.summary == "Split pair 6 after Russian sentence 5"
    review.merge(story, owner, pair(story, 4).pk)  # a 3-2 pair: English 2, 3, 4 with Russian 2, 3
    review.split(story, owner, pair(story, 4).pk, after=("en", 2))
    assert layout_of(story)[3:5] == [((2,), (2,)), ((3, 4), (3,))]


def test_a_sentence_can_move_to_the_previous_pair_if_it_is_the_first_of_its_side(story, owner):
    edit = review.move(story, owner, pair(story, 4).pk, "en", 3, "next")
    assert layout_of(story)[3:5] == [((2,), (2,)), ((3, 4), (3,))]
    assert edit.summary == "Moved English sentence 4 from pair 4 to pair 5"
    review.move(story, owner, pair(story, 5).pk, "en", 3, "previous")
    assert layout_of(story)[3:5] == [((2, 3), (2,)), ((4,), (3,))]


def test_a_pair_left_empty_by_a_move_goes(story, owner):
    review.move(story, owner, pair(story, 3).pk, "ru", 1, "previous")
    assert layout_of(story)[:3] == [((0,), (0,)), ((1,), (1,)), ((2, 3), (2,))]
    assert story.pairs.count() == 6


def test_a_sentence_with_no_counterpart_becomes_a_pair_of_its_own(story, owner):
    edit = review.detach(story, owner, pair(story, 4).pk, "en", 3)  # the last English sentence: after
    assert layout_of(story)[3:5] == [((2,), (2,)), ((3,), ())]
    assert edit.summary == "Marked English sentence 4 (pair 4) as having no counterpart"
    review.detach(story, owner, pair(story, 1).pk, "en", 0)  # the only English sentence: before
    assert layout_of(story)[:2] == [((0,), ()), ((), (0,))]
    assert {d.kind for d in pair(story, 1).divergences.all()} <= {"only_en", "meaning"}


def test_a_sentence_the_run_took_for_furniture_is_boilerplate_when_a_correction_leaves_it_unpaired(owner):
    appeal = "We are facing unprecedented challenges."  # no furniture by its grammar alone
    story = build_story(owner, [
        (["The mayor opened the bridge on Monday morning."], ["Мэр открыл мост в понедельник утром."], []),
        (["It cost 42 million dollars.", appeal], ["Он обошёлся в 42 миллиона долларов."], []),
    ])
    Sentence.objects.filter(document__story=story, language="en", index=2).update(furniture="donation appeal")
    review.detach(story, owner, pair(story, 2).pk, "en", 2)
    assert layout_of(story)[1:] == [((1,), (1,)), ((2,), ())]
    [divergence] = pair(story, 3).divergences.all()
    assert divergence.kind == "boilerplate" and divergence.reason.endswith("donation appeal")


def test_a_correction_leaves_a_story_sentence_unpaired_as_only_in_one_language(owner):
    story = build_story(owner, [
        (["The mayor opened the bridge on Monday morning.", "We are facing unprecedented challenges."],
         ["Мэр открыл мост в понедельник утром."], []),
    ])
    review.detach(story, owner, pair(story, 1).pk, "en", 1)
    assert [d.kind for d in pair(story, 2).divergences.all()] == ["only_en"]


# ---------------------------------------------------------------------------------------------------- Refused


@pytest.mark.parametrize("attempt, message", [
    (lambda s, u: review.merge(s, u, pair(s, 7).pk),
     "Pair 7 is the last pair: there is no next pair to merge it with."),
    (lambda s, u: review.split(s, u, pair(s, 1).pk),
     "Pair 1 holds no more than one sentence a side: there is nothing to split."),
    (lambda s, u: review.split(s, u, pair(s, 4).pk, after=("en", 3)),
     "English sentence 4 is the last English sentence of pair 4: there is nothing after it to split off."),
    (lambda s, u: review.move(s, u, pair(s, 4).pk, "en", 3, "previous"),
     "Only the first English sentence of a pair can move to the previous pair: English sentence 4 comes after "
     "sentence 3, and moving it alone would break their order."),
    (lambda s, u: review.move(s, u, pair(s, 4).pk, "en", 2, "next"),
     "Only the last English sentence of a pair can move to the next pair"),
    (lambda s, u: review.move(s, u, pair(s, 1).pk, "ru", 0, "previous"),
     "Russian sentence 1 is in the first pair: there is no previous pair to move it to."),
    (lambda s, u: review.move(s, u, pair(s, 7).pk, "en", 6, "next"),
     "English sentence 7 is in the last pair: there is no next pair to move it to."),
    (lambda s, u: review.detach(s, u, pair(s, 2).pk, "en", 1),
     "English sentence 2 already stands alone in pair 2."),
    (lambda s, u: review.move(s, u, pair(s, 1).pk, "en", 3, "next"),
     "English sentence 4 is no longer in pair 1: the alignment changed since this page was loaded."),
    (lambda s, u: review.merge(s, u, 999_999),
     "That pair is no longer there: the alignment changed since this page was loaded."),
])
def test_a_correction_that_would_break_the_order_is_refused_with_the_reason(story, owner, attempt, message):
    before = state_of(story)
    with pytest.raises(review.ReviewError) as refused:
        attempt(story, owner)
    assert str(refused.value).startswith(message)
    assert state_of(story) == before
    assert not story.edits.exists()


def test_a_middle_sentence_cannot_be_set_apart_without_splitting_first(story, owner):
    review.merge(story, owner, pair(story, 4).pk)  # English 3, 4, 5 with Russian 3, 4
    with pytest.raises(review.ReviewError, match="sits between two others. Split the pair first."):
        review.detach(story, owner, pair(story, 4).pk, "en", 3)


def test_nothing_can_be_corrected_while_the_story_runs_again(story, owner, no_broker):
    Job.objects.create(story=story)  # queued
    with pytest.raises(review.ReviewError, match="no results to change right now"):
        review.merge(story, owner, pair(story, 1).pk)


# ---------------------------------------------------------------------------------------------------- Reviews kept


def reviewed_number(story, owner):
    """The number divergence as the detector finds it (its own spans and reason), confirmed."""
    review.merge(story, owner, pair(story, 5).pk)  # pairs 5 and 6 as one: the detector runs over it
    number = pair(story, 5).divergences.get(kind="number")
    review.review_divergence(story, owner, number.pk, Verdict.CONFIRMED, "mistranslation", "43 is wrong.")
    return number


def test_a_correction_keeps_the_verdicts_of_the_divergences_it_finds_again(story, owner):
    number = reviewed_number(story, owner)
    review.split(story, owner, pair(story, 5).pk)  # back to 1-1 pieces: the same number divergence
    again = pair(story, 5).divergences.get(kind="number")
    assert (again.en_spans, again.ru_spans) == (number.en_spans, number.ru_spans)
    assert (again.verdict, again.category, again.note, again.reviewed_by) == (
        Verdict.CONFIRMED, "mistranslation", "43 is wrong.", owner
    )


def test_undo_gives_back_exactly_what_the_correction_replaced(story, owner):
    before = state_of(story)
    review.merge(story, owner, pair(story, 2).pk)
    review.split(story, owner, pair(story, 3).pk)
    review.detach(story, owner, pair(story, 6).pk, "ru", 5)
    assert state_of(story) != before
    for _ in range(3):
        review.undo(story, owner)
    assert state_of(story) == before
    story.refresh_from_db()
    assert story.stats["divergences"]["only_en"] == 1 and story.stats["en_coverage"] < 1


def test_undo_keeps_a_verdict_given_after_the_correction(story, owner):
    review.merge(story, owner, pair(story, 5).pk)
    review.split(story, owner, pair(story, 5).pk)  # the number pair alone again, as the detector saw it
    review.merge(story, owner, pair(story, 5).pk)
    number = pair(story, 5).divergences.get(kind="number")
    review.review_divergence(story, owner, number.pk, Verdict.DISMISSED, "localisation")
    review.undo(story, owner)  # the pairs as they were before this merge, the number divergence among them
    restored = pair(story, 5).divergences.get(kind="number")
    assert (restored.verdict, restored.category, restored.reviewed_by) == (Verdict.DISMISSED, "localisation", owner)


def test_undo_takes_back_the_latest_correction_first(story, owner):
    first = review.merge(story, owner, pair(story, 2).pk)
    second = review.split(story, owner, pair(story, 3).pk)
    undo = review.undo(story, owner)
    assert undo.summary == "Undid: Split pair 3 into 2 pairs" and undo.action == EditAction.UNDO
    assert Edit.objects.get(pk=second.pk).undone and not Edit.objects.get(pk=first.pk).undone
    assert review.undo_stack(story, story.latest_job()) == [first]


def test_undo_refuses_when_the_correction_named_is_no_longer_the_latest(story, owner):
    first = review.merge(story, owner, pair(story, 2).pk)
    review.split(story, owner, pair(story, 3).pk)
    with pytest.raises(review.ReviewError, match="That is no longer the latest correction: the latest is “Split"):
        review.undo(story, owner, first.pk)
    assert story.pairs.count() == 7


def test_undo_has_nothing_to_take_back_after_a_new_run(story, owner):
    review.merge(story, owner, pair(story, 2).pk)
    Job.objects.create(story=story, status=JobStatus.DONE)  # the new run's results replace these
    with pytest.raises(review.ReviewError, match="There is no correction to undo."):
        review.undo(story, owner)


def test_verdicts_are_not_undone_by_undo(story, owner):
    divergence = pair(story, 2).divergences.get()
    review.review_divergence(story, owner, divergence.pk, Verdict.DISMISSED)
    with pytest.raises(review.ReviewError, match="There is no correction to undo."):
        review.undo(story, owner)
    assert Divergence.objects.get(pk=divergence.pk).verdict == Verdict.DISMISSED
