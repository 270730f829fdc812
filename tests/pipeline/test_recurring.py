"""The rule by which a collection learns its outlet's furniture: a line counts once per story that holds it, in
any case, spacing or punctuation, and is learned once enough of the stories hold it."""

from alignment.pipeline.recurring import Recurring, furniture_key, recurring_lines, threshold

BOX = "Get our newsletter every morning."


def test_the_threshold_is_a_number_of_stories_or_a_share_of_them_rounded_up():
    assert threshold(0, 3, 0.05) == 3
    assert threshold(60, 3, 0.05) == 3
    assert threshold(61, 3, 0.05) == 4  # 3.05 stories
    assert threshold(200, 2, 0.1) == 20


def test_a_line_is_counted_once_per_story_and_its_spellings_as_one():
    stories = [
        [("en", BOX), ("en", "News of one."), ("en", BOX.upper())],  # twice in one story: one story
        [("en", "News of two."), ("en", "get  our newsletter every morning")],
        [("en", BOX + "!"), ("ru", "Новости трёх.")],
    ]
    assert recurring_lines(stories, 3, 0.05) == {("en", furniture_key(BOX)): Recurring(BOX, 3)}
    assert recurring_lines(stories[:2], 2, 0.05) == {("en", furniture_key(BOX)): Recurring(BOX, 2)}
    assert recurring_lines(stories, 4, 0.05) == {}


def test_the_languages_are_counted_apart():
    stories = [[("en", "Photo: Reuters")], [("ru", "Photo: Reuters")], [("en", "Photo: Reuters")]]
    assert recurring_lines(stories, 2, 0.0) == {("en", furniture_key("Photo: Reuters")): Recurring("Photo: Reuters", 2)}


def test_a_story_without_sentences_does_not_raise_the_threshold():
    stories = [[("en", BOX)], [("en", BOX)], [("en", BOX)]]
    assert recurring_lines([*stories, [], []], 1, 0.8) == {("en", furniture_key(BOX)): Recurring(BOX, 3)}
    assert recurring_lines([*stories, [("en", "News.")]], 1, 0.8) == {}
