import numpy as np
import pytest

from alignment.pipeline import lexicon
from alignment.pipeline.run import align_texts
from alignment.pipeline.diverge import find_divergences, turns, weigh
from alignment.pipeline.diverge.polarity import NEGATION_BAR, OPPOSITION_BAR, Turn, Weighed, opposite
from alignment.pipeline.mentions.morphology import inflect_like, lemmas
from alignment.pipeline.types import Bead, Kind
from tests.pipeline.test_diverge import document, one_to_one


def probes(en_line, ru_line):
    _, en = document([en_line])
    _, ru = document([ru_line])
    return turns(one_to_one(1), en, ru)


def test_it_probes_a_negation_the_other_side_lacks():
    found = probes("The officers have not been injured.", "Полицейские были ранены.")
    assert [(t.side, t.word, t.turned, t.text) for t in found] == [
        ("en", "not", "", "The officers have been injured.")
    ]


def test_it_takes_out_a_russian_negation_and_a_contraction():
    (ru,) = probes("He will come.", "Он не придёт.")
    assert ru.text == "Он придёт."
    (en,) = probes("He didn't come.", "Он пришёл.")
    assert en.text == "He did come."
    (first,) = probes("He came.", "Не он пришёл.")
    assert first.text == "Он пришёл."


def test_it_leaves_negation_alone_where_both_sides_negate():
    assert probes("He did not come.", "Он так и не пришёл.") == []
    assert probes("Nobody came.", "Никто не пришёл.") == []


def test_it_turns_a_word_only_where_the_other_side_holds_its_opposition_in_the_other_sense():
    found = probes("Prices fell sharply.", "Цены резко выросли.")
    assert {(t.side, t.word, t.turned) for t in found} == {("en", "fell", "rose"), ("ru", "выросли", "упали")}
    assert all(t.opposition is not None and t.counterpart is not None for t in found)
    assert probes("Prices fell sharply.", "Цены на хлеб остались прежними.") == []
    assert probes("Prices rose sharply.", "Цены резко выросли.") == []


def test_it_asks_nothing_where_a_side_holds_both_senses():
    assert probes("Sales rose in pubs and fell in restaurants.", "Продажи в ресторанах упали.") == []


def test_it_inflects_the_russian_opposite_like_the_word():
    assert inflect_like("северной", "северный", "южный") == "южной"
    assert inflect_like("мужчине", "мужчина", "женщина") == "женщине"
    assert "упасть" in lemmas("упала")


def fake_embed(vectors):
    """An embedder that knows only the given texts: each maps to a unit vector of its own."""

    def embed(texts):
        return np.stack([vectors[t] / np.linalg.norm(vectors[t]) for t in texts]).astype(np.float32)

    return embed


def unit(angle):
    return np.array([np.cos(angle), np.sin(angle)])


def test_a_turn_that_brings_the_sides_together_is_a_meaning_divergence_at_the_word():
    en_line, ru_line = "The officers have not been injured.", "Полицейские были ранены."
    _, en = document([en_line])
    _, ru = document([ru_line])
    beads = one_to_one(1)
    vectors = {en_line: unit(0.6), ru_line: unit(0.0), "The officers have been injured.": unit(0.3)}
    weighed = weigh(turns(beads, en, ru), beads, en, ru, fake_embed(vectors))
    assert weighed[0].gain > NEGATION_BAR
    (bead,) = find_divergences(beads, en, ru, probes=weighed)
    (divergence,) = bead.divergences
    assert divergence.kind == Kind.MEANING
    assert [en_line[a:b] for a, b in divergence.en_spans] == ["not"]
    assert '"not"' in divergence.reason


def test_a_turn_that_takes_the_sides_apart_is_no_divergence():
    en_line, ru_line = "The officers have not been injured.", "Полицейские не были ранены."
    _, en = document([en_line])
    _, ru = document([ru_line])
    beads = one_to_one(1)
    found = [Turn(0, "en", 0, 18, 21, "not", "", "The officers have been injured.")]
    vectors = {en_line: unit(0.1), ru_line: unit(0.0), "The officers have been injured.": unit(0.5)}
    weighed = weigh(found, beads, en, ru, fake_embed(vectors))
    assert weighed[0].gain < 0
    assert opposite(weighed[0], en, ru) is None
    assert find_divergences(beads, en, ru, probes=weighed)[0].divergences == ()


def test_an_opposition_must_bring_the_sides_together_from_both_sides():
    en_line, ru_line = "Prices fell sharply.", "Цены резко выросли."
    _, en = document([en_line])
    _, ru = document([ru_line])
    beads = one_to_one(1)
    found = turns(beads, en, ru)
    turned = {t.side: t.text for t in found}
    # Turning the English helps a lot; turning the Russian hurts: the word is no opposite here.
    vectors = {en_line: unit(0.6), ru_line: unit(0.0), turned["en"]: unit(0.05), turned["ru"]: unit(-0.4)}
    assert weigh(found, beads, en, ru, fake_embed(vectors))[0].gain < 0
    # Both help: the versions say opposite things, and the divergence points at both words.
    vectors[turned["ru"]] = unit(0.5)
    weighed = weigh(found, beads, en, ru, fake_embed(vectors))
    assert weighed[0].gain > OPPOSITION_BAR
    divergence = opposite(weighed[0], en, ru)
    assert divergence is not None and divergence.kind == Kind.MEANING
    assert {en_line[a:b] for a, b in divergence.en_spans} == {"fell"}
    assert {ru_line[a:b] for a, b in divergence.ru_spans} == {"выросли"}


def test_no_probe_no_judgement():
    _, en = document(["Prices fell."])
    _, ru = document(["Цены упали."])
    assert weigh([], one_to_one(1), en, ru, fake_embed({})) == {}
    assert opposite(None, en, ru) is None
    assert opposite(Weighed(Turn(0, "en", 0, 7, 11, "fell", "rose", "Prices rose.", (0, 5, 10), 0), 0.0), en, ru) is None


EN = [
    "Officials in Moscow met on Monday to discuss the budget.",
    "The minister said the plan would be approved by parliament.",
    "The plan will be put to a vote in parliament next month.",
]
RU = [
    "Чиновники в Москве встретились в понедельник, чтобы обсудить бюджет.",
    "Министр заявил, что план будет одобрен парламентом.",
    "План вынесут на голосование в парламенте в следующем месяце.",
]


def meaning_rows(en_lines, ru_lines):
    result = align_texts(en_lines, ru_lines)
    return [b.en for b in result.beads if any(d.kind == Kind.MEANING for d in b.divergences)]


def test_the_engine_flags_a_negation_put_into_a_faithful_translation():
    assert meaning_rows(EN, RU) == []
    negated = [EN[0], EN[1].replace("would be", "would not be"), EN[2]]
    assert meaning_rows(negated, RU) == [(1,)]


def test_every_line_of_the_contrast_table_pairs_forms_position_by_position():
    for row in lexicon.table("contrasts"):
        assert len(row) == 4, row
        for a, b in (row[:2], row[2:]):
            assert (a == "-") == (b == "-"), row
            assert len(a.split("|")) == len(b.split("|")), row


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_negation_table_names_its_language_and_what_each_word_becomes(language):
    rows = [row for row in lexicon.table("negation") if row[0] == language]
    assert rows and all(len(row) == 3 for row in rows)
