"""My stories: the list, its statuses and counts, search, the empty state, and its query count."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from alignment.models import Job, JobStatus, Story

HTMX = {"HTTP_HX_REQUEST": "true"}


def add_story(owner, title, status=JobStatus.DONE, days_ago=0, divergences=None, **job):
    story = Story.objects.create(
        owner=owner, title=title, created=timezone.now() - timedelta(days=days_ago),
        stats={"divergences": divergences or {}},
    )
    Job.objects.create(story=story, status=status, **job)
    return story


def get(client, user, url=None, **headers):
    client.force_login(user)
    return client.get(url or reverse("stories"), **headers)


@pytest.mark.django_db
def test_it_lists_the_users_stories_newest_first(client, owner):
    add_story(owner, "Older story", days_ago=3)
    add_story(owner, "Newer story", days_ago=1)
    html = get(client, owner).content.decode()
    assert html.index("Newer story") < html.index("Older story")


@pytest.mark.django_db
def test_it_hides_other_users_stories(client, owner, other_user):
    add_story(other_user, "Boris's story")
    add_story(owner, "Olga's story")
    html = get(client, owner).content.decode()
    assert "Olga&#x27;s story" in html
    assert "Boris" not in html


@pytest.mark.django_db
def test_it_links_each_story_to_its_page(client, owner):
    story = add_story(owner, "Linked story")
    assert f'href="{story.get_absolute_url()}"' in get(client, owner).content.decode()


@pytest.mark.django_db
def test_it_shows_the_status_of_the_latest_job(client, owner):
    story = add_story(owner, "Rerun story", status=JobStatus.FAILED)
    Job.objects.create(story=story, status=JobStatus.RUNNING, progress=0.42)
    add_story(owner, "Delayed story", status=JobStatus.QUEUED, enqueued=False)
    add_story(owner, "Queued story", status=JobStatus.QUEUED, enqueued=True)
    add_story(owner, "Failed story", status=JobStatus.FAILED)
    html = get(client, owner).content.decode()
    assert '<span class="status status--running">Running · 42%</span>' in html
    assert '<span class="status status--queued">Waiting for the queue</span>' in html
    assert '<span class="status status--queued">Queued</span>' in html
    assert '<span class="status status--failed">Failed</span>' in html
    assert '<span class="status status--done">' not in html


@pytest.mark.django_db
def test_it_shows_the_divergence_total_and_a_badge_per_kind(client, owner):
    add_story(owner, "Counted story", divergences={"number": 2, "name": 1, "meaning": 0})
    html = get(client, owner).content.decode()
    assert '<span class="count">3</span>' in html
    assert '<span class="badge badge--small kind-number" title="Number">Number 2</span>' in html
    assert '<span class="badge badge--small kind-name" title="Name">Name 1</span>' in html
    assert "Meaning" not in html


@pytest.mark.django_db
def test_it_shows_the_creation_date(client, owner):
    story = add_story(owner, "Dated story")
    assert story.created.strftime("%Y") in get(client, owner).content.decode()


@pytest.mark.django_db
def test_search_filters_by_title_without_javascript(client, owner):
    add_story(owner, "Moscow budget")
    add_story(owner, "Kyiv weather")
    html = get(client, owner, reverse("stories") + "?q=budget").content.decode()
    assert "Moscow budget" in html and "Kyiv weather" not in html
    assert "<html" in html
    assert 'value="budget"' in html


@pytest.mark.django_db
def test_search_from_htmx_returns_only_the_results(client, owner):
    add_story(owner, "Moscow budget")
    add_story(owner, "Kyiv weather")
    response = get(client, owner, reverse("stories") + "?q=WEATHER", **HTMX)
    html = response.content.decode()
    assert html.strip().startswith('<section id="story-results"')
    assert "<html" not in html
    assert "Kyiv weather" in html and "Moscow budget" not in html
    assert "HX-Request" in response["Vary"]


@pytest.mark.django_db
def test_the_search_box_swaps_the_results_and_pushes_the_url(client, owner):
    html = get(client, owner).content.decode()
    url = reverse("stories")
    assert f'<form class="search" method="get" action="{url}" role="search">' in html
    assert f'hx-get="{url}" hx-trigger="input changed delay:300ms, search" hx-target="#story-results"' in html
    assert 'hx-push-url="true"' in html


@pytest.mark.django_db
def test_a_search_without_matches_says_so(client, owner):
    add_story(owner, "Moscow budget")
    html = get(client, owner, reverse("stories") + "?q=zzz").content.decode()
    assert "No story title matches “zzz”." in html
    assert "No stories yet" not in html


@pytest.mark.django_db
def test_a_user_without_stories_is_invited_to_create_one_or_try_a_sample(client, owner):
    html = get(client, owner).content.decode()
    assert "No stories yet" in html
    assert f'<a class="button button--primary" href="{reverse("upload")}">New story</a>' in html
    assert f'href="{reverse("upload")}?sample=1">Try a sample</a>' in html


@pytest.mark.django_db
def test_the_number_of_queries_does_not_grow_with_the_stories(client, owner, django_assert_max_num_queries):
    add_story(owner, "Only story", divergences={"number": 1})
    client.force_login(owner)
    with django_assert_max_num_queries(10) as few:
        client.get(reverse("stories"))
    for i in range(30):
        story = add_story(owner, f"Story {i}", divergences={"name": i})
        Job.objects.create(story=story, status=JobStatus.RUNNING, progress=0.5)
    with django_assert_max_num_queries(len(few)) as many:
        response = client.get(reverse("stories"))
    assert response.content.decode().count('<a class="story-title"') == 31
    assert len(many) == len(few)
