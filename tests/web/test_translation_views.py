"""The story page and translation: a gloss under each sentence, a switch to hide them that works with and
without htmx, and a plain notice when a story was not translated."""

import re

import pytest
from django.urls import reverse

from alignment import translation
from alignment.models import Job, JobStatus, Sentence, Story
from tests.web.test_views_alignment import build_story, many_pairs

pytestmark = pytest.mark.django_db

SKIPPED = "No Argos Translate package is installed for en→ru, ru→en."


def translate(story, translator="argos en→ru 1.0, ru→en 1.0"):
    """Give every sentence of a built story a gloss, as a translated run would."""
    for sentence in Sentence.objects.filter(document__story=story):
        sentence.translation = f"[{'ru' if sentence.language == 'en' else 'en'}] {sentence.text}"
        sentence.save(update_fields=["translation"])
    Story.objects.filter(pk=story.pk).update(translator=translator)
    story.refresh_from_db()
    return story


@pytest.fixture
def story(owner):
    return translate(build_story(owner, [
        (["The mayor opened the bridge."], ["Мэр открыл мост."], []),
        (["It cost <b>42</b> million."], [], []),
    ]))


def page(client, user, url, **headers):
    client.force_login(user)
    response = client.get(url, **headers)
    assert response.status_code == 200
    return response.content.decode()


def glosses_in(html) -> list[tuple[str, str]]:
    return re.findall(r'<span class="gloss" lang="(\w\w)">([^<]*)</span>', html)


def test_each_sentence_shows_its_translation_underneath_in_the_other_language(client, owner, story):
    html = page(client, owner, story.get_absolute_url())
    assert glosses_in(html) == [
        ("ru", "[ru] The mayor opened the bridge."),
        ("en", "[en] Мэр открыл мост."),
        ("ru", "[ru] It cost &lt;b&gt;42&lt;/b&gt; million."),
    ]
    # Inside the sentence's own paragraph, after its text.
    assert re.search(r'The mayor opened the bridge\.<span class="visually-hidden" lang="en"> Machine translation '
                     r'into Russian:</span><span class="gloss" lang="ru">', html)
    assert "Hide translations" in html
    assert "Machine translation was skipped" not in html


def test_the_translations_can_be_hidden_and_the_session_remembers(client, owner, story):
    url = story.get_absolute_url()
    html = page(client, owner, url + "?gloss=0")
    assert glosses_in(html) == []
    assert f'href="{url}?filter=all&amp;gloss=1"' in html and "Show translations" in html

    assert glosses_in(page(client, owner, url)) == []

    html = page(client, owner, url + "?gloss=1")
    assert len(glosses_in(html)) == 3
    assert len(glosses_in(page(client, owner, url))) == 3


def test_the_switch_replaces_only_the_table_with_htmx_and_keeps_the_filter(client, owner, story):
    pairs_url = reverse("story_pairs", args=[story.code])
    html = page(client, owner, story.get_absolute_url() + "?filter=number")
    assert f'hx-get="{pairs_url}?filter=number&amp;gloss=0"' in html
    assert f'hx-push-url="{story.get_absolute_url()}?filter=number"' in html

    fragment = page(client, owner, pairs_url + "?filter=all&gloss=0", HTTP_HX_REQUEST="true")
    assert '<div id="alignment"' in fragment and "<html" not in fragment
    assert glosses_in(fragment) == []
    assert f'hx-get="{pairs_url}?filter=all&amp;gloss=1"' in fragment


def test_later_pages_follow_the_choice(client, owner):
    story = translate(build_story(owner, many_pairs(105)))
    pairs_url = reverse("story_pairs", args=[story.code])
    rows = page(client, owner, pairs_url + "?page=2", HTTP_HX_REQUEST="true")
    assert len(glosses_in(rows)) == 10
    page(client, owner, story.get_absolute_url() + "?gloss=0")
    rows = page(client, owner, pairs_url + "?page=2", HTTP_HX_REQUEST="true")
    assert "Sentence 104 in English." in rows and glosses_in(rows) == []


def test_an_untranslated_story_has_no_switch(client, owner):
    story = build_story(owner, [(["The mayor opened the bridge."], ["Мэр открыл мост."], [])])
    html = page(client, owner, story.get_absolute_url())
    assert "translations</a>" not in html and glosses_in(html) == []


def skipped_story(owner, reason=SKIPPED):
    story = build_story(owner, [(["The mayor opened the bridge."], ["Мэр открыл мост."], [])])
    Story.objects.filter(pk=story.pk).update(translation_skipped=reason)
    return story


def notice(html) -> str:
    start = html.index('class="message message--info translation-note"')
    return html[start:html.index("</div>", start)]


def test_a_story_without_models_says_translation_was_skipped_why_and_how_to_install_them(client, owner):
    story = skipped_story(owner)
    text = notice(page(client, owner, story.get_absolute_url()))
    assert "Machine translation was skipped for this story." in text
    assert SKIPPED in text
    assert "<code>python manage.py install_models</code>" in text
    assert "install the translation models for en→ru and ru→en" in text
    assert "install_models --from FILE.argosmodel" in text
    assert "SVERKA_TRANSLATE=1" not in text  # it is on: only the models are missing
    assert f'action="{reverse("story_retry", args=[story.code])}"' in text and "Run again" in text


def test_a_story_with_translation_off_says_how_to_switch_it_on(client, owner, monkeypatch):
    off = translation.TranslationStatus(enabled=False, missing=(), installed=("en→ru 1.0", "ru→en 1.0"))
    monkeypatch.setattr(translation, "status", lambda: off)
    story = skipped_story(owner, off.why_not)
    text = notice(page(client, owner, story.get_absolute_url()))
    assert "Translation is switched off (SVERKA_TRANSLATE=0)." in text
    assert "set <code>SVERKA_TRANSLATE=1</code>" in text
    assert "install_models" not in text  # the models are there


def test_once_translation_is_ready_the_notice_says_to_run_the_story_again(client, owner, fake_translator, no_broker):
    story = skipped_story(owner)
    text = notice(page(client, owner, story.get_absolute_url()))
    assert "Translation is set up now: run the story again" in text
    assert "install_models" not in text

    response = client.post(reverse("story_retry", args=[story.code]))
    assert response.status_code == 302
    assert story.jobs.filter(status=JobStatus.QUEUED).count() == 1


def test_the_translate_stage_is_named_in_words(client, owner):
    story = build_story(owner, [(["The mayor opened the bridge."], ["Мэр открыл мост."], [])])
    Job.objects.filter(story=story).update(status=JobStatus.RUNNING, stage="translate", progress=0.2)
    assert '<strong class="stage">Translating</strong>' in page(client, owner, story.get_absolute_url())
