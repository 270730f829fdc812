"""A collection gets cleaner as it grows (issue 16, point 4), gated: on held-out development stories carrying an
outlet's furniture, learning from ten of them must catch the furniture the detector alone misses, and learn no
story sentence. Floors sit below what ``python -m benchmarks.learned_furniture --sizes 10 --parts held-out``
measured (2026-12-08), and the plant_story machinery is checked on its own."""

from __future__ import annotations

import random

import pytest
from threadpoolctl import threadpool_limits

from benchmarks import furniture_planter_a
from benchmarks.data import DEFAULT_SEED, DEV_SET, from_units, load_stories, split
from benchmarks.learned_furniture import Collection, furnish, plant_story
from benchmarks.scoring import bead_problems
from tests.needs import need_data

K = 10
# Planter a's outlets where the detector alone does worst, at K = 10 (recall before -> after learning, measured:
# novaya-gazeta-europe 0.442 -> 0.938, the-bell 0.642 -> 0.945; precision 1.000 throughout).
OUTLETS = ("novaya-gazeta-europe", "the-bell")
RECALL_FLOOR = 0.88
GAIN_FLOOR = 0.2
PRECISION_FLOOR = 0.98

STORY = from_units("story", [(("Headline.",), ("Заголовок.",)), (("One.",), ("Один.",)), (("Two.",), ("Два.",))])


@pytest.mark.parametrize("seed", range(10))
def test_planted_lines_are_null_beads_around_the_story_left_whole(seed):
    planted = {"en": [("top", ["Photo: AP"]), ("between", ["Read more", "A\nheadline"])],
               "ru": [("bottom", ["Подписаться", "  "])]}
    furnished = plant_story(STORY, planted, random.Random(seed))
    story = furnished.story
    assert bead_problems(story.gold, len(story.en), len(story.ru)) == []
    assert [u for u in story.units() if u[0] and u[1]] == STORY.units()
    assert story.en[0] == "Photo: AP" and story.ru[-1] == "Подписаться"  # a blank line plants nothing
    assert sorted(story.en[i] for side, i in furnished.furniture if side == "en") == [
        "A", "Photo: AP", "Read more", "headline"]  # a line with a line break is two sentences
    assert {story.ru[i] for side, i in furnished.furniture if side == "ru"} == {"Подписаться"}


@pytest.mark.slow
@pytest.mark.parametrize("outlet", OUTLETS)
def test_learning_from_ten_stories_catches_the_furniture_the_detector_misses(outlet):
    held_out = split(load_stories(need_data(DEV_SET)))[1]
    furnished = furnish(furniture_planter_a, "a", outlet, held_out, K, DEFAULT_SEED)
    failures: list = []
    with threadpool_limits(1):
        learning = Collection(furnished, (outlet,), failures).learn(K)
    assert not failures
    assert (learning.body_lines, learning.body_learned) == (0, 0)
    assert learning.after.recall >= RECALL_FLOOR
    assert learning.after.recall >= learning.before.recall + GAIN_FLOOR
    assert learning.after.precision >= PRECISION_FLOOR
