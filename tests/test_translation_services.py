"""Translation in the worker's service: glosses saved per sentence, reused on a re-run, a stage of their own in
the progress, and the reason recorded when a story is not translated."""

import io

import pytest
from django.core.management import call_command

from alignment import jobs, stories, translation
from alignment.models import Job, Sentence
from tests.argos_fixture import tiny_packages  # noqa: F401  (fixture)
from tests.conftest import make_story

pytestmark = pytest.mark.django_db

EN = (
    "The talks in Geneva failed on Monday after three days of negotiations. Both sides left the city with 25 "
    "delegates each, according to Sergei Lavrov.\n\nThe ministry said nothing more about the next round."
)
RU = (
    "Переговоры в Женеве провалились в понедельник после трёх дней обсуждений. Обе стороны покинули город с 25 "
    "делегатами каждая, сообщил Сергей Лавров.\n\nМинистерство больше ничего не сообщило о следующем раунде."
)
CHANGED = "Министерство пообещало новый раунд в июне."


def install(packages):
    for package in packages.values():
        call_command("install_models", "--from", str(package), stdout=io.StringIO())


def glosses(story) -> dict[tuple[str, str], str]:
    rows = Sentence.objects.filter(document__story=story).values_list("language", "text", "translation")
    return {(lang, text): gloss for lang, text, gloss in rows}


def run_again(story, ru=None):
    if ru is not None:
        story.documents.filter(language="ru").update(text=ru)
    jobs.run_job(stories.rerun(story).pk)
    story.refresh_from_db()
    return story


def test_each_sentence_is_saved_with_its_translation_into_the_other_language(owner, no_broker, fake_translator):
    story = make_story(owner, en=EN, ru=RU)
    saved = glosses(story)
    assert len(saved) == 6
    for (lang, text), gloss in saved.items():
        assert gloss == f"[{'ru' if lang == 'en' else 'en'}] {text}"
    assert story.translator == "argos en→ru 1.0, ru→en 1.0"
    assert story.translation_skipped == ""
    assert {(source, target) for source, target, _ in fake_translator.calls} == {("en", "ru"), ("ru", "en")}


def test_a_rerun_translates_only_the_sentences_that_changed(owner, no_broker, fake_translator):
    story = make_story(owner, en=EN, ru=RU)
    assert len(fake_translator.texts) == 6
    fake_translator.calls.clear()

    story = run_again(story, ru=RU.replace("Министерство больше ничего не сообщило о следующем раунде.", CHANGED))
    assert fake_translator.calls == [("ru", "en", [CHANGED])]
    saved = glosses(story)
    assert saved["ru", CHANGED] == f"[en] {CHANGED}"
    assert saved["en", "The ministry said nothing more about the next round."] == (
        "[ru] The ministry said nothing more about the next round."
    )
    assert len(saved) == 6 and all(saved.values())


def test_a_rerun_of_an_unchanged_story_translates_nothing(owner, no_broker, fake_translator):
    story = make_story(owner, en=EN, ru=RU)
    before = glosses(story)
    fake_translator.calls.clear()
    story = run_again(story)
    assert fake_translator.calls == []
    assert glosses(story) == before


def test_new_package_versions_translate_every_sentence_again(owner, no_broker, fake_translator, monkeypatch):
    story = make_story(owner, en=EN, ru=RU)
    fake_translator.calls.clear()
    upgraded = translation.TranslationStatus(enabled=True, missing=(), installed=("en→ru 1.1", "ru→en 1.0"))
    monkeypatch.setattr(translation, "status", lambda: upgraded)
    story = run_again(story)
    assert len(fake_translator.texts) == 6
    assert story.translator == "argos en→ru 1.1, ru→en 1.0"


def test_the_translate_stage_shows_in_the_jobs_progress(owner, no_broker, fake_translator):
    story = make_story(owner, en=EN, ru=RU, process=False)
    job = story.jobs.get()
    seen = []
    fake_translator.on_call = lambda: seen.append(Job.objects.values_list("stage", "progress").get(pk=job.pk))
    jobs.run_job(job.pk)
    low, high = jobs.TRANSLATED_STAGES["translate"]
    assert seen and all(stage == "translate" and low <= progress < high for stage, progress in seen)
    job.refresh_from_db()
    assert job.stage == "done" and job.progress == 1.0


def test_without_models_the_story_records_why_it_was_not_translated(owner, no_broker):
    story = make_story(owner, en=EN, ru=RU)
    assert story.jobs.get().status == "done"
    assert story.translator == ""
    assert story.translation_skipped == "No Argos Translate package is installed for en→ru, ru→en."
    assert set(glosses(story).values()) == {""}


def test_switched_off_the_story_records_that_translation_is_off(owner, no_broker, settings, tiny_packages):
    install(tiny_packages)
    assert translation.status().missing == ()
    settings.SVERKA_TRANSLATE = False
    story = make_story(owner, en=EN, ru=RU)
    assert story.translation_skipped == "Translation is switched off (SVERKA_TRANSLATE=0)."
    assert story.translator == ""


def test_a_run_without_translation_drops_the_old_translations(owner, no_broker, fake_translator, monkeypatch):
    story = make_story(owner, en=EN, ru=RU)
    off = translation.TranslationStatus(enabled=False, missing=(), installed=("en→ru 1.0", "ru→en 1.0"))
    monkeypatch.setattr(translation, "status", lambda: off)
    monkeypatch.setattr(translation, "translator", lambda state=None: None)
    story = run_again(story)
    assert set(glosses(story).values()) == {""}
    assert (story.translator, story.translation_skipped) == ("", off.why_not)


def test_the_status_names_the_installed_package_versions(settings, tiny_packages):
    assert translation.status().label == ""
    assert translation.translator() is None
    install(tiny_packages)
    state = translation.status()
    assert state.ready and state.why_not == ""
    assert state.label == "argos en→ru 0.1, ru→en 0.1"
    assert translation.translator(state) is not None
