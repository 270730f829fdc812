"""A reviewed story to share: eight pairs, one divergence confirmed with a note, one left pending, one dismissed."""

import pytest
from django.utils import timezone

from alignment.models import Divergence, Document, Verdict
from tests.web.test_views_alignment import Div, build_story

TITLE = "The bridge that cost too much"
CONFIRMED_NOTE = "Checked against the budget of the city"
PENDING_REASON = "Only in the English version: the detentions."
DISMISSED_REASON = "Ivanov against Petrov."

ROWS = [
    (["The mayor opened the bridge."], ["Мэр открыл мост."], []),
    (["It cost 42 million dollars."], ["Он стоил 43 миллиона долларов."],
     [Div("number", "42 in English, 43 in Russian.", 0.8, en=["42"], ru=["43"])]),
    (["Traffic starts in May."], ["Движение начнётся в мае."], []),
    (["The opposition called it a waste."], ["Оппозиция назвала это расточительством."], []),
    (["Critics were detained at the opening."], [], [Div("only_en", PENDING_REASON, 0.7,
                                                         en=["Critics were detained at the opening."])]),
    (["The weather was fine."], ["Погода была хорошей."], []),
    (["Ivanov said so."], ["Петров так сказал."], [Div("name", DISMISSED_REASON, 0.9, en=["Ivanov"], ru=["Петров"])]),
    (["The end."], ["Конец."], []),
]


def divergence(story, kind) -> Divergence:
    return Divergence.objects.get(pair__story=story, kind=kind)


@pytest.fixture
def story(db, owner):
    story = build_story(owner, ROWS, title=TITLE)
    now = timezone.now()
    Divergence.objects.filter(pk=divergence(story, "number").pk).update(
        verdict=Verdict.CONFIRMED, category="mistranslation", note=CONFIRMED_NOTE, reviewed_by=owner, reviewed_at=now)
    Divergence.objects.filter(pk=divergence(story, "name").pk).update(
        verdict=Verdict.DISMISSED, reviewed_by=owner, reviewed_at=now)
    Document.objects.filter(story=story, language="en").update(
        source_url="https://example.org/en/bridge", file_name="draft-from-the-desk.html", page_title="Bridge opens")
    Document.objects.filter(story=story, language="ru").update(source_url="https://example.org/ru/most")
    return story
