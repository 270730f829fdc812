import json

import pytest

from alignment.pipeline import AlignConfig, Kind, PipelineError, align_texts
from tests.conftest import dev_story

EN = """Kremlin rejects report on talks

MOSCOW — The Kremlin on Monday rejected a report that President Vladimir Putin had met U.S. envoys in secret. \
Spokesman Dmitry Peskov called the report "pure fiction."

The meeting was said to have taken place on September 5 in Geneva."""

RU = """Кремль опроверг сообщение о переговорах

МОСКВА — В понедельник Кремль опроверг сообщение о том, что президент Владимир Путин тайно встречался \
с американскими посланниками. Пресс-секретарь Дмитрий Песков назвал сообщение «чистым вымыслом».

Встреча якобы состоялась 5 сентября в Женеве."""


def test_it_aligns_a_story_given_as_prose():
    result = align_texts(EN, RU)
    assert [(b.en, b.ru) for b in result.beads] == [((i,), (i,)) for i in range(4)]
    assert result.embedder == "use-m3"
    for sentence in result.en:
        assert EN[sentence.start:sentence.end] == sentence.text
    for sentence in result.ru:
        assert RU[sentence.start:sentence.end] == sentence.text
    assert [s.paragraph for s in result.en] == [0, 1, 1, 2]
    assert result.stats.en_coverage == pytest.approx(1.0)
    assert result.stats.ru_coverage == pytest.approx(1.0)
    assert 0.5 < result.stats.mean_similarity <= 1.0


def test_it_accepts_pre_segmented_input_as_lists_or_lines(story):
    en, ru, gold = story
    from_lists = align_texts(en, ru)
    from_lines = align_texts("\n".join(en), "\n".join(ru), AlignConfig(presegmented=True))
    assert [[list(b.en), list(b.ru)] for b in from_lists.beads] == gold
    assert from_lists.to_dict()["pairs"] == from_lines.to_dict()["pairs"]
    assert [s.text for s in from_lines.en] == en


def test_it_reports_a_sentence_cut_from_the_russian_version():
    en, ru, _ = dev_story("abcnews.306755")
    result = align_texts(en, ru[:3] + ru[4:])
    cut = [b for b in result.beads if b.en == (3,)]
    assert cut and cut[0].ru == ()
    assert [d.kind for d in cut[0].divergences] == [Kind.ONLY_EN]
    assert result.stats.count(Kind.ONLY_EN) >= 1
    assert result.stats.en_coverage < 1.0
    assert result.stats.ru_coverage == pytest.approx(1.0)


def test_the_json_follows_the_contract():
    data = json.loads(json.dumps(align_texts(EN, RU).to_dict()))
    assert set(data) >= {"pairs", "sentences", "stats"}
    assert set(data["sentences"]) == {"en", "ru"}
    assert set(data["sentences"]["en"][0]) >= {"index", "text", "start", "end"}
    pair = data["pairs"][0]
    assert set(pair) >= {"en", "ru", "score", "divergences"}
    assert pair["en"] == [0] and pair["ru"] == [0]
    assert 0.0 <= pair["score"] <= 1.0
    assert set(data["stats"]["divergences"]) == {k.value for k in Kind}


def test_progress_is_reported_stage_by_stage():
    seen = []
    align_texts(EN, RU, progress=lambda stage, fraction: seen.append((stage, fraction)))
    stages = list(dict.fromkeys(stage for stage, _ in seen))
    assert stages == ["segment", "embed", "align", "diverge"]
    assert seen[-1] == ("diverge", 1.0)


@pytest.mark.parametrize(
    "en, ru, side, code",
    [
        ("", RU, "en", "empty"),
        ("   \n\t \u00a0\n", RU, "en", "empty"),
        (EN, "", "ru", "empty"),
        ("\x00\x01\x02binary\x03\x04" * 50, RU, "en", "binary"),
        (EN, bytes(range(256)).decode("latin-1") * 20, "ru", "binary"),
        (EN, EN, "ru", "same_language"),
        (RU, RU, "en", "same_language"),
        (RU, EN, None, "swapped"),
    ],
)
def test_bad_input_gets_a_clear_pipeline_error(en, ru, side, code):
    with pytest.raises(PipelineError) as caught:
        align_texts(en, ru)
    assert caught.value.side == side
    assert caught.value.code == code
    assert str(caught.value)[0].isupper()


def test_too_many_sentences_are_refused_with_the_limit():
    with pytest.raises(PipelineError, match="limit is 5") as caught:
        align_texts(["One."] * 6, ["Одно."] * 6, AlignConfig(max_sentences=5))
    assert caught.value.code == "too_many_sentences"


def test_an_unknown_embedder_is_a_pipeline_error():
    with pytest.raises(PipelineError, match="Unknown embedder"):
        align_texts(EN, RU, AlignConfig(embedder="nope"))


def test_a_hundred_thousand_characters_without_punctuation_give_a_sensible_result():
    endless = " ".join(["word"] * 20_000)
    result = align_texts(endless, RU)
    assert len(result.en) >= 10
    assert all(len(s.text) <= 5_000 for s in result.en)
    covered = [i for b in result.beads for i in b.en]
    assert covered == list(range(len(result.en)))


def test_mixed_language_text_still_aligns():
    mixed_ru = RU + "\n\nThe Boston Globe сообщает, что Reuters и Bloomberg подтвердили эту информацию."
    result = align_texts(EN, mixed_ru)
    assert [j for b in result.beads for j in b.ru] == list(range(len(result.ru)))
    assert result.beads[-1].ru == (len(result.ru) - 1,) and result.beads[-1].en == ()


def test_one_word_per_side_still_aligns():
    result = align_texts("Hello", "Привет")
    assert [(b.en, b.ru) for b in result.beads] == [((0,), (0,))]


def test_the_result_keeps_what_may_be_furniture_for_later_corrections():
    en = EN + "\n\nSign up for our free weekly newsletter"
    result = align_texts(en, RU)
    last = result.en[-1]
    assert last.text == "Sign up for our free weekly newsletter"
    assert last.index in result.furniture["en"]
    assert all(s.index not in result.furniture["en"] for s in result.en[1:-1])  # the story's body is not
