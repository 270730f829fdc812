"""The alignment view's cache: the rows are rendered once per version of the story, so a second request renders
no row and reads no pair, while every change (a correction, an undo, a verdict, a note, a new run) shows at once.
The cached rows carry no one's CSRF token: each response gets its own, and the forms still work without
JavaScript."""

import re

import pytest
import redis
from django.core.cache import caches
from django.utils.connection import ConnectionProxy
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from alignment import jobs, stories
from alignment.review import set_locked
from alignment.models import Story, Verdict
from alignment.web import cache as pages_cache
from alignment.web import rows
from alignment.web.rows import PAIRS_PER_PAGE
from tests.review.test_review_operations import HTMX, owner_client, pair, story, url  # noqa: F401 (fixtures)
from tests.web.test_translation_views import glosses_in, translate
from tests.web.test_views_alignment import build_story, many_pairs, rows_of

pytestmark = pytest.mark.django_db

cache = ConnectionProxy(caches, "pages")

# The request's own CSRF token: in every form, and in the header htmx sends.
TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")([^"]+)')


@pytest.fixture(autouse=True)
def empty_pages_cache(settings):
    # In this process's memory, even where REDIS_URL names a Redis: clearing that would empty the broker's database.
    settings.CACHES = {**settings.CACHES, "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                                    "LOCATION": "test-pages"}}
    cache.clear()
    yield
    cache.clear()


def served(client, path, **headers) -> str:
    """The answer, without its CSRF tokens: the one part that differs between two requests for the same thing."""
    response = client.get(path, **headers)
    assert response.status_code == 200
    return TOKEN.sub(r"\1", response.content.decode())


def fresh(client, path, **headers) -> str:
    """The answer rendered from the database, with nothing in the cache."""
    cache.clear()
    return served(client, path, **headers)


def table(html) -> str:
    return html[html.index('<tbody id="pair-rows">'):html.index("</tbody>")]


def rows_rendered(response) -> int:
    return sum(template.name == "stories/_pair_row.html" for template in response.templates)


# The changes, made as the page makes them (htmx).


def correct(client, story, op="merge", number=1):
    response = client.post(url("story_correct", story) + "?filter=all&pages=1",
                           {"op": op, "pair": pair(story, number).pk}, **HTMX)
    assert response.status_code == 200


def undo(client, story):
    response = client.post(url("story_undo", story) + "?filter=all&pages=1", **HTMX)
    assert response.status_code == 200


def review(verdict, **fields):
    def give(client, story):
        data = {"divergence": pair(story, 5).divergences.get().pk, "verdict": verdict, **fields}
        response = client.post(url("story_verdict", story) + "?filter=all&pages=1", data, **HTMX)
        assert response.status_code == 200
    return give


# ---------------------------------------------------------------------------------------------------- Served twice


def test_a_second_request_renders_no_row_and_reads_no_pair_sentence_or_divergence(owner_client, story):
    correct(owner_client, story)  # so that the page offers an Undo, from the cache the second time
    cache.clear()  # the table that came back after the correction was cached already
    first = owner_client.get(story.get_absolute_url())
    with CaptureQueriesContext(connection) as queries:
        second = owner_client.get(story.get_absolute_url())
    assert rows_rendered(first) == 6
    assert rows_rendered(second) == 0
    assert "Undo: Merged pairs 1 and 2</button>" in second.content.decode()
    rows_tables = ("alignment_pair", "alignment_sentence", "alignment_divergence")
    assert not [q["sql"] for q in queries if any(name in q["sql"] for name in rows_tables)]
    assert TOKEN.sub(r"\1", second.content.decode()) == TOKEN.sub(r"\1", first.content.decode())


def test_load_more_from_the_cache_reads_only_the_session_the_user_the_story_and_its_job(
    client, owner, django_assert_max_num_queries
):
    story = build_story(owner, many_pairs(PAIRS_PER_PAGE + 5))
    client.force_login(owner)
    path = url("story_pairs", story) + "?page=2"
    first = served(client, path, **HTMX)
    with django_assert_max_num_queries(4):
        second = served(client, path, **HTMX)
    assert second == first
    assert len(rows_of(second)) == 5 and "Sentence 104 in English." in second


def test_filters_and_pages_are_cached_apart(client, owner):
    story = build_story(owner, many_pairs(PAIRS_PER_PAGE + 5))
    client.force_login(owner)
    pairs = url("story_pairs", story)
    assert len(rows_of(served(client, story.get_absolute_url()))) == PAIRS_PER_PAGE
    assert len(rows_of(served(client, pairs + "?page=2", **HTMX))) == 5
    assert len(rows_of(served(client, pairs + "?filter=all&pages=2", **HTMX))) == PAIRS_PER_PAGE + 5
    assert len(rows_of(served(client, pairs + "?filter=divergent", **HTMX))) == 0
    assert len(rows_of(served(client, pairs + "?page=2", **HTMX))) == 5
    assert len(rows_of(served(client, story.get_absolute_url()))) == PAIRS_PER_PAGE


def test_a_made_up_page_is_cached_as_the_page_it_shows(client, owner, monkeypatch):
    # Keyed on the raw ?page=, every made-up value would add an entry: a loop of random ones would fill Redis.
    story = build_story(owner, many_pairs(PAIRS_PER_PAGE + 5))
    client.force_login(owner)
    keys = []
    monkeypatch.setattr(rows, "cached", lambda key, make: keys.append(key) or pages_cache.cached(key, make))
    pairs = url("story_pairs", story)
    first, last = (served(client, pairs + f"?page={n}", **HTMX) for n in (1, 2))
    for made_up, shown in (("x", first), ("-3", last), ("1.5", first), ("99999", last), ("4e9", first)):
        assert served(client, pairs + f"?page={made_up}", **HTMX) == shown
    assert len({key for key in keys if key.startswith("sverka.rows-page.")}) == 2


def test_the_kind_filters_are_cached_apart(owner_client, story):
    pairs = url("story_pairs", story)
    assert len(rows_of(served(owner_client, pairs + "?filter=divergent", **HTMX))) == 3
    assert len(rows_of(served(owner_client, pairs + "?filter=number", **HTMX))) == 1
    assert len(rows_of(served(owner_client, pairs + "?filter=all", **HTMX))) == 7


def test_with_and_without_glosses_are_cached_apart(client, owner):
    story = translate(build_story(owner, [(["The mayor opened the bridge."], ["Мэр открыл мост."], [])]))
    client.force_login(owner)
    path = story.get_absolute_url()
    shown = glosses_in(served(client, path + "?gloss=1"))
    assert len(shown) == 2
    assert glosses_in(served(client, path + "?gloss=0")) == []
    assert glosses_in(served(client, path)) == []  # the session remembers the choice
    assert glosses_in(served(client, path + "?gloss=1")) == shown


# ---------------------------------------------------------------------------------------------------- Changes


# name: (what is done before the pages are cached, the change)
CHANGES = {
    "a correction": (None, correct),
    "an undo": (correct, undo),
    "a verdict": (None, review(Verdict.CONFIRMED)),
    "a note": (None, review(Verdict.PENDING, note="Check the figure with the desk.")),
    "a category": (None, review(Verdict.PENDING, category="mistranslation")),
}


@pytest.mark.parametrize("name", CHANGES)
def test_every_change_shows_at_once(owner_client, story, name):
    before, change = CHANGES[name]
    if before:
        before(owner_client, story)
    paths = [(story.get_absolute_url(), {}), (url("story_pairs", story) + "?filter=divergent", HTMX)]
    cached = [served(owner_client, path, **headers) for path, headers in paths]
    change(owner_client, story)
    for (path, headers), old in zip(paths, cached):
        new = served(owner_client, path, **headers)
        assert table(new) != table(old)
        assert new == fresh(owner_client, path, **headers)


def test_a_new_run_shows_at_once(owner_client, story, no_broker):
    correct(owner_client, story)  # a row the new run replaces, "edited", once it is unlocked
    set_locked(story, story.owner, story.pairs.get(manual=True).pk, False)
    path = story.get_absolute_url()
    old = served(owner_client, path)
    version = Story.objects.get(pk=story.pk).version
    jobs.run_job(stories.rerun(story).pk)
    assert Story.objects.get(pk=story.pk).version > version  # even where the job stays the same (a retried save)
    new = served(owner_client, path)
    assert "edited</span>" in table(old) and "edited</span>" not in table(new)
    assert new == fresh(owner_client, path)


# ---------------------------------------------------------------------------------------------------- Per request


def test_each_session_gets_its_own_csrf_token_and_the_forms_work_without_javascript(owner, story):
    sessions = [Client(enforce_csrf_checks=True) for _ in range(2)]
    for session in sessions:
        session.force_login(owner)
    pages = [session.get(story.get_absolute_url()).content.decode() for session in sessions]  # the second: cached
    assert "csrf-token-of-the-request" not in pages[0] + pages[1]
    # The token of a form in the rows, which the second session got from the cache.
    first, second = (re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', table(page))[1] for page in pages)
    divergence = pair(story, 5).divergences.get()
    confirm = {"divergence": divergence.pk, "verdict": Verdict.CONFIRMED}
    stolen = sessions[1].post(url("story_verdict", story), {**confirm, "csrfmiddlewaretoken": first})
    assert stolen.status_code == 403
    own = sessions[1].post(url("story_verdict", story), {**confirm, "csrfmiddlewaretoken": second})
    assert own.status_code == 302
    divergence.refresh_from_db()
    assert divergence.verdict == Verdict.CONFIRMED


def test_a_cached_story_is_still_only_its_owners(client, owner, other_user, story):
    client.force_login(owner)
    served(client, story.get_absolute_url())
    served(client, url("story_pairs", story) + "?filter=divergent", **HTMX)
    theirs = build_story(other_user, [(["Their own story."], ["Их собственная история."], [])])
    client.force_login(other_user)
    assert client.get(story.get_absolute_url()).status_code == 404
    assert client.get(url("story_pairs", story) + "?filter=divergent", **HTMX).status_code == 404
    html = served(client, theirs.get_absolute_url())
    assert "Their own story." in html and "The mayor opened the bridge" not in html


class DownCache:
    def get(self, *args, **kwargs):
        raise redis.exceptions.ConnectionError("Error 111 connecting to redis:6379. Connection refused.")

    set = get


def test_without_the_cache_server_the_page_is_rendered_all_the_same(owner_client, story, monkeypatch):
    expected = served(owner_client, story.get_absolute_url())
    monkeypatch.setattr(pages_cache, "cache", DownCache())
    assert served(owner_client, story.get_absolute_url()) == expected


class OlderReleaseCache:
    """Values kept by an older release whose classes have since moved: every read fails to unpickle them."""

    def __init__(self):
        self.kept = {}

    def get(self, key, *args, **kwargs):
        if key in self.kept:
            raise AttributeError("Can't get attribute 'RowsPage' on <module 'alignment.views'>")
        return None

    def set(self, key, value, *args, **kwargs):
        self.kept[key] = value


def test_a_value_an_older_release_cached_is_made_again_not_an_error(owner_client, story, monkeypatch):
    expected = served(owner_client, story.get_absolute_url())
    older = OlderReleaseCache()
    monkeypatch.setattr(pages_cache, "cache", older)
    served(owner_client, story.get_absolute_url())  # fills it
    assert older.kept
    assert served(owner_client, story.get_absolute_url()) == expected


def test_a_change_made_in_the_admin_shows_at_once(client, owner, story, django_user_model):
    staff = django_user_model.objects.create_superuser("editor", password="x-password-123")
    divergence = pair(story, 2).divergences.first() or next(
        d for p in story.pairs.all() for d in p.divergences.all()
    )
    before = Story.objects.get(pk=story.pk).version
    client.force_login(staff)
    change = f"/admin/alignment/divergence/{divergence.pk}/change/"
    page = client.get(change)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data["note"] = "Edited by staff."
    response = client.post(change, data)
    assert response.status_code == 302, response.content[:500]
    assert Story.objects.get(pk=story.pk).version == before + 1
