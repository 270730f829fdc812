"""The API's alignment carries each sentence's translation, exactly as the pipeline's JSON does."""

import pytest

from alignment import jobs
from alignment.pipeline import align_texts
from tests.api.test_api import EN, RU, api, url  # noqa: F401  (api is a fixture)
from tests.conftest import CountingTranslator, make_story

pytestmark = pytest.mark.django_db


def test_a_translated_story_gives_every_sentence_its_translation(api, owner, no_broker, fake_translator):
    story = make_story(owner, en=EN, ru=RU)
    data = api.get(url(story, "alignment/")).json()
    sentences = data["sentences"]["en"] + data["sentences"]["ru"]
    assert sentences and all("translation" in s for s in sentences)
    assert data["sentences"]["en"][0]["translation"] == f"[ru] {data['sentences']['en'][0]['text']}"
    assert data["sentences"]["ru"][0]["translation"] == f"[en] {data['sentences']['ru'][0]['text']}"

    expected = align_texts(EN, RU, jobs.config(translate=True), translator=CountingTranslator()).to_dict()
    assert data == expected


def test_an_untranslated_story_has_no_translation_key_as_in_the_pipeline(api, owner, no_broker):
    story = make_story(owner, en=EN, ru=RU)
    data = api.get(url(story, "alignment/")).json()
    assert not any("translation" in s for s in data["sentences"]["en"] + data["sentences"]["ru"])
    assert data == align_texts(EN, RU, jobs.config()).to_dict()
