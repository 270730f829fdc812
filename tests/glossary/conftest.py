"""Helpers for the glossary tests: a processed story whose names the detector reads (written straight to the rows,
its name divergences exactly as the detector finds them), a collection, and a glossary entry."""

import pytest

from alignment.glossary.entries import Scope, Spelled, save
from alignment.models import Collection, Divergence
from tests.pipeline.test_diverge import EN_STORY, RU_STORY
from tests.web.test_views_alignment import Div, build_story

IVAN_EN = "The minister spoke at length about Ivan the Terrible during the meeting on Tuesday."
IVAN_RU = "Министр долго говорил об Иване Грозном во время встречи во вторник."
IVAN_REASON = "Name differs: Terrible in English, Грозном in Russian"
PUTIN_EN = "Putin said the plan would be put to a vote in parliament next month."
PUTIN_RU = "Президент сказал, что план вынесут на голосование в парламенте в следующем месяце."
PUTIN_REASON = "Name only in English: Putin"
PUTIN_LISTED = "Name only in English: Putin (the glossary pairs Putin with Путин)"
VARIETY_EN = "Analysts expect the plan to pass with a comfortable majority, Variety reported."
VARIETY_RU = "Аналитики ожидают, что план пройдёт с уверенным большинством, сообщают СМИ."


def named_rows():
    """Six pairs: the third names Ivan the Terrible (flagged: the spellings look like two names), the fifth
    Putin, whom the Russian calls the president (flagged), the sixth Variety, which only the English gives (not
    flagged: alone, it may be a common word)."""
    lines = list(zip(EN_STORY, RU_STORY))
    lines[2], lines[4], lines[5] = (IVAN_EN, IVAN_RU), (PUTIN_EN, PUTIN_RU), (VARIETY_EN, VARIETY_RU)
    flags = {2: [Div("name", IVAN_REASON, 0.7, en=["Terrible"], ru=["Грозном"])],
             4: [Div("name", PUTIN_REASON, 0.5, en=["Putin"])]}
    return [([en], [ru], flags.get(k, [])) for k, (en, ru) in enumerate(lines)]


@pytest.fixture
def named(owner):
    return build_story(owner, named_rows(), title="Named story")


@pytest.fixture
def collection(owner):
    return Collection.objects.create(owner=owner, name="Tsars")


def add(owner, en, ru, collection=None, note="", en_variants=(), ru_variants=()):
    return save(Scope(owner, collection), Spelled.of(en, ru, en_variants, ru_variants, note))


def names_of(story) -> list[tuple[int, str]]:
    """The story's name divergences: (pair order, reason)."""
    return list(Divergence.objects.filter(pair__story=story, kind="name").order_by("pair__order", "pk")
                .values_list("pair__order", "reason"))
