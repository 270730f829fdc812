"""The translate stage of align_texts, with a fake translator whose every call and output is known."""

import json

import pytest

from alignment.pipeline import AlignConfig, align_texts
from alignment.pipeline.run import _TRANSLATE_CHUNK

EN = ["The talks failed on Monday.", "Both sides left Geneva.", "The talks failed on Monday."]
RU = ["Переговоры провалились в понедельник.", "Обе стороны покинули Женеву."]


class FakeTranslator:
    """Tags each text with its direction: "[en→ru] The talks failed on Monday."; records every call."""

    name = "fake"

    def __init__(self):
        self.calls: list[tuple[str, str, list[str]]] = []

    def translate(self, texts, source, target):
        self.calls.append((source, target, list(texts)))
        return [f"[{source}→{target}] {t}" for t in texts]


def translated(en=EN, ru=RU, **kwargs):
    translator = kwargs.pop("translator", FakeTranslator())
    result = align_texts(en, ru, AlignConfig(translate=True), translator=translator, **kwargs)
    return result, translator


def test_every_sentence_carries_its_translation_into_the_other_language():
    result, _ = translated()
    assert [s.translation for s in result.en] == [f"[en→ru] {t}" for t in EN]
    assert [s.translation for s in result.ru] == [f"[ru→en] {t}" for t in RU]


def test_each_direction_is_one_call_of_distinct_texts():
    _, translator = translated()
    assert translator.calls == [
        ("en", "ru", sorted(set(EN))),  # the repeated sentence is translated once
        ("ru", "en", sorted(RU)),
    ]


def test_a_long_story_is_translated_in_chunks_one_call_each():
    en = [f"Sentence number {k} of the English story." for k in range(_TRANSLATE_CHUNK + 5)]
    ru = [f"Предложение номер {k} русской версии." for k in range(_TRANSLATE_CHUNK + 5)]
    _, translator = translated(en, ru)
    assert [(s, t, len(texts)) for s, t, texts in translator.calls] == [
        ("en", "ru", _TRANSLATE_CHUNK), ("en", "ru", 5), ("ru", "en", _TRANSLATE_CHUNK), ("ru", "en", 5),
    ]
    assert sorted(t for _, _, texts in translator.calls[:2] for t in texts) == sorted(en)


def test_known_translations_are_reused_not_redone():
    known = {("en", EN[0]): "Переговоры сорвались в понедельник.", ("ru", RU[1]): "Both sides left Geneva."}
    result, translator = translated(known_translations=known)
    assert translator.calls == [("en", "ru", [EN[1]]), ("ru", "en", [RU[0]])]
    assert result.en[0].translation == result.en[2].translation == "Переговоры сорвались в понедельник."
    assert result.ru[1].translation == "Both sides left Geneva."
    assert result.en[1].translation == f"[en→ru] {EN[1]}"


def test_nothing_is_sent_when_every_translation_is_known():
    known = {("en", t): "x" for t in EN} | {("ru", t): "y" for t in RU}
    result, translator = translated(known_translations=known)
    assert translator.calls == []
    assert {s.translation for s in result.en} == {"x"}


def test_progress_goes_from_segment_through_translate_to_the_end():
    en = [f"Sentence number {k} of the English story." for k in range(_TRANSLATE_CHUNK + 5)]
    ru = [f"Предложение номер {k} русской версии." for k in range(_TRANSLATE_CHUNK + 5)]
    seen = []
    translated(en, ru, progress=lambda stage, fraction: seen.append((stage, fraction)))
    stages = list(dict.fromkeys(stage for stage, _ in seen))
    assert stages == ["segment", "translate", "embed", "align", "diverge"]
    fractions = [f for stage, f in seen if stage == "translate"]
    assert fractions[0] == 0.0 and fractions[-1] == 1.0
    assert fractions == sorted(fractions)
    assert len(set(fractions)) >= 4  # reported after each of the four chunks, not only at both ends
    assert fractions[1] == pytest.approx(_TRANSLATE_CHUNK / len(en + ru))


def test_the_json_carries_the_translation_only_when_translated():
    result, _ = translated()
    data = json.loads(json.dumps(result.to_dict()))
    assert [s["translation"] for s in data["sentences"]["ru"]] == [f"[ru→en] {t}" for t in RU]
    plain = align_texts(EN, RU).to_dict()
    assert all("translation" not in s for side in plain["sentences"].values() for s in side)


@pytest.mark.parametrize("config, translator", [(AlignConfig(translate=True), None), (AlignConfig(), FakeTranslator())])
def test_without_the_flag_or_a_translator_nothing_is_translated(config, translator):
    result = align_texts(EN, RU, config, translator=translator)
    assert all(s.translation is None for s in (*result.en, *result.ru))
    assert translator is None or translator.calls == []


def test_translations_leave_the_alignment_alone_without_a_mono_embedder():
    result, _ = translated()
    plain = align_texts(EN, RU)
    assert result.to_dict()["pairs"] == plain.to_dict()["pairs"]
