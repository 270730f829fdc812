"""Words a sentence has and its counterpart's translation lacks, with translations whose text is known."""

import pytest

from alignment.pipeline import AlignConfig, align_texts
from alignment.pipeline.spans import unmatched_spans
from alignment.pipeline.types import Sentence

EN = (
    "Kremlin rejects report\n\n"
    "The Kremlin on Monday rejected a report that President Vladimir Putin had met U.S. envoys in secret.\n"
    "Prices rose by 5 per cent in March, the statistics office said."
)
RU = (
    "Кремль опроверг сообщение\n\n"
    "В понедельник Кремль опроверг сообщение о том, что президент Владимир Путин тайно встречался "
    "с американскими посланниками.\n"
    "Цены в марте выросли на 7 процентов, сообщила служба статистики."
)
# What a translator made of each sentence: faithful, except that the Russian second sentence says 7 per cent
# and names no office, and the English one was rendered without "тайно" and "Владимир".
TRANSLATIONS = {
    ("ru", "Кремль опроверг сообщение"): "Kremlin denies report",
    (
        "ru",
        "В понедельник Кремль опроверг сообщение о том, что президент Владимир Путин тайно встречался "
        "с американскими посланниками.",
    ): "On Monday, the Kremlin denied the report that President Vladimir Putin secretly met with US envoys.",
    ("ru", "Цены в марте выросли на 7 процентов, сообщила служба статистики."):
        "Prices in March rose by 7 percent, the statistics service reported.",
    ("en", "Kremlin rejects report"): "Кремль отвергает сообщение",
    (
        "en",
        "The Kremlin on Monday rejected a report that President Vladimir Putin had met U.S. envoys in secret.",
    ): "В понедельник в Кремле отвергли сообщения о том, что президент Путин встречался с посланником США.",
    ("en", "Prices rose by 5 per cent in March, the statistics office said."):
        "Цены выросли на 5 процентов в марте, сообщило статистическое управление.",
}


class KnownTranslator:
    name = "known"

    def translate(self, texts, source, target):
        return [TRANSLATIONS[source, t] for t in texts]


@pytest.fixture(scope="module")
def result():
    return align_texts(EN, RU, AlignConfig(translate=True), translator=KnownTranslator())


def marked(text, spans):
    return [text[a:b] for a, b in spans]


def test_a_changed_number_and_a_word_left_out_are_marked_in_the_original_text(result):
    en, ru = result.en[2], result.ru[2]
    spans = unmatched_spans(en, "en", ru.translation)
    assert marked(EN, spans) == ["5 per cent", "office"]
    assert all(en.start <= a < b <= en.end for a, b in spans)


def test_words_differing_only_in_their_endings_match(result):
    # "Кремль" / "Кремле", "сообщение" / "сообщения", "посланниками" / "посланником" match; "опроверг" and
    # "отвергли" share too little; the name and the adverb are not in the translation at all.
    spans = unmatched_spans(result.ru[1], "ru", result.en[1].translation)
    assert marked(RU, spans) == ["опроверг", "Владимир", "тайно"]


def test_a_faithful_translation_leaves_only_paraphrased_words(result):
    # "rejected" was translated back as "denied"; every name, number and other word is found.
    assert marked(EN, unmatched_spans(result.en[1], "en", result.ru[1].translation)) == ["rejected"]
    assert marked(EN, unmatched_spans(result.en[0], "en", result.ru[0].translation)) == ["rejects"]


def sentence(text, start=0):
    return Sentence(index=0, text=text, start=start, end=start + len(text), paragraph=0)


def test_names_and_numbers_match_through_their_keys():
    s = sentence("Spokesman Dmitry Peskov said 1.5 million people came.", start=100)
    spans = unmatched_spans(s, "en", "Press secretary Peskov's office: 1,500,000 came.")
    assert marked(" " * 100 + s.text, spans) == ["Spokesman", "Dmitry", "people"]


def test_a_missing_name_is_marked_word_by_word_and_a_present_one_not_at_all():
    s = sentence("The Federal Reserve raised rates, Jerome Powell said.")
    spans = unmatched_spans(s, "en", "Rates were raised by the bank, Powell said.")
    assert marked(s.text, spans) == ["Federal", "Reserve", "Jerome"]


def test_function_words_and_short_words_are_never_marked():
    s = sentence("It was not in the report, and so on.")
    assert unmatched_spans(s, "en", "Report.") == ()
    r = sentence("Он сказал, что это было не так.")
    assert unmatched_spans(r, "ru", "Было.") == ()


def test_a_blank_translation_marks_nothing():
    assert unmatched_spans(sentence("Heavy rain flooded the city."), "en", "  ") == ()


def test_spans_are_sorted_and_distinct():
    s = sentence("Rain and rain flooded Paris and London in 2019.")
    spans = unmatched_spans(s, "en", "Snow.")
    assert spans == tuple(sorted(set(spans)))
    assert marked(s.text, spans) == ["Rain", "rain", "flooded", "Paris", "London", "2019"]
