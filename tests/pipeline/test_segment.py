import importlib
import random
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alignment.pipeline import segment
from alignment.pipeline.segment import MAX_SENTENCE_CHARS, split_lines, split_sentences
from tests.needs import need_data

DEV_SET = Path(__file__).resolve().parents[3] / "shared" / "data" / "ntrex128_en-ru"
INVISIBLE = "\u00ad\u200b\u200c\u200d\u200e\u200f\u2060\ufeff"
FINAL = re.compile(r"[.!?…][\"'”’»)\]]*$")


def blank(text):
    return all(c.isspace() or c in INVISIBLE for c in text)


def check(text, sentences):
    """Every invariant a caller relies on; returns the sentences."""
    assert [s.index for s in sentences] == list(range(len(sentences)))
    assert [s.paragraph for s in sentences[:1]] in ([], [0])
    for s in sentences:
        assert s.text == text[s.start : s.end]
        assert not blank(s.text[0]) and not blank(s.text[-1])
    for a, b in zip(sentences, sentences[1:]):
        assert a.end <= b.start
        assert b.paragraph - a.paragraph in (0, 1)
    # Nothing visible falls between the sentences.
    cuts = [0] + [offset for s in sentences for offset in (s.start, s.end)] + [len(text)]
    assert all(blank(text[a:b]) for a, b in zip(cuts[::2], cuts[1::2]))
    return sentences


def split(text, lang):
    return [s.text for s in check(text, split_sentences(text, lang))]


def lines(text):
    return [s.text for s in check(text, split_lines(text))]


@pytest.mark.parametrize("text", ["", " ", "\n\n\t\r\n", "\u00a0\u2009\u200b\ufeff\n \n"])
@pytest.mark.parametrize("lang", ["en", "ru"])
def test_it_returns_nothing_for_blank_text(text, lang):
    assert split_sentences(text, lang) == ()
    assert split_lines(text) == ()


def test_it_refuses_a_language_it_does_not_know():
    with pytest.raises(ValueError):
        split_sentences("Hallo.", "de")


# Each case is the sentences a story should come back as; the story is them joined by spaces.
@pytest.mark.parametrize(
    "sentences",
    [
        ["Sen. John Smith (R-Ky.) spoke on Jan. 5 at 10 a.m. in Washington.", "Mr. Brown and Dr. Green agreed."],
        ["The U.S. economy grew.", "It was the U.S.", "The end."],
        ["Mr. and Mrs. Smith met Gov. Cuomo at No. 10 Downing St. in London.", "They left."],
        ["Growth was 3.5 percent.", "It cost $1,500.50 in all."],
        ["Wait... what?", "I don't know…", "Maybe.", "It ended… and that was it."],
        ["Franklin D. Roosevelt signed it.", "J. K. Rowling agreed.", "Judge Brett M. Kavanaugh denied it."],
        ["Hello world.", "Hello world.", "Hello world."],
    ],
    ids=["abbreviations", "us", "titles", "decimals", "ellipses", "initials", "repeated"],
)
def test_it_copes_with_english_news_text(sentences):
    assert split(" ".join(sentences), "en") == sentences


@pytest.mark.parametrize(
    "sentences",
    [
        ["“We are done,” he said.", "Then he left."],
        ["He said: “We are done.”", "Then he left."],
        ['"It\'s over!" he shouted.', "She cried."],
        ["“Are you sure?” she asked.", "“Yes.”"],
        ["He said: ‘We are done.’", "Then he left."],
        ['She said: "We are done.', 'We are leaving."', "Then she left."],
        ["The Smiths' house burned.", "Rock 'n' roll lives.", "The '90s are back."],
    ],
    ids=["comma-inside", "full-stop-inside", "exclamation", "question", "single", "several-inside", "apostrophes"],
)
def test_it_ends_english_sentences_inside_and_after_quotes(sentences):
    assert split(" ".join(sentences), "en") == sentences


@pytest.mark.parametrize(
    "sentences",
    [
        ['Holly left Dragons" Den star Peter Jones fuming.', 'Sources say he was "furious".', "They lost a lot."],
        ['He called it "a disaster.', "Nobody listened.", "Then he left."],
    ],
    ids=["stray", "unclosed"],
)
def test_it_does_not_let_a_stray_quote_glue_a_story_together(sentences):
    assert split(" ".join(sentences), "en") == sentences


@pytest.mark.parametrize(
    "sentences",
    [
        ["Президент В.В. Путин заявил об этом.", "Затем он ушел."],
        ["Его подписал Ф. Д. Рузвельт.", "А. С. Пушкин родился в Москве."],
        ["Это т.е. пример, и т.д.", "Новое предложение."],
        ["В 2010 г. он уехал.", "В 2011–2012 гг. вернулся."],
        ["Он живет на ул. Ленина.", "Театр им. Горького открылся."],
        ["Бюджет составил 5 млн руб. и 3 млрд руб.", "Рост составил 1,5 тыс. руб. за год."],
        ["Рост составил 3.5 процента и 1,5 пункта.", "Это много."],
        ["Ну… не знаю.", "Может быть...", "А может и нет."],
        ["Привет, мир.", "Привет, мир.", "Привет, мир."],
    ],
    ids=["joined-initials", "spaced-initials", "te-td", "years", "street", "money", "decimals", "ellipses", "repeated"],
)
def test_it_copes_with_russian_news_text(sentences):
    assert split(" ".join(sentences), "ru") == sentences


@pytest.mark.parametrize(
    "sentences",
    [
        ["Он сказал: «Всё кончено».", "Затем ушел."],
        ["«Всё кончено», — сказал он.", "Затем ушел."],
        ["«Всё кончено!» — сказал он.", "Она заплакала."],
        ["Она спросила: “Почему?”", "Он промолчал."],
        ['Он сказал: "Всё кончено".', "Затем ушел."],
        ["— Да, — сказал он.", "— Идём."],
    ],
    ids=["guillemets", "comma-inside", "exclamation-inside", "curly", "straight", "dialogue"],
)
def test_it_ends_russian_sentences_inside_and_after_quotes(sentences):
    assert split(" ".join(sentences), "ru") == sentences


@pytest.mark.parametrize(
    "lang, sentences",
    [
        ("en", ["It was Atty. Smith who spoke.", "He left."]),
        ("en", ["Approx. 12 people came.", "They left."]),
        ("en", ["He scored 3 pts. in the game.", "Great."]),
        ("en", ["Rosa had 85 mph winds as of 5 a.m. Eastern time Sunday.", "The rally is at 7 p.m. ET tonight."]),
        ("en", ["He arrived at 5 p.m.", "Police were waiting."]),
        ("en", ["Thank you for believing in me.", "I am so happy."]),
        ("en", ["Most got a grade A.", "The data show it."]),
        ("en", ["It was Smith vs. The State.", "Fine."]),
        ("ru", ["Об этом сообщил ген. Иванов.", "Новое."]),
        ("ru", ["Это было 28 сент. 2018 г. в Москве.", "Новое."]),
        ("ru", ["Мы должны доверять им.", "По результатам это ясно.", "Театр им. Горького открылся."]),
        ("ru", ["Театр им. В. И. Ленина открылся.", "Новое."]),
    ],
    ids=[
        "title", "before-number", "lowercase", "clock", "clock-end", "me-i", "initial-the", "vs",
        "general", "month", "im", "im-initials",
    ],
)
def test_it_repairs_the_splitters_known_mistakes(lang, sentences):
    assert split(" ".join(sentences), lang) == sentences


@pytest.mark.parametrize(
    "lang, text, pieces",
    [
        ("en", "It was Atty. Smith who spoke.", 2),
        ("en", "Approx. 12 people came.", 2),
        ("en", "He scored 3 pts. in the game.", 2),
        ("en", "It is 5 a.m. Eastern time.", 2),
        ("en", "Thank you for believing in me. I am so happy.", 1),
        ("en", "He said: “We are done. We are leaving.” Then she left.", 2),
        ("en", "I don't know… Maybe.", 1),
        ("ru", "Об этом сообщил ген. Иванов.", 2),
        ("ru", "Это было 28 сент. 2018 г. в Москве.", 2),
        ("ru", "Мы должны доверять им. По результатам это ясно.", 1),
    ],
)
def test_the_libraries_still_make_the_mistakes_the_rules_repair(lang, text, pieces):
    """When an upgrade fixes one of these, the matching rule in segment.py may go."""
    assert len(segment._splitter(segment.Lang(lang))(text)) == pieces


@pytest.mark.parametrize(
    "lang, sentences",
    [
        ("en", ["Desert Island Discs: Tom Daley felt 'inferior'", "Olympic diver Tom Daley says he felt inferior."]),
        ("ru", ["Македонцы голосуют на референдуме", "Народ Македонии в воскресенье проголосовал."]),
        ("en", ["Storm hits coast", "By John Smith", "Photo: Reuters", "The storm hit on Monday."]),
        ("ru", ["Шторм обрушился на побережье", "Автор: Иван Петров", "Фото: Reuters", "Шторм обрушился."]),
        ("en", ["Key points:", "- prices rose", "- wages fell", "• rents stayed", "1. First", "2) Second"]),
        ("ru", ["Главное:", "— цены выросли", "— зарплаты упали", "1. Первое", "2) Второе"]),
    ],
    ids=["en-headline", "ru-headline", "en-byline", "ru-byline", "en-list", "ru-list"],
)
def test_it_keeps_headlines_bylines_and_list_items_on_their_own(lang, sentences):
    assert split("\n".join(sentences), lang) == sentences


@pytest.mark.parametrize(
    "lang, sentence",
    [
        ("en", "The president said that the\nU.S. economy grew 3.5 percent in\nthe third quarter, most\nsince 2014."),
        ("ru", "Президент заявил, что экономика\nвыросла на 3,5 процента в\nтретьем квартале, быстрее\nчем в 2014 г."),
        ("en", "He met Sen.\nJohn Smith on Monday."),
        ("ru", "Вчера заявил В.\nВ. Путин."),
    ],
    ids=["en-prose", "ru-prose", "en-abbreviation", "ru-initials"],
)
def test_it_does_not_split_prose_at_a_hard_wrap(lang, sentence):
    assert split(sentence, lang) == [sentence]


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_it_numbers_paragraphs_by_blank_lines(lang):
    text = "One.\n \t\u00a0\n\n\r\nTwo. Three.\nFour\n\n\n\u200b\nFive."
    assert [s.paragraph for s in check(text, split_sentences(text, lang))] == [0, 1, 1, 1, 2]


@pytest.mark.parametrize(
    "lang, text, expected",
    [
        (
            "en",
            "\ufeffHe left.\u00a0\u00a0Then\u2009she\tcame.\r\nShe  stayed.\u200bIt ended.\r\n",
            ["He left.", "Then\u2009she\tcame.", "She  stayed.", "It ended."],
        ),
        (
            "en",
            "The gov\u00adern\u00adment fell. A new one rose.",
            ["The gov\u00adern\u00adment fell.", "A new one rose."],
        ),
        (
            "ru",
            "Он\u00a0ушел.\u00a0Затем\u2009пришла\tона.\r\nПра\u00adви\u00adтель\u00adство ушло.\u200bКонец.",
            ["Он\u00a0ушел.", "Затем\u2009пришла\tона.", "Пра\u00adви\u00adтель\u00adство ушло.", "Конец."],
        ),
    ],
    ids=["en-whitespace", "en-soft-hyphens", "ru-whitespace"],
)
def test_it_keeps_offsets_right_in_text_pasted_from_a_web_page(lang, text, expected):
    assert split(text, lang) == expected


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_it_caps_a_run_of_text_without_punctuation(lang):
    sentences = split("word " * 20_000, lang)
    assert 50 <= len(sentences) <= 60
    assert all(len(s) <= MAX_SENTENCE_CHARS and s.endswith("word") for s in sentences)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_it_cuts_a_run_without_spaces_at_the_cap(lang):
    assert [len(s) for s in split("x" * 100_000, lang)] == [MAX_SENTENCE_CHARS] * 50


@pytest.mark.parametrize(
    "lang, template",
    [("en", "This is sentence number {} about Mr. Smith."), ("ru", "Это предложение номер {} о В.В. Путине.")],
)
def test_it_splits_a_long_paragraph_the_same_way_as_short_ones(lang, template):
    expected = [template.format(i) for i in range(400)]
    assert split(" ".join(expected), lang) == expected


def test_it_reads_one_sentence_per_line():
    text = " Headline without a full stop \r\nTwo sentences. On one line.\n\n\u00a0\t\n\nLast line.\n"
    assert lines(text) == ["Headline without a full stop", "Two sentences. On one line.", "Last line."]
    assert [s.paragraph for s in split_lines(text)] == [0, 0, 1]


def test_it_caps_a_very_long_line_too():
    assert all(len(s) <= MAX_SENTENCE_CHARS for s in lines("word " * 1000 + "\n" + "x" * 5000))


def test_it_builds_no_splitter_on_import_and_each_one_only_once():
    importlib.reload(segment)
    assert segment._splitter.cache_info().currsize == 0
    segment.split_sentences("Один. Два.", "ru")
    segment.split_sentences("Три. Четыре.", "ru")
    assert segment._splitter.cache_info().currsize == 1
    assert segment._splitter.cache_info().misses == 1


tricky = st.sampled_from([*".!?…\"“”«»'-— \n\r\t\u00a0\u2009\u200b\u00ad\ufeffaAяЯ1", "\r\n", " Sen. ", "ген. "])
any_text = st.lists(st.one_of(st.characters(codec="utf-8", exclude_categories=["Cs"]), tricky), max_size=150)


@settings(max_examples=300, deadline=None, database=None)
@given(any_text.map("".join))
def test_it_keeps_the_invariants_on_any_text(text):
    check(text, split_sentences(text, "en"))
    check(text, split_sentences(text, "ru"))
    check(text, split_lines(text))


def dev_stories(lang):
    for folder in sorted(need_data(DEV_SET).iterdir()):
        if (folder / f"{lang}.txt").is_file():
            yield [line.strip() for line in (folder / f"{lang}.txt").read_text("utf-8").splitlines() if line.strip()]


def as_web_page(story):
    """A story as a page shows it: the sentences run on; a headline or subhead sits on a line of its own."""
    return "".join(line + (" " if FINAL.search(line) else "\n") for line in story)


@pytest.mark.parametrize("lang, exact_floor, ends_floor", [("en", 0.92, 0.97), ("ru", 0.66, 0.93)])
def test_it_recovers_the_sentences_of_the_dev_stories(lang, exact_floor, ends_floor):
    """Measured: en 116 of 123 stories come back exactly and 121 with every sentence end found; ru 85 and 117.
    The translators kept the English segments, so many Russian lines hold two sentences: no splitter can
    give those back exactly, which is what "every end found" allows for."""
    exact = ends_found = total = 0
    for story in dev_stories(lang):
        text = as_web_page(story)
        sentences = check(text, split_sentences(text, lang))
        line_ends = {sum(len(line) + 1 for line in story[:i]) + len(story[i]) for i in range(len(story))}
        exact += [s.text for s in sentences] == story
        ends_found += line_ends <= {s.end for s in sentences}
        total += 1
    assert exact / total >= exact_floor
    assert ends_found / total >= ends_floor


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_it_reads_every_dev_story_back_line_by_line(lang):
    for story in dev_stories(lang):
        assert lines("\n".join(story)) == story


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_it_splits_dev_stories_the_same_however_messy_their_whitespace(lang):
    odd_spaces = [" ", "  ", "\u00a0", " \u200b", "\t", "\u2009", "\u00a0 "]
    rng = random.Random(13)
    for story in list(dev_stories(lang))[::3]:
        clean = as_web_page(story)
        messy = "".join(
            rng.choice(odd_spaces) if c == " " else "\r\n" if c == "\n" else c + "\u00ad" * (rng.random() < 0.01)
            for c in clean
        )
        visible = [[c for c in s if not blank(c)] for s in split(clean, lang)]
        assert [[c for c in s if not blank(c)] for s in split(messy, lang)] == visible


def test_it_keeps_a_short_attribution_with_the_quote_it_follows():
    text = "\"I yelled at everyone: 'There's a shark in the water!'\" Hammel added. The boy was airlifted."
    assert split(text, "en") == [
        "\"I yelled at everyone: 'There's a shark in the water!'\" Hammel added.",
        "The boy was airlifted.",
    ]
    assert split('"Are you ready?" CNN reported. Then it rained.', "en") == [
        '"Are you ready?" CNN reported.', "Then it rained.",
    ]


def test_it_still_splits_after_a_quote_followed_by_a_new_sentence():
    assert split('He left. "We won!" The crowd said nothing at all that day.', "en") == [
        "He left.", '"We won!"', "The crowd said nothing at all that day.",
    ]
