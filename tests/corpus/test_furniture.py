"""Furniture learned from a collection: a line that recurs across its stories is counted, fed to every later run
of its stories, and the owner can strike it off or add one."""

import pytest
from django.urls import reverse

from alignment import jobs
from alignment.corpus import furniture
from alignment.models import CollectionFurniture, FurnitureSource
from alignment.pipeline.furniture import furniture_key
from tests.conftest import make_story
from tests.corpus.conftest import pair

pytestmark = pytest.mark.django_db

BOX = "Our morning briefing arrives at seven every weekday."


def story_with_box(owner, k: int):
    en, ru = pair(k)
    return make_story(owner, en=f"{en} {BOX}", ru=ru)


def test_a_line_recurring_across_the_stories_is_learned(owner, collection, no_broker, settings):
    settings.SVERKA_FURNITURE_MIN_STORIES = 3
    stories = [story_with_box(owner, k) for k in range(3)]
    collection.stories.add(*stories[:2])
    assert furniture.learn(collection) == 0  # in two stories: not yet
    collection.stories.add(stories[2])
    assert furniture.learn(collection) == 1
    entry = CollectionFurniture.objects.get()
    assert (entry.text, entry.language, entry.stories, entry.source) == (BOX, "en", 3, FurnitureSource.LEARNED)
    known, struck = furniture.known_for(stories[0])
    assert furniture_key(BOX) in known and not struck


def test_the_next_run_of_a_story_counts_the_learned_line_as_boilerplate(owner, collection, no_broker, settings):
    settings.SVERKA_FURNITURE_MIN_STORIES = 2
    first, second = story_with_box(owner, 1), story_with_box(owner, 2)
    collection.stories.add(first, second)
    furniture.learn(collection)
    assert jobs.config(story=first).known_furniture == {furniture_key(BOX)}
    run = jobs.run_job(first.jobs.create().pk)
    assert run.status == "done"
    boxed = first.pairs.filter(sentences__text=BOX).get()
    assert "boilerplate" in boxed.kinds
    assert first.documents.get(language="en").sentences.get(text=BOX).furniture == "recurring"


def test_the_owner_strikes_a_line_off_and_learning_does_not_bring_it_back(owner, collection, no_broker, settings):
    settings.SVERKA_FURNITURE_MIN_STORIES = 2
    stories = [story_with_box(owner, k) for k in range(2)]
    collection.stories.add(*stories)
    furniture.learn(collection)
    furniture.strike(CollectionFurniture.objects.get())
    furniture.learn(collection)
    entry = CollectionFurniture.objects.get()
    assert entry.source == FurnitureSource.REMOVED
    known, struck = furniture.known_for(stories[0])
    assert not known and struck == {furniture_key(BOX)}
    furniture.restore(entry)
    assert furniture.known_for(stories[0])[0] == {furniture_key(BOX)}


def test_the_furniture_page_lists_adds_and_strikes(client, owner, collection):
    client.force_login(owner)
    url = reverse("collection_furniture", args=[collection.code])
    response = client.post(url, {"language": "ru", "text": "Подпишитесь на нашу рассылку."}, follow=True)
    assert "Подпишитесь на нашу рассылку." in response.content.decode()
    entry = CollectionFurniture.objects.get()
    assert entry.source == FurnitureSource.ADDED
    client.post(reverse("collection_furniture_entry", args=[collection.code, entry.pk]), {"action": "strike"})
    assert not CollectionFurniture.objects.exists()  # an added line simply goes
    assert client.post(url, {"language": "ru", "text": ""}).status_code == 200  # the form says what is missing
