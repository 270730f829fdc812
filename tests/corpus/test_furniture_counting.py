"""learn counts in SQL, over the key each sentence is stored with, exactly as alignment.pipeline.recurring counts
lines in memory: spellings of a line counted once per story, each language apart, the share of the stories."""

import pytest
from django.urls import reverse

from alignment.corpus import furniture
from alignment.models import CollectionFurniture, Document, FurnitureSource, Sentence, Story
from alignment.pipeline.recurring import furniture_key, recurring_lines

pytestmark = pytest.mark.django_db

STORIES = [
    ["Subscribe to our newsletter!", "The mayor resigned.", "subscribe to our NEWSLETTER", "Photo: Reuters"],
    ["subscribe to our newsletter", "Rain is expected.", "Photo: Reuters"],
    ["Prices rose.", "Subscribe to our newsletter!", "Read more: The mayor resigned."],
    ["Read more: Rain is expected.", "Photo: Reuters", "Trains are late."],
    ["Subscribe to our newsletter!", "Photo: Reuters", "Schools reopen."],
]
RUSSIAN = {1: ["Фото: Reuters", "Photo: Reuters"], 2: ["Photo: Reuters"], 4: ["Photo: Reuters", "Фото: Reuters"]}


def saved(owner, collection) -> list[list[tuple[str, str]]]:
    """The stories saved as sentences in ``collection``, and as lines for recurring_lines."""
    lines = []
    for k, english in enumerate(STORIES):
        story = Story.objects.create(owner=owner, title=f"Story {k}")
        collection.stories.add(story)
        sides = {"en": english, "ru": RUSSIAN.get(k, [])}
        for language, texts in sides.items():
            document = Document.objects.create(story=story, language=language, text="\n".join(texts))
            for index, text in enumerate(texts):
                Sentence.objects.create(document=document, language=language, index=index, text=text, start=0,
                                        end=len(text), key=furniture_key(text))
        lines.append([(language, text) for language, texts in sides.items() for text in texts])
    return lines


@pytest.mark.parametrize("min_stories, min_share", [(2, 0.0), (3, 0.0), (2, 0.7), (4, 0.0), (5, 0.0)])
def test_learn_keeps_what_the_rule_keeps(owner, collection, settings, min_stories, min_share):
    settings.SVERKA_FURNITURE_MIN_STORIES, settings.SVERKA_FURNITURE_MIN_SHARE = min_stories, min_share
    expected = recurring_lines(saved(owner, collection), min_stories, min_share)
    assert furniture.learn(collection) == len(expected)
    learned = {(e.language, e.key): (e.text, e.stories) for e in CollectionFurniture.objects.all()}
    assert learned == {key: (line.text, line.stories) for key, line in expected.items()}
    assert {e.source for e in CollectionFurniture.objects.all()} <= {FurnitureSource.LEARNED}


def test_the_count_is_of_stories_not_of_spellings(owner, collection, settings):
    settings.SVERKA_FURNITURE_MIN_STORIES, settings.SVERKA_FURNITURE_MIN_SHARE = 4, 0.0
    saved(owner, collection)
    # The newsletter box (three spellings, five times) and the English photo credit, each in four stories.
    assert furniture.learn(collection) == 2
    box = CollectionFurniture.objects.get(key=furniture_key("subscribe to our newsletter"))
    assert (box.text, box.stories) == ("Subscribe to our newsletter!", 4)


def test_a_sentence_edited_in_the_admin_is_counted_by_its_new_text(owner, collection, settings, client, staff):
    settings.SVERKA_FURNITURE_MIN_STORIES, settings.SVERKA_FURNITURE_MIN_SHARE = 2, 0.0
    saved(owner, collection)
    sentence = Sentence.objects.get(text="Prices rose.")
    client.force_login(staff)
    form = {name: getattr(sentence, name) for name in ("language", "index", "start", "end", "paragraph",
                                                       "translation", "furniture")}
    response = client.post(reverse("admin:alignment_sentence_change", args=[sentence.pk]),
                           {**form, "document": sentence.document_id, "pair": "", "text": "Photo: Reuters"})
    assert response.status_code == 302
    assert Sentence.objects.get(pk=sentence.pk).key == furniture_key("Photo: Reuters")
    furniture.learn(collection)
    assert CollectionFurniture.objects.get(language="en", key=furniture_key("Photo: Reuters")).stories == 5


def test_a_sentence_saved_without_its_key_is_not_counted_as_one_with_every_other(owner, collection, settings):
    settings.SVERKA_FURNITURE_MIN_STORIES, settings.SVERKA_FURNITURE_MIN_SHARE = 2, 0.0
    expected = recurring_lines(saved(owner, collection), 2, 0.0)
    Sentence.objects.filter(text__in=["The mayor resigned.", "Rain is expected.", "Prices rose."]).update(key="")
    assert furniture.learn(collection) == len(expected)
    assert not CollectionFurniture.objects.filter(key="").exists()
