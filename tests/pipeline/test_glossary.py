"""A glossary in the name check: where its spellings are found (Russian through its case forms), a listed pair
counting as a match, and a listed name without its partner flagged with the glossary as the reason."""

import pytest

from alignment.pipeline.diverge import find_divergences
from alignment.pipeline.mentions.glossary import GlossaryIndex, headword
from alignment.pipeline.types import GlossaryPair, Kind
from tests.conftest import DEV_DATA
from tests.needs import need_data
from tests.pipeline.test_diverge import EN_STORY, RU_STORY, document, kinds, one_to_one, surfaces, with_line

IVAN = GlossaryPair(("Ivan the Terrible",), ("Иван Грозный",))
PUTIN = GlossaryPair(("Putin", "Vladimir Putin"), ("Путин", "Владимир Путин"))
VARIETY = GlossaryPair(("Variety",), ("Variety", "Варайети"))

IVAN_EN = "The minister spoke at length about Ivan the Terrible during the meeting on Tuesday."
IVAN_RU = "Министр долго говорил об Иване Грозном во время встречи во вторник."


def found(text, *pairs):
    return [(n.entry, n.text) for n in GlossaryIndex(pairs).find(text)]


def detect(k, en_line, ru_line, glossary=()):
    """The divergences of bead ``k`` once its lines are replaced, with the English and Russian texts."""
    en_text, en = document(with_line(EN_STORY, k, en_line))
    ru_text, ru = document(with_line(RU_STORY, k, ru_line))
    beads = find_divergences(one_to_one(len(en)), en, ru, glossary=glossary)
    return beads[k], en_text, ru_text


# ---------------------------------------------------------------------------------------------------- Finding


def test_a_russian_spelling_finds_the_names_case_forms():
    text = "Путину позвонили, Путина не застали, с Путиным говорили."
    assert found(text, PUTIN) == [(0, "Путину"), (0, "Путина"), (0, "Путиным")]


def test_a_spelling_of_several_words_is_found_declined_and_wins_over_its_parts():
    pairs = (IVAN, GlossaryPair(("Terrible",), ("Грозный",)), GlossaryPair(("Maria Zakharova",), ("Мария Захарова",)))
    text = "Об Иване Грозном, о Грозном и о Марии Захаровой."
    assert found(text, *pairs) == [(0, "Иване Грозном"), (1, "Грозном"), (2, "Марии Захаровой")]
    assert found("Ivan the Terrible's rule.", *pairs) == [(0, "Ivan the Terrible")]


def test_a_capitalised_spelling_is_not_found_in_a_common_word():
    peskov = GlossaryPair(("Peskov",), ("Песков",))
    assert found("Караван шёл среди песков.", peskov) == []
    assert found("Песков ответил.", peskov) == [(0, "Песков")]


def test_a_russian_text_may_keep_the_english_spelling():
    meduza = GlossaryPair(("Meduza",), ("Медуза",))
    assert found("Об этом сообщила Meduza.", meduza) == [(0, "Meduza")]


def test_a_glossary_spelling_is_suggested_in_its_dictionary_form():
    assert headword("Иване Грозном") == "Иван Грозный"
    assert headword("Марии Захаровой") == "Мария Захарова"
    assert headword("Ivan the Terrible") == "Ivan the Terrible"
    assert headword("Сунаком") == "Сунаком"  # a word the dictionary does not know is left as it is


# ---------------------------------------------------------------------------------------------------- Judging


def test_a_listed_pair_counts_as_a_match():
    bead, _, _ = detect(2, IVAN_EN, IVAN_RU)
    assert kinds(bead) == [Kind.NAME]  # without the glossary, "Terrible" and "Грозном" look like two names
    bead, _, _ = detect(2, IVAN_EN, IVAN_RU, glossary=(IVAN,))
    assert kinds(bead) == []


def test_a_listed_name_without_its_partner_is_flagged_with_the_glossary_as_the_reason():
    en_line = "The plan will be put to a vote in parliament next month, Variety reported."
    ru_line = "План вынесут на голосование в парламенте в следующем месяце, сообщают СМИ."
    bead, _, _ = detect(4, en_line, ru_line)
    assert kinds(bead) == []  # alone, "Variety" may be a common word the other side translates
    bead, en_text, _ = detect(4, en_line, ru_line, glossary=(VARIETY,))
    [divergence] = bead.divergences
    assert divergence.kind == Kind.NAME
    assert divergence.reason == "Name only in English: Variety (the glossary pairs Variety with Variety)"
    assert surfaces(en_text, divergence.en_spans) == ["Variety"] and divergence.ru_spans == ()


def test_the_glossary_takes_over_the_name_checks_own_flag_for_a_listed_name():
    en_line = "Putin said the plan would be put to a vote in parliament next month."
    ru_line = "Президент сказал, что план вынесут на голосование в парламенте в следующем месяце."
    bead, _, _ = detect(4, en_line, ru_line)
    assert [d.reason for d in bead.divergences] == ["Name only in English: Putin"]
    bead, _, _ = detect(4, en_line, ru_line, glossary=(PUTIN,))
    assert [d.reason for d in bead.divergences] == ["Name only in English: Putin (the glossary pairs Putin with Путин)"]


def test_two_listed_names_each_without_its_partner_are_one_name_put_for_another():
    lavrov = GlossaryPair(("Lavrov",), ("Лавров",))
    bead, en_text, ru_text = detect(
        4, "Putin said the plan would be put to a vote in parliament next month.",
        "Лавров сказал, что план вынесут на голосование в парламенте в следующем месяце.", glossary=(PUTIN, lavrov),
    )
    [divergence] = bead.divergences
    assert divergence.reason == (
        "Name differs: Putin in English, Лавров in Russian (the glossary pairs Putin with Путин, Lavrov with Лавров)"
    )
    assert surfaces(en_text, divergence.en_spans) == ["Putin"] and surfaces(ru_text, divergence.ru_spans) == ["Лавров"]
    assert divergence.severity > detect(4, "Putin said so at the vote in parliament next month.",
                                        "Так сказали при голосовании в парламенте в следующем месяце.",
                                        glossary=(PUTIN,))[0].divergences[0].severity


def test_a_listed_name_in_another_case_is_its_partner():
    bead, _, _ = detect(
        4, "The plan was sent to Putin, who will put it to a vote in parliament next month.",
        "План отправили Путину, который вынесет его на голосование в парламенте в следующем месяце.",
        glossary=(PUTIN,),
    )
    assert kinds(bead) == []


@pytest.mark.parametrize("ru_line, why", [
    ("Он сказал, что план вынесут на голосование в парламенте в следующем месяце.", "a he stands for the name"),
    ("Так сказали о плане, который вынесут на голосование в парламенте.", "the next sentence names him"),
])
def test_a_listed_name_is_not_flagged_where_a_translator_may_leave_it_out(ru_line, why):
    en_line = "Putin said the plan would be put to a vote in parliament next month."
    en_text, en = document(with_line(EN_STORY, 4, en_line))
    ru_lines = with_line(RU_STORY, 4, ru_line)
    if why == "the next sentence names him":
        ru_lines = with_line(ru_lines, 5, "Путин ожидает, что план пройдёт с уверенным большинством.")
    _, ru = document(ru_lines)
    beads = find_divergences(one_to_one(len(en)), en, ru, glossary=(PUTIN,))
    assert kinds(beads[4]) == [], why


def test_the_glossary_leaves_alone_a_pair_of_different_meaning_and_an_unpaired_sentence():
    en_text, en = document(with_line(EN_STORY, 4, "Putin said the plan would be put to a vote next month."))
    _, ru = document(RU_STORY)
    beads = [*one_to_one(4), *one_to_one(6)[5:]]
    beads.insert(4, type(beads[0])((4,), (), 0.0, 0.0))
    beads.insert(5, type(beads[0])((), (4,), 0.0, 0.0))
    found_beads = find_divergences(beads, en, ru, glossary=(PUTIN,))
    assert [kinds(b) for b in found_beads[4:6]] == [[Kind.ONLY_EN], [Kind.ONLY_RU]]
    low = one_to_one(6, low={4: 0.05})
    assert kinds(find_divergences(low, en, ru, glossary=(PUTIN,))[4]) == [Kind.MEANING]


def test_a_glossary_of_names_the_stories_never_give_changes_nothing():
    need_data(DEV_DATA)
    strangers = (GlossaryPair(("Ivan the Terrible",), ("Иван Грозный",)), GlossaryPair(("Zyx Qwerty",), ("Зыкс",)))
    for folder in sorted(p for p in DEV_DATA.iterdir() if p.is_dir())[:12]:
        _, en = document((folder / "en.txt").read_text(encoding="utf-8").splitlines())
        _, ru = document((folder / "ru.txt").read_text(encoding="utf-8").splitlines())
        n = min(len(en), len(ru))
        beads = one_to_one(n)
        assert find_divergences(beads, en, ru, glossary=strangers) == find_divergences(beads, en, ru), folder.name
