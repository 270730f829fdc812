"""The story page's cached parts (alignment.web.story.story_part): the page and its fragments are rendered once per
everything they show, so a second request renders nothing but the site's frame, while every change the owner makes
(a verdict, a correction, a new run, a collection, the state of translation) shows at once, each request gets its
own CSRF token, messages and header, and no one is ever served a page of someone else's."""

import re

import pytest
from django.db import connection
from django.template import loader
from django.template.loader_tags import ExtendsNode, IncludeNode
from django.test import Client
from django.test.utils import CaptureQueriesContext

from alignment import translation
from alignment.models import Collection, Job, JobStatus, Story
from alignment.web import story as story_views
from tests.review.test_review_operations import HTMX, owner_client, pair, story, url  # noqa: F401 (fixtures)
from tests.web.test_translation_views import skipped_story
from tests.web.test_views_alignment import build_story
from tests.web.test_views_cache import cache, correct, empty_pages_cache, fresh, review, served  # noqa: F401

pytestmark = pytest.mark.django_db

FRAME = {"stories/story_detail.html", "base.html", "_site_footer.html"}  # the page, inside the site's frame


def templates_rendered(response) -> set[str]:
    return {template.name for template in response.templates}


def collections_of(html) -> str:
    start = html.find('<div class="story-collections">')
    return html[start:html.index("</div>", start)] if start >= 0 else ""


# ---------------------------------------------------------------------------------------------------- Served twice


def test_a_second_request_renders_only_the_frame_and_reads_no_part_of_the_story(owner_client, story):
    review("confirmed")(owner_client, story)  # a history to show, and a verdict
    path = story.get_absolute_url()
    first = owner_client.get(path)
    with CaptureQueriesContext(connection) as queries:
        second = owner_client.get(path)
    assert "stories/_story_page.html" in templates_rendered(first)
    assert templates_rendered(second) == FRAME
    read = " ".join(q["sql"] for q in queries)
    for table in ("alignment_document", "alignment_edit", "alignment_divergence", "alignment_pair"):
        assert table not in read
    assert len(queries) <= 4  # the session, the user, the story with its job, the owner's collections
    assert served(owner_client, path) == fresh(owner_client, path)
    assert "Confirmed" in second.content.decode()


def fragment(client, path) -> str:
    """An htmx fragment (the status region answers 286 once the job is done), without its CSRF tokens."""
    response = client.get(path, **HTMX)
    assert response.status_code in (200, 286)
    return response.content.decode()


@pytest.mark.parametrize("name, query", [("story_pairs", "?filter=divergent"), ("story", ""), ("story_status", "")])
def test_each_fragment_is_cached_apart_from_the_page(owner_client, story, name, query):
    path = url(name, story) + query
    page = served(owner_client, story.get_absolute_url())
    first = fragment(owner_client, path)
    assert "<html" not in first and 'class="breadcrumb"' not in first and 'id="alignment"' in first
    assert served(owner_client, story.get_absolute_url()) == page
    second = fragment(owner_client, path)
    cache.clear()
    assert re.sub(r'value="[^"]+"', "", second) == re.sub(r'value="[^"]+"', "", fragment(owner_client, path))


# ---------------------------------------------------------------------------------------------------- Changes


def test_a_verdict_and_a_correction_show_in_the_history_at_once(owner_client, story):
    path = story.get_absolute_url()
    served(owner_client, path)
    review("confirmed")(owner_client, story)
    assert "Confirmed" in served(owner_client, path).split('class="history"')[1]
    correct(owner_client, story)
    page = served(owner_client, path)
    assert "Merged pairs 1 and 2" in page.split('class="history"')[1]
    assert page == fresh(owner_client, path)


def test_adding_to_a_collection_and_taking_out_show_at_once(owner_client, owner, story):
    desk = Collection.objects.create(owner=owner, name="Desk")
    path = story.get_absolute_url()
    assert '<option value="%s">Desk</option>' % desk.code in collections_of(served(owner_client, path))
    owner_client.post(url("story_collections", story), {"collection": desk.code, "action": "add"}, follow=True)
    page = served(owner_client, path)
    assert f'<a href="/collections/{desk.code}/">Desk</a>' in collections_of(page)
    assert "<option" not in collections_of(page)
    assert page == fresh(owner_client, path)
    owner_client.post(url("story_collections", story), {"collection": desk.code, "action": "remove"})
    assert '<option value="%s">Desk</option>' % desk.code in collections_of(served(owner_client, path))


def test_a_new_or_renamed_collection_shows_at_once(owner_client, owner, story):
    path = story.get_absolute_url()
    assert collections_of(served(owner_client, path)) == ""
    desk = Collection.objects.create(owner=owner, name="Desk")
    assert ">Desk</option>" in collections_of(served(owner_client, path))
    Collection.objects.filter(pk=desk.pk).update(name="Night desk")  # no save(): nothing else learns of it
    assert ">Night desk</option>" in collections_of(served(owner_client, path))


def test_a_new_run_shows_its_progress_then_its_results(owner_client, story):
    path = story.get_absolute_url()
    served(owner_client, path)
    job = Job.objects.create(story=story, status=JobStatus.RUNNING, stage="embed", progress=0.4)
    running = served(owner_client, path)
    assert "Embedding" in running and 'id="alignment"' not in running
    Job.objects.filter(pk=job.pk).update(status=JobStatus.DONE, stage="done", progress=1.0)
    done = served(owner_client, path)
    assert 'id="alignment"' in done and done == fresh(owner_client, path)


def test_a_change_saved_to_the_story_shows_at_once(owner_client, story):
    path = story.get_absolute_url()
    served(owner_client, path)
    story.title = "The bridge, retitled"
    story.save()  # the admin's way: no new version, a new "updated"
    assert "<h1>The bridge, retitled</h1>" in served(owner_client, path)


def test_once_translation_is_set_up_the_cached_notice_says_so(client, owner, monkeypatch):
    story = skipped_story(owner)
    client.force_login(owner)
    path = story.get_absolute_url()
    assert "Translation is set up now" not in served(client, path)
    ready = translation.TranslationStatus(enabled=True, missing=(), installed=("en→ru 1.0", "ru→en 1.0"))
    monkeypatch.setattr(translation, "status", lambda: ready)
    assert "Translation is set up now" in served(client, path)


# ---------------------------------------------------------------------------------------------------- Per request


def test_every_form_of_a_cached_page_carries_the_requests_own_token(owner, story):
    desk = Collection.objects.create(owner=owner, name="Desk")
    sessions, tokens = [Client(enforce_csrf_checks=True) for _ in range(2)], []
    for session in sessions:  # the second is served from the cache
        session.force_login(owner)
        html = session.get(story.get_absolute_url()).content.decode()
        assert "csrf-token-of-the-request" not in html
        tokens.append(re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', collections_of(html))[1])
    add = {"collection": desk.code, "action": "add"}
    stolen = sessions[1].post(url("story_collections", story), {**add, "csrfmiddlewaretoken": tokens[0]})
    assert stolen.status_code == 403
    own = sessions[1].post(url("story_collections", story), {**add, "csrfmiddlewaretoken": tokens[1]})
    assert own.status_code == 302 and desk.stories.filter(pk=story.pk).exists()


def test_the_frame_is_each_requests_own_messages_and_all(owner_client, owner, story):
    desk = Collection.objects.create(owner=owner, name="Desk")
    path = story.get_absolute_url()
    served(owner_client, path)
    response = owner_client.post(url("story_collections", story), {"collection": desk.code}, follow=True)
    assert "Added to “Desk”." in response.content.decode()
    assert "Added to “Desk”." not in served(owner_client, path)  # shown once, never kept with the page
    assert f"({owner.username})" in served(owner_client, path)


def test_another_user_never_gets_a_cached_page_of_someone_elses(client, owner, other_user, story):
    client.force_login(owner)
    for path, headers in ((story.get_absolute_url(), {}), (url("story_pairs", story) + "?filter=divergent", HTMX)):
        served(client, path, **headers)
    client.force_login(other_user)
    assert client.get(story.get_absolute_url()).status_code == 404
    assert client.get(url("story_status", story), **HTMX).status_code == 404
    theirs = build_story(other_user, [(["Their own story."], ["Их собственная история."], [])])
    html = served(client, theirs.get_absolute_url())
    assert "Their own story." in html and "The mayor opened the bridge" not in html
    assert f"({other_user.username})" in html and f"({owner.username})" not in html


def test_a_story_without_a_job_is_found_and_offers_to_process_it(owner_client, owner):
    story = Story.objects.create(owner=owner, title="Never processed")
    html = served(owner_client, story.get_absolute_url())
    assert "This story has not been processed yet." in html


# ---------------------------------------------------------------------------------------------------- The key


def included(name: str, found: set[str] | None = None) -> set[str]:
    """The template and every template it includes or extends, to any depth (names given as constants)."""
    found = set() if found is None else found
    found.add(name)
    for node in loader.get_template(name).template.nodelist.get_nodes_by_type((IncludeNode, ExtendsNode)):
        target = node.template if isinstance(node, IncludeNode) else node.parent_name
        value = getattr(target, "var", None)
        if isinstance(value, str) and value not in found:
            included(value, found)
    return found


def test_the_key_names_every_template_the_cached_parts_render():
    # A template left out would keep serving what its old version rendered after a deploy.
    parts = included(story_views.PAGE) | included("stories/_story_state.html") | included("stories/_alignment.html")
    assert parts <= set(story_views.PAGE_TEMPLATES)
    assert "stories/_pair_row.html" in story_views.PAGE_TEMPLATES  # the rows, which it holds rendered
