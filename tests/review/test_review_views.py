"""Corrections and undo through the story page: the row menu's forms, what htmx gets back (the table, a
notice with Undo, the event that moves the focus), the same without JavaScript, refusals as messages, the
history, and who may do any of it."""

import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import dateformat, timezone

from alignment.models import Edit, EditAction, Story
from tests.review.test_review_operations import HTMX, layout_of, owner_client, pair, story, url  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

def correct(client, story, op, pair_number, htmx=True, query="?filter=all&pages=1"):
    return client.post(
        url("story_correct", story) + query, {"op": op, "pair": pair(story, pair_number).pk}, **(HTMX if htmx else {})
    )


def test_each_row_has_a_menu_of_the_corrections_that_keep_the_order(owner_client, story):
    html = owner_client.get(story.get_absolute_url()).content.decode()
    row = html[html.index('id="pair-4"'):]
    row = row[:row.index("</tr>")]
    assert f'action="{url("story_correct", story)}?filter=all&amp;pages=1"' in row
    assert f'name="pair" value="{pair(story, 4).pk}"' in row
    assert 'value="merge" class="menu-item" data-key="m">' in row  # shown
    assert 'value="split" class="menu-item" data-key="s">' in row  # 2-1: shown
    assert 'value="move-previous:en:2"' in row and 'value="move-previous:en:3"' not in row
    assert 'value="move-next:en:3"' in row and 'value="move-next:en:2"' not in row
    assert 'value="split-after:en:2"' in row and 'value="split-after:en:3"' not in row
    assert 'value="detach:en:2"' in row and 'value="detach:ru:2"' in row
    last = html[html.index('id="pair-7"'):]
    last = last[:last.index("</tr>")]
    # The last pair's merge and a 1-1 pair's split stay for the keys, hidden: the server says why not.
    assert 'value="merge" class="menu-item" data-key="m" hidden>' in last
    assert 'value="split" class="menu-item" data-key="s" hidden>' in last
    assert "move-next" not in last


def test_a_merge_from_htmx_returns_the_table_a_notice_with_undo_and_where_the_focus_goes(owner_client, story):
    response = correct(owner_client, story, "merge", 2)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="alignment" class="alignment">')
    assert html.count('<tr class="pair') == 6
    edit = Edit.objects.get(action=EditAction.MERGE)
    notice = html[html.index('<div id="notice" hx-swap-oob="innerHTML">'):]
    assert "Merged pairs 2 and 3." in notice
    assert f'name="edit" value="{edit.pk}"' in notice and ">Undo</button>" in notice
    assert json.loads(response["HX-Trigger-After-Swap"]) == {"alignment-changed": {"focus": "pair-2"}}
    # The toolbar offers the same undo, and the merged row says it was made by hand.
    assert "Undo: Merged pairs 2 and 3</button>" in html
    assert '<span class="edited" title="Made by a correction">edited</span>' in html


def test_the_table_comes_back_with_as_many_pages_and_the_same_filter(owner_client, story):
    response = correct(owner_client, story, "split", 4, query="?filter=divergent&pages=1")
    html = response.content.decode()
    assert 'aria-current="true">Divergent only' in html
    assert html.count('<tr class="pair') == 4  # only, 2 only, 4 only (new), number
    assert "pages=1" in html


@pytest.mark.parametrize("op, number, action, expected", [
    ("merge", 2, EditAction.MERGE, [((1,), (1,))]),
    ("split", 4, EditAction.SPLIT, [((2,), (2,)), ((3,), ())]),
    ("split-after:ru:4", 6, EditAction.SPLIT, [((5,), (4,)), ((), (5,))]),
    ("move-next:en:3", 4, EditAction.MOVE, [((2,), (2,)), ((3, 4), (3,))]),
    ("move-previous:en:4", 5, EditAction.MOVE, [((2, 3, 4), (2,)), ((), (3,))]),
    ("detach:en:3", 4, EditAction.DETACH, [((2,), (2,)), ((3,), ())]),
])
def test_every_correction_can_be_made_from_the_page(owner_client, story, op, number, action, expected):
    before = layout_of(story)
    assert correct(owner_client, story, op, number).status_code == 200
    assert [group for group in layout_of(story) if group not in before] == expected
    assert story.edits.get().action == action


def test_without_javascript_a_correction_goes_back_to_the_story_with_a_message(owner_client, story):
    response = correct(owner_client, story, "merge", 2, htmx=False, query="?filter=number")
    assert response.status_code == 302
    assert response["Location"] == f"{story.get_absolute_url()}?filter=number#pair-2"
    page = owner_client.get(response["Location"]).content.decode()
    assert "Merged pairs 2 and 3." in page


def test_a_refused_correction_answers_422_with_the_reason_in_the_notice(owner_client, story):
    response = correct(owner_client, story, "merge", 7)
    assert response.status_code == 422
    assert response["HX-Retarget"] == "#notice" and response["HX-Reswap"] == "innerHTML"
    html = response.content.decode()
    assert '<div class="notice notice--error">' in html
    assert "Pair 7 is the last pair: there is no next pair to merge it with." in html
    assert story.pairs.count() == 7 and not story.edits.exists()


@pytest.mark.parametrize("data, message", [
    ({"op": "explode"}, "There is no correction called “explode”."),
    ({"op": "detach:xx:1"}, "Choose a sentence of the pair for this correction."),
    ({"op": "detach:en:one"}, "Choose a sentence of the pair for this correction."),
    ({"op": "merge", "pair": "not-a-pair"}, "That pair is no longer there"),
])
def test_a_malformed_correction_is_refused_with_a_message_not_an_error(owner_client, story, data, message):
    response = owner_client.post(url("story_correct", story), {"pair": pair(story, 1).pk, **data}, **HTMX)
    assert response.status_code == 422
    assert message in response.content.decode()


def test_without_javascript_a_refusal_is_a_message_on_the_story_page(owner_client, story):
    response = correct(owner_client, story, "split", 1, htmx=False)
    assert response.status_code == 302
    page = owner_client.get(response["Location"]).content.decode()
    assert "Pair 1 holds no more than one sentence a side: there is nothing to split." in page


def test_undo_from_the_notice_takes_the_correction_back(owner_client, story):
    before = layout_of(story)
    correct(owner_client, story, "merge", 2)
    edit = story.edits.get()
    response = owner_client.post(url("story_undo", story) + "?filter=all&pages=1", {"edit": edit.pk}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert layout_of(story) == before
    assert "Undid: Merged pairs 2 and 3." in html
    assert "Undo:" not in html  # nothing left to undo
    assert json.loads(response["HX-Trigger-After-Swap"]) == {"alignment-changed": {"focus": "pair-2"}}


def test_undo_of_a_correction_that_is_not_the_latest_is_refused(owner_client, story):
    correct(owner_client, story, "merge", 2)
    first = story.edits.get()
    correct(owner_client, story, "split", 3)
    response = owner_client.post(url("story_undo", story), {"edit": first.pk}, **HTMX)
    assert response.status_code == 422
    assert "That is no longer the latest correction" in response.content.decode()


def test_the_history_lists_who_changed_what_and_when_latest_first(owner_client, owner, story):
    correct(owner_client, story, "merge", 2)
    owner_client.post(url("story_undo", story), {}, **HTMX)
    html = owner_client.get(story.get_absolute_url()).content.decode()
    history = html[html.index('<section class="history"'):]
    history = history[:history.index("</section>")]
    undone = 'Merged pairs 2 and 3</span> <span class="muted">(undone)'
    assert history.index("Undid: Merged pairs 2 and 3") < history.index(undone)
    assert history.count("olga ·") == 2
    merged = story.edits.get(action=EditAction.MERGE)
    assert f'<time datetime="{dateformat.format(timezone.localtime(merged.created), "c")}">' in history
    fragment = owner_client.get(url("story_history", story), **HTMX).content.decode()
    assert "<html" not in fragment and "Undid: Merged pairs 2 and 3" in fragment


def test_the_history_follows_every_change_through_htmx_events(owner_client, story):
    html = owner_client.get(story.get_absolute_url()).content.decode()
    assert (f'<div id="history-list" hx-get="{url("story_history", story)}"\n'
            '         hx-trigger="review-changed from:body, alignment-changed from:body" hx-swap="innerHTML">') in html
    assert "No changes yet." in html


# ---------------------------------------------------------------------------------------------------- Who may


ACTIONS = ["story_correct", "story_undo", "story_verdict"]
FRAGMENTS = ["story_progress", "story_history", "story_rerun"]


@pytest.mark.parametrize("name", ACTIONS)
def test_another_user_gets_404_and_changes_nothing(client, other_user, story, name):
    client.force_login(other_user)
    response = client.post(url(name, story), {"op": "merge", "pair": pair(story, 1).pk}, **HTMX)
    assert response.status_code == 404
    assert story.pairs.count() == 7 and not story.edits.exists()


@pytest.mark.parametrize("name", FRAGMENTS)
def test_another_user_gets_404_for_the_review_fragments(client, other_user, story, name):
    client.force_login(other_user)
    assert client.get(url(name, story), **HTMX).status_code == 404


@pytest.mark.parametrize("name", ACTIONS + FRAGMENTS)
def test_an_anonymous_visitor_is_sent_to_log_in(client, story, name):
    response = client.post(url(name, story), {"op": "merge", "pair": pair(story, 1).pk})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert story.pairs.count() == 7


@pytest.mark.parametrize("name", ACTIONS)
def test_the_review_actions_accept_only_post(owner_client, story, name):
    assert owner_client.get(url(name, story)).status_code == 405


def test_a_correction_without_the_csrf_token_is_refused(owner, story):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    response = client.post(url("story_correct", story), {"op": "merge", "pair": pair(story, 1).pk}, **HTMX)
    assert response.status_code == 403
    assert story.pairs.count() == 7


def test_a_correction_with_the_csrf_header_htmx_sends_is_accepted(owner, story):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    page = client.get(story.get_absolute_url()).content.decode()
    token = page.split('hx-headers=\'{"X-CSRFToken": "', 1)[1].split('"', 1)[0]
    response = client.post(url("story_correct", story), {"op": "merge", "pair": pair(story, 1).pk},
                           HTTP_X_CSRFTOKEN=token, **HTMX)
    assert response.status_code == 200
    assert story.pairs.count() == 6


def test_a_pair_of_someone_elses_story_cannot_be_reached_through_ones_own(client, other_user, story):
    theirs = Story.objects.create(owner=other_user, title="Theirs")
    client.force_login(other_user)
    response = client.post(url("story_correct", theirs), {"op": "merge", "pair": pair(story, 1).pk}, **HTMX)
    assert response.status_code == 422
    assert story.pairs.count() == 7 and not story.edits.exists()
