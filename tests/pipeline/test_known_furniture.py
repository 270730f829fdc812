"""What a collection knows of its outlet overrules the furniture model: a line that recurs across its stories is
furniture beyond doubt, and a line its owner struck off is news."""

import pytest

from alignment.pipeline import AlignConfig, align_texts
from alignment.pipeline.furniture import furniture_key
from alignment.pipeline.types import Kind

pytestmark = pytest.mark.slow

# The extra line stands inside the story, where the model reads a line the other version lacks as news.
EN = ("The city council approved the new budget on Monday. {extra} The vote was seven to two. "
      "Officials said the money would go to schools and roads.")
RU = ("Городской совет утвердил новый бюджет в понедельник. Голосование прошло со счетом семь к двум. "
      "Чиновники заявили, что деньги пойдут на школы и дороги.")
PLAIN = "The weather in the region stayed mild for most of the week."
APPEAL = "Subscribe to our newsletter to get the best stories every morning."


def kinds_of(en_extra: str, **config) -> set:
    result = align_texts(EN.format(extra=en_extra), RU, AlignConfig(**config))
    extra = next(s.index for s in result.en if s.text == en_extra)
    bead = next(b for b in result.beads if extra in b.en)
    return {d.kind for d in bead.divergences}, result.furniture["en"].get(extra)


def test_the_key_makes_case_spacing_and_punctuation_alike():
    assert furniture_key("Support  our journalism!") == furniture_key("support our journalism")
    assert furniture_key("Support our journalism") != furniture_key("Support our reporting")


def test_a_line_the_collection_learned_is_furniture_though_it_reads_as_news():
    kinds, label = kinds_of(PLAIN)
    assert Kind.BOILERPLATE not in kinds and label is None  # news to the model on its own
    kinds, label = kinds_of(PLAIN, known_furniture=frozenset({furniture_key(PLAIN.upper())}))
    assert Kind.BOILERPLATE in kinds and label == "recurring"


def test_a_line_the_owner_struck_off_is_not_furniture():
    kinds, label = kinds_of(APPEAL)
    assert Kind.BOILERPLATE in kinds  # the model's own reading
    kinds, label = kinds_of(APPEAL, not_furniture=frozenset({furniture_key(APPEAL)}))
    assert Kind.BOILERPLATE not in kinds and label is None


def test_learned_lines_that_translate_each_other_stay_apart_as_furniture():
    en = ["The city council approved the new budget on Monday.", "The vote was seven to two.",
          "Officials said the money would go to schools and roads.", "Get our news on your phone: download the app."]
    ru = ["Городской совет утвердил новый бюджет в понедельник.", "Голосование прошло со счетом семь к двум.",
          "Чиновники заявили, что деньги пойдут на школы и дороги.",
          "Установите наше приложение, чтобы первыми узнавать новости."]

    def last_bead(**config):
        result = align_texts("\n".join(en), "\n".join(ru), AlignConfig(presegmented=True, **config))
        return [b for b in result.beads if len(en) - 1 in b.en or len(ru) - 1 in b.ru]

    assert [(b.en, b.ru) for b in last_bead()] == [((3,), (3,))]  # the two app prompts translate each other
    beads = last_bead(known_furniture=frozenset({furniture_key(en[-1]), furniture_key(ru[-1])}))
    assert sorted((b.en, b.ru) for b in beads) == [((), (3,)), ((3,), ())]
    assert all(Kind.BOILERPLATE in {d.kind for d in b.divergences} for b in beads)
