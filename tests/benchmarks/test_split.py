"""The one split of benchmarks/data.py that every benchmark uses: tuning part and held-out part."""

import pytest

from benchmarks.data import DEV_SET, LITERARY_SET, load_stories, split
from tests.needs import need_data


@pytest.fixture(scope="module", autouse=True)
def dev_set():
    need_data(DEV_SET)


def names(stories):
    return [s.name for s in stories]


def test_the_split_is_the_same_every_time():
    stories = load_stories()
    assert [names(p) for p in split(stories)] == [names(p) for p in split(load_stories())]


def test_the_parts_share_nothing_and_miss_nothing():
    for root in (DEV_SET, LITERARY_SET):
        stories = load_stories(need_data(root))
        tuning, held_out = split(stories)
        assert tuning and held_out
        assert not set(names(tuning)) & set(names(held_out))
        assert sorted(names(tuning) + names(held_out)) == names(stories)


def test_a_story_stays_on_its_side_under_limit():
    parts = split(load_stories())
    for limit in (1, 7, 40):
        loaded = set(names(load_stories(limit=limit)))
        assert [names(p) for p in split(load_stories(limit=limit))] == [
            [n for n in names(p) if n in loaded] for p in parts
        ]


def test_another_seed_gives_another_split():
    stories = load_stories()
    assert names(split(stories, seed=1)[1]) != names(split(stories)[1])
