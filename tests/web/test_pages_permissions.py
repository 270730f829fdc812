"""Who may see what: the owner sees their story's pages and fragments, anyone else gets a 404 (not a 403,
which would confirm the story exists), and an anonymous visitor is sent to log in."""

import pytest
from django.urls import reverse

from alignment.models import Job, JobStatus, Story
from tests.conftest import make_story

STORY_PAGES = ["story", "story_status", "story_pairs", "story_delete"]
STORY_ACTIONS = ["story_retry", "story_delete"]


@pytest.fixture
def story(db, owner):
    story = make_story(owner, title="Private story", process=False, en="One. Two.", ru="Один. Два.")
    Job.objects.filter(story=story).update(status=JobStatus.FAILED, error="Boom.")
    return story


def url(name, story):
    return reverse(name, args=[story.code])


@pytest.mark.parametrize("name", STORY_PAGES)
@pytest.mark.parametrize("htmx", [False, True])
def test_the_owner_can_open_every_story_page_and_fragment(client, owner, story, name, htmx):
    client.force_login(owner)
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    assert client.get(url(name, story), **headers).status_code in (200, 286)


@pytest.mark.parametrize("name", STORY_PAGES)
@pytest.mark.parametrize("htmx", [False, True])
def test_another_user_gets_404_for_every_story_page_and_fragment(client, other_user, story, name, htmx):
    client.force_login(other_user)
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = client.get(url(name, story), **headers)
    assert response.status_code == 404
    assert "Private story" not in response.content.decode()


def test_staff_get_404_too_and_use_the_admin_instead(client, staff, story):
    client.force_login(staff)
    assert client.get(url("story", story)).status_code == 404


@pytest.mark.parametrize("name", STORY_ACTIONS)
def test_another_user_cannot_retry_or_delete(client, other_user, story, name, no_broker):
    client.force_login(other_user)
    assert client.post(url(name, story)).status_code == 404
    assert Story.objects.filter(pk=story.pk).exists()
    assert story.jobs.count() == 1


@pytest.mark.parametrize("name", STORY_PAGES)
def test_an_anonymous_visitor_is_sent_to_log_in(client, story, name):
    response = client.get(url(name, story))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url(name, story)}"


@pytest.mark.parametrize("name", STORY_ACTIONS)
def test_an_anonymous_post_is_sent_to_log_in_and_changes_nothing(client, story, name):
    response = client.post(url(name, story))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert Story.objects.filter(pk=story.pk).exists()
    assert story.jobs.count() == 1


@pytest.mark.parametrize("name", ["stories", "upload"])
def test_the_list_and_upload_pages_need_a_login(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={reverse(name)}"


def test_an_unknown_story_is_404(client, owner):
    client.force_login(owner)
    assert client.get("/stories/00000000-0000-0000-0000-000000000000/").status_code == 404
