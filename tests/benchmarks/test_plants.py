"""The planted name divergences of benchmarks/divergences.py (a name swapped for another, or dropped), and the
interface that planter a shares with the others."""

from dataclasses import replace

import pytest

from benchmarks.data import from_units
from benchmarks.divergences import NEW_NAMES, PLANTED, Pool, load_planter, make_plant, plant_problems

STORY = from_units(
    "story",
    [
        (("Officials met in the capital on Monday.",), ("Чиновники встретились в столице в понедельник.",)),
        (("Critics, led by Peskov, say the money is wasted.",), ("Критики во главе с Песковым говорят, что деньги потрачены зря.",)),
        (("The plan goes to a vote next month.",), ("План вынесут на голосование в следующем месяце.",)),
    ],
)
NAMES = {n for pair in NEW_NAMES for n in pair}


def planted(kind, seed):
    plant = make_plant(STORY, kind, seed, Pool.of([STORY]))
    assert plant is not None and plant.kind == "name" and plant.bead == 1
    side = 0 if plant.side == "en" else 1
    changed, other = (plant.story.en, plant.story.ru)[side][1], (plant.story.ru, plant.story.en)[side][1]
    return plant, changed, other


@pytest.mark.parametrize("seed", range(8))
def test_the_name_plant_swaps_the_name_on_one_side_for_a_new_one(seed):
    plant, changed, other = planted("name", seed)
    assert "Peskov" not in changed and "Песков" not in changed
    assert any(name in changed for name in NAMES)
    assert other == (STORY.ru[1] if plant.side == "en" else STORY.en[1])  # the other side is untouched
    assert plant.before in (STORY.en[1], STORY.ru[1]) and plant.before != changed


@pytest.mark.parametrize("seed", range(8))
def test_the_dropped_name_plant_deletes_the_name_on_one_side(seed):
    plant, changed, other = planted("name_dropped", seed)
    assert "Peskov" not in changed and "Песков" not in changed
    assert not any(name in changed for name in NAMES)
    assert "  " not in changed and " ," not in changed
    assert other == (STORY.ru[1] if plant.side == "en" else STORY.en[1])


def test_both_sides_are_planted_across_seeds():
    assert {planted("name", seed)[0].side for seed in range(16)} == {"en", "ru"}


def test_planter_a_is_this_files_planter_behind_the_shared_interface():
    planter = load_planter("a")
    assert planter.name == "a" and set(PLANTED) <= set(planter.kinds)
    others = [from_units("other", [(("Another story.",), ("Другая история.",))])]
    assert planter.plant(STORY, "name", 3, others) == make_plant(STORY, "name", 3, Pool.of(others))


def test_a_planter_that_is_not_there_is_named_not_raised():
    assert "not there yet" in load_planter("zz")


def test_a_plant_whose_gold_misses_the_planted_sentence_is_invalid():
    plant = make_plant(STORY, "name", 0, Pool.of([STORY]))
    assert plant_problems(plant) == []
    assert plant_problems(replace(plant, index=7)) == [f"planted sentence {plant.side}[7] is not in the story"]
    assert plant_problems(replace(plant, bead=0)) == ["gold bead 0 does not hold the planted sentence"]
