"""Whatever corrections a reviewer makes, in whatever order, every sentence of the story stays in exactly one
pair, in order; a refused correction changes nothing; and undoing them all gives the story back as it was.
Random sequences of corrections, first over the plans alone (many), then over the rows (fewer, slower)."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alignment import review
from alignment.review import Group
from tests.review.test_review_operations import layout_of, state_of
from tests.web.test_views_alignment import Div, build_story

OPS = ("merge", "split", "split-after", "move-previous", "move-next", "detach")


@st.composite
def layouts(draw, max_sentences=12):
    """A valid layout: both sides cut into consecutive runs, in order, laid out as pairs (some one-sided)."""
    en, ru = draw(st.integers(0, max_sentences)), draw(st.integers(0, max_sentences))
    if en + ru == 0:
        en = 1
    groups, i, j = [], 0, 0
    while i < en or j < ru:
        take_en = draw(st.integers(0, min(3, en - i)))
        take_ru = draw(st.integers(0, min(3, ru - j)))
        if take_en + take_ru == 0:
            take_en, take_ru = (1, 0) if i < en else (0, 1)
        groups.append(Group(tuple(range(i, i + take_en)), tuple(range(j, j + take_ru))))
        i, j = i + take_en, j + take_ru
    return tuple(groups), en, ru


def covers_in_order(layout, en_count: int, ru_count: int) -> bool:
    """Whether every sentence of both sides is in exactly one pair, read in order, and no pair is empty."""
    return (
        all(group.size for group in layout)
        and [i for group in layout for i in group.en] == list(range(en_count))
        and [j for group in layout for j in group.ru] == list(range(ru_count))
    )


def applied(planned: review.Plan, layout):
    """The layout with the plan's window replaced, as review applies it to the rows."""
    return layout[: planned.start] + planned.groups + layout[planned.stop :]


# One step: which correction, on which pair, on which sentence of it (positions wrap around what is there).
steps = st.tuples(st.sampled_from(OPS), st.integers(0, 1000), st.sampled_from(["en", "ru"]), st.integers(0, 1000))


def plan(layout, step):
    op, at, lang, which = step
    k = at % len(layout)
    side = layout[k].side(lang) or layout[k].side("ru" if lang == "en" else "en")
    lang = lang if layout[k].side(lang) else ("ru" if lang == "en" else "en")
    index = side[which % len(side)]
    if op == "merge":
        return review.plan_merge(layout, k)
    if op == "split":
        return review.plan_split(layout, k)
    if op == "split-after":
        return review.plan_split(layout, k, after=(lang, index))
    if op == "detach":
        return review.plan_detach(layout, k, lang, index)
    return review.plan_move(layout, k, lang, index, op.removeprefix("move-"))


@settings(max_examples=400, deadline=None)
@given(layouts(), st.lists(steps, max_size=25))
def test_any_sequence_of_corrections_keeps_every_sentence_once_and_in_order(start, sequence):
    layout, en, ru = start
    assert covers_in_order(layout, en, ru)
    for step in sequence:
        try:
            planned = plan(layout, step)
        except review.ReviewError:
            continue  # refused, with a reason; the layout is as it was
        assert planned.groups and all(g.size for g in planned.groups)
        layout = applied(planned, layout)
        assert covers_in_order(layout, en, ru), (step, layout)


def test_the_coverage_check_itself_catches_a_lost_a_repeated_and_a_swapped_sentence():
    good = (Group((0,), (0,)), Group((1,), ()))
    assert covers_in_order(good, 2, 1)
    assert not covers_in_order((Group((0,), (0,)),), 2, 1)  # English 2 lost
    assert not covers_in_order(good + (Group((1,), ()),), 2, 1)  # repeated
    assert not covers_in_order((Group((1,), (0,)), Group((0,), ())), 2, 1)  # out of order
    assert not covers_in_order(good + (Group(),), 2, 1)  # an empty pair


EN = [f"English sentence number {n} tells of the {n} bridges." for n in range(9)]
RU = [f"Русское предложение номер {n} о мостах числом {n}." for n in range(8)]


def random_story(owner, layout):
    rows = []
    for group in layout:
        one_sided = "only_en" if not group.ru else "only_ru" if not group.en else None
        divergences = [Div(one_sided)] if one_sided else []
        rows.append(([EN[i] for i in group.en], [RU[j] for j in group.ru], divergences))
    return build_story(owner, rows)


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(layouts(max_sentences=8), st.lists(steps, min_size=1, max_size=8))
def test_the_rows_follow_the_plans_and_undoing_everything_restores_the_story(owner, start, sequence):
    layout, en, ru = start
    story = random_story(owner, layout)
    original = state_of(story)
    made = 0
    for op, at, lang, which in sequence:
        rows = layout_of(story)
        k = at % len(rows)
        pair = story.pairs.get(order=k)
        if not rows[k][0 if lang == "en" else 1]:
            lang = "ru" if lang == "en" else "en"
        side = rows[k][0 if lang == "en" else 1]
        index = side[which % len(side)]
        before = state_of(story)
        try:
            if op == "merge":
                review.merge(story, owner, pair.pk)
            elif op == "split":
                review.split(story, owner, pair.pk)
            elif op == "split-after":
                review.split(story, owner, pair.pk, after=(lang, index))
            elif op == "detach":
                review.detach(story, owner, pair.pk, lang, index)
            else:
                review.move(story, owner, pair.pk, lang, index, op.removeprefix("move-"))
        except review.ReviewError:
            assert state_of(story) == before  # refused: nothing changed
            continue
        made += 1
        groups = tuple(Group(e, r) for e, r in layout_of(story))
        assert covers_in_order(groups, en, ru)
        assert list(story.pairs.order_by("order").values_list("order", flat=True)) == list(range(len(groups)))
    for _ in range(made):
        review.undo(story, owner)
    assert state_of(story) == original
