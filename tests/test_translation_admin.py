"""The admin shows each sentence's machine translation, and what translated a story or why nothing did."""

import pytest

from alignment.models import Sentence, Story
from tests.test_admin import admin_url, changelist, make_rows, staff_client  # noqa: F401  (staff_client is a fixture)

pytestmark = pytest.mark.django_db


def test_the_sentence_list_shows_and_searches_the_translations(staff_client, owner, no_broker):
    (story,) = make_rows(owner, 1)
    Sentence.objects.filter(document__story=story, language="en").update(translation="Переговоры <b>сорвались</b>.")
    html = changelist(staff_client, Sentence).content.decode()
    assert "Machine translation" in html and "Переговоры &lt;b&gt;сорвались&lt;/b&gt;." in html
    found = changelist(staff_client, Sentence, "?q=сорвались").content.decode()
    assert "1 sentence" in found and "The talks failed." in found


def test_a_story_page_says_what_translated_it_or_why_nothing_did(staff_client, owner, no_broker):
    translated, skipped = make_rows(owner, 2)
    Story.objects.filter(pk=translated.pk).update(translator="argos en→ru 1.9, ru→en 1.9")
    Story.objects.filter(pk=skipped.pk).update(translation_skipped="Translation is switched off (SVERKA_TRANSLATE=0).")
    assert "argos en→ru 1.9, ru→en 1.9" in staff_client.get(admin_url(Story, "change", translated.pk)).content.decode()
    html = staff_client.get(admin_url(Story, "change", skipped.pk)).content.decode()
    assert "Translation is switched off (SVERKA_TRANSLATE=0)." in html
