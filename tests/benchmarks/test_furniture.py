"""The furniture benchmark's machinery: blocks of an outlet's furniture put into a story, and the scoring."""

from types import SimpleNamespace

import pytest

from benchmarks.data import from_units, story_rng
from benchmarks.furniture import Block, bank_blocks, furnish, insert_furniture, tally_furniture
from benchmarks.scoring import bead_problems

STORY = from_units(
    "story",
    [
        (("Headline.",), ("Заголовок.",)),
        (("First sentence.",), ("Первое предложение.",)),
        (("Second sentence, merged with the third.", "Third."), ("Второе и третье предложения.",)),
        (("Last sentence.",), ("Последнее предложение.",)),
    ],
)
BLOCKS = [
    Block("outlet", "en", 0, "donation appeal", ("Support us", "Monthly", "One-time", "Donate")),
    Block("outlet", "ru", 0, "newsletter prompt", ("Подпишитесь на рассылку", "Ваш e-mail")),
    Block("outlet", "en", 1, "photo credit", ("Photo: Reuters",)),
    Block("outlet", "ru", 1, "link to another story", ("Читайте также",)),
    Block("outlet", "en", 2, "sharing note", ("Share",)),
]


@pytest.mark.parametrize("seed", range(20))
def test_the_gold_still_covers_every_sentence_once_in_order(seed):
    furnished = insert_furniture(STORY, BLOCKS[:3], story_rng(seed, "test"))
    story = furnished.story
    assert bead_problems(story.gold, len(story.en), len(story.ru)) == []
    body = [u for u in story.units() if u[0] and u[1]]
    assert body == [u for u in STORY.units()]  # the story's own beads, untouched and in order


@pytest.mark.parametrize("seed", range(20))
def test_every_block_line_is_a_null_bead_on_its_languages_side_next_to_its_block(seed):
    blocks = BLOCKS[:3]
    furnished = insert_furniture(STORY, blocks, story_rng(seed, "test"))
    story = furnished.story
    assert len(furnished.furniture) == sum(len(b.lines) for b in blocks)
    for block in blocks:
        lines = story.en if block.lang == "en" else story.ru
        start = next(i for i in range(len(lines)) if tuple(lines[i : i + len(block.lines)]) == block.lines)
        for i in range(start, start + len(block.lines)):
            assert (block.lang, i) in furnished.furniture
            link = next(link for link in story.gold if i in link[0 if block.lang == "en" else 1])
            assert link == (((i,), ()) if block.lang == "en" else ((), (i,)))


def test_blocks_go_above_the_headline_between_sentences_and_at_the_end():
    places = set()
    for seed in range(30):
        furnished = insert_furniture(STORY, BLOCKS[2:3], story_rng(seed, "test"))
        where = furnished.story.en.index("Photo: Reuters")
        places.add("top" if where == 0 else "bottom" if where == len(furnished.story.en) - 1 else "between")
    assert places == {"top", "between", "bottom"}


def test_a_block_is_never_split_by_another():
    for seed in range(30):
        furnished = insert_furniture(STORY, [BLOCKS[0], BLOCKS[0]], story_rng(seed, "test"))
        text = "\n".join(furnished.story.en)
        assert text.count("Support us\nMonthly\nOne-time\nDonate") == 2


def test_every_block_is_used_once_before_any_is_used_twice():
    stories = [from_units(f"s{k}", STORY.units()) for k in range(6)]
    furnished = furnish(stories, BLOCKS, 13, "outlet")
    dealt = [b for f in furnished for b in f.blocks]
    assert all(1 <= len(f.blocks) <= 3 for f in furnished)
    assert set(dealt[: len(BLOCKS)]) == set(BLOCKS)


def test_a_storys_furniture_does_not_depend_on_the_stories_after_it():
    stories = [from_units(f"s{k}", STORY.units()) for k in range(6)]
    assert furnish(stories[:3], BLOCKS, 13, "outlet") == furnish(stories, BLOCKS, 13, "outlet")[:3]


def test_bank_examples_are_gathered_into_blocks_per_outlet():
    Example = SimpleNamespace
    examples = [
        Example(outlet="a", lang="en", label="byline", block=0, text="By X"),
        Example(outlet="a", lang="en", label="byline", block=0, text="Edited by Y"),
        Example(outlet="a", lang="ru", label="tags", block=0, text="Теги"),
        Example(outlet="b", lang="en", label="tags", block=0, text="Tags"),
    ]
    assert bank_blocks(examples) == {
        "a": [Block("a", "en", 0, "byline", ("By X", "Edited by Y")), Block("a", "ru", 0, "tags", ("Теги",))],
        "b": [Block("b", "en", 0, "tags", ("Tags",))],
    }


def bead(en, ru, *kinds):
    return SimpleNamespace(en=en, ru=ru, divergences=tuple(SimpleNamespace(kind=k) for k in kinds))


def test_it_scores_furniture_found_merged_and_body_flagged():
    furnished = insert_furniture(STORY, [], story_rng(0, "test"))
    furnished = type(furnished)(furnished.story, frozenset({("en", 0), ("en", 1), ("ru", 0)}), ())
    beads = [
        bead((0,), (), "boilerplate"),  # furniture, alone, flagged: found and correct
        bead((1,), (1,), "boilerplate"),  # furniture merged with a body sentence, flagged: both count as flagged
        bead((), (0,), "only_ru"),  # furniture alone, not flagged as boilerplate
        bead((2,), (), "boilerplate"),  # a body sentence flagged
    ]
    tally = tally_furniture(furnished, beads)
    assert (tally.lines, tally.found, tally.merged) == (3, 1, 1)
    assert (tally.flagged, tally.correct, tally.body_flagged) == (4, 1, 2)
    assert tally.recall == pytest.approx(1 / 3) and tally.precision == pytest.approx(1 / 4)
