"""Deleting a story: a confirmation page, then a POST."""

import pytest
from django.test import Client
from django.urls import reverse

from alignment.models import Story
from tests.conftest import make_story


@pytest.fixture
def story(db, owner):
    return make_story(owner, title="Doomed story", process=False, en="One. Two.", ru="Один. Два.")


def delete_url(story):
    return reverse("story_delete", args=[story.code])


def test_the_story_page_links_to_the_delete_page(client, owner, story):
    client.force_login(owner)
    assert f'href="{delete_url(story)}">Delete</a>' in client.get(story.get_absolute_url()).content.decode()


def test_get_asks_for_confirmation_and_deletes_nothing(client, owner, story):
    client.force_login(owner)
    response = client.get(delete_url(story))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Delete this story?" in html and "Doomed story" in html
    assert f'<form method="post" action="{delete_url(story)}"' in html
    assert Story.objects.filter(pk=story.pk).exists()


def test_post_deletes_the_story_and_everything_in_it(client, owner, story):
    client.force_login(owner)
    response = client.post(delete_url(story))
    assert response.status_code == 302
    assert response["Location"] == reverse("stories")
    assert not Story.objects.filter(pk=story.pk).exists()


def test_after_deleting_the_list_says_what_was_deleted(client, owner, story):
    client.force_login(owner)
    html = client.post(delete_url(story), follow=True).content.decode()
    assert "Deleted “Doomed story”." in html


def test_other_methods_are_refused(client, owner, story):
    client.force_login(owner)
    assert client.put(delete_url(story)).status_code == 405
    assert client.delete(delete_url(story)).status_code == 405
    assert Story.objects.filter(pk=story.pk).exists()


def test_delete_is_protected_against_cross_site_requests(owner, story):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    assert client.post(delete_url(story)).status_code == 403
    assert Story.objects.filter(pk=story.pk).exists()
