"""Searching a collection's sentences: a word in either language finds the pairs that hold it, aligned and with
their divergences, in the collection's stories only; PostgreSQL stems the words, the fallback of SQLite at least
ignores their case, Cyrillic included. Runs on both: CI runs it on PostgreSQL (DATABASE_URL=postgres://...)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alignment.corpus import search as corpus_search
from alignment.corpus.search import MAX_QUERY_CHARS, MAX_WORDS, search
from alignment.models import Collection, Job
from alignment.web import corpus_search as search_page
from tests.conftest import make_story

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="stemming and stop words are PostgreSQL's")

TALKS = (
    "The talks in Geneva failed on Monday, Reuters reported. Protesters blocked the road to the venue for an hour. "
    "Both delegations left the city.",
    "Переговоры в Женеве провалились в понедельник, сообщает Reuters. Обе делегации покинули город.",
)
HARVEST = (
    "The harvest was poor this year. Farmers asked the government for help on Monday.",
    "Урожай в этом году был плохим. В понедельник фермеры попросили правительство о помощи.",
)
ELSEWHERE = (
    "Both delegations met again in Vienna.",
    "Обе делегации снова встретились в Вене.",
)


@pytest.fixture
def collection(owner, no_broker):
    collection = Collection.objects.create(owner=owner, name="Wire, May")
    collection.stories.add(make_story(owner, title="Talks", en=TALKS[0], ru=TALKS[1]),
                           make_story(owner, title="Harvest", en=HARVEST[0], ru=HARVEST[1]))
    return collection


@pytest.fixture
def elsewhere(owner, other_user, no_broker):
    """The same words in a story of the owner's outside the collection, and in another user's collection."""
    make_story(owner, title="Vienna", en=ELSEWHERE[0], ru=ELSEWHERE[1])
    theirs = Collection.objects.create(owner=other_user, name="Theirs")
    theirs.stories.add(make_story(other_user, title="Their Vienna", en=ELSEWHERE[0], ru=ELSEWHERE[1]))
    return theirs


def find(collection, query, language=None, **kwargs):
    return search(collection.stories.all(), query, language, **kwargs)


def found_texts(hit):
    """The text each matched sentence of the hit found, by language."""
    sentences = {(s.language, s.index): s.text for s in (*hit.pair.en, *hit.pair.ru)}
    return {key[0]: [sentences[key][a:b] for a, b in spans] for key, spans in hit.matched.items()}


# ---------------------------------------------------------------------------------------------------- the search


def test_an_english_word_finds_its_pair_aligned_with_its_russian_sentence(collection):
    page = find(collection, "delegations")
    assert page.total == 1 and not page.message
    (hit,) = page.hits
    assert hit.story.title == "Talks"
    assert hit.pair.en_text == "Both delegations left the city."
    assert hit.pair.ru_text == "Обе делегации покинули город."
    assert found_texts(hit) == {"en": ["delegations"]}


def test_a_russian_word_in_capitals_finds_its_pair(collection):
    (hit,) = find(collection, "ДЕЛЕГАЦИИ").hits
    assert hit.pair.en_text == "Both delegations left the city."
    assert found_texts(hit) == {"ru": ["делегации"]}


@on_postgresql
def test_a_russian_word_in_another_case_form_finds_its_pair_on_postgresql(collection):
    (hit,) = find(collection, "делегациями").hits
    assert found_texts(hit) == {"ru": ["делегации"]}
    (hit,) = find(collection, "урожаю").hits
    assert hit.pair.en_text == "The harvest was poor this year."


def test_odd_capitals_and_ё_for_е_still_find_the_word(collection):
    (hit,) = find(collection, "жЕНёВЕ").hits
    assert found_texts(hit) == {"ru": ["Женеве"]}


@on_postgresql
def test_a_search_of_nothing_but_stop_words_says_so_on_postgresql(collection):
    page = find(collection, "the of")
    assert (page.message, page.total) == (corpus_search.TOO_COMMON, 0)


def test_every_word_must_be_in_the_sentence(collection):
    assert find(collection, "farmers help").total == 1
    assert find(collection, "farmers Geneva").total == 0


def test_the_language_filter_searches_one_side_only(collection):
    both = find(collection, "Reuters")
    (hit,) = both.hits
    assert found_texts(hit) == {"en": ["Reuters"], "ru": ["Reuters"]}
    assert found_texts(find(collection, "Reuters", "en").hits[0]) == {"en": ["Reuters"]}
    assert found_texts(find(collection, "Reuters", "ru").hits[0]) == {"ru": ["Reuters"]}
    assert find(collection, "Женеве", "en").total == 0
    assert find(collection, "Geneva", "ru").total == 0


def test_it_finds_only_the_collections_own_stories(collection, elsewhere):
    assert [hit.story.title for hit in find(collection, "delegations").hits] == ["Talks"]
    assert [hit.story.title for hit in find(elsewhere, "delegations").hits] == ["Their Vienna"]


def test_a_story_whose_latest_run_is_not_done_is_left_out(collection):
    # Its page shows the new run's progress, not these rows: a hit would lead nowhere.
    Job.objects.create(story=collection.stories.get(title="Talks"))
    assert find(collection, "delegations").total == 0


def test_a_sentence_with_no_counterpart_comes_with_its_divergence(collection):
    (hit,) = find(collection, "protesters").hits
    assert hit.pair.ru == ()
    assert [d.kind for d in hit.pair.divergences] == ["only_en"]


def test_the_hits_come_a_page_at_a_time_with_the_total(collection):
    first, second, past = (find(collection, "понедельник", limit=1, offset=k) for k in (0, 1, 2))
    assert (first.total, second.total, past.total) == (2, 2, 2)
    assert {first.hits[0].story.title, second.hits[0].story.title} == {"Talks", "Harvest"}
    assert first.has_next and not second.has_next
    assert past.hits == ()


def test_a_page_costs_the_same_queries_however_many_stories_its_hits_come_from(collection):
    with CaptureQueriesContext(connection) as one:
        assert len(find(collection, "delegations").hits) == 1
    with CaptureQueriesContext(connection) as two:
        assert {hit.story.title for hit in find(collection, "понедельник").hits} == {"Talks", "Harvest"}
    assert len(one) == len(two)


@pytest.mark.parametrize(("query", "message"), [
    ("", corpus_search.ASK),
    ("   ", corpus_search.ASK),
    ("a", corpus_search.TOO_SHORT),
    ("x " * 3, corpus_search.TOO_SHORT),
    ("w" * (MAX_QUERY_CHARS + 1), f"A search is at most {MAX_QUERY_CHARS} characters long; this one has 201."),
    (" ".join(["word"] * (MAX_WORDS + 1)), f"A search is at most {MAX_WORDS} words; this one has 11."),
])
def test_a_query_it_cannot_search_gets_a_message_and_no_results(collection, query, message):
    page = find(collection, query)
    assert (page.message, page.hits, page.total) == (message, (), 0)


# ---------------------------------------------------------------------------------------------------- the page


def search_url(collection):
    return reverse("collection_search", args=[collection.code])


def test_the_page_shows_each_pair_found_aligned_and_linked_to_its_place_in_the_story(client, owner, collection):
    client.force_login(owner)
    html = client.get(search_url(collection), {"q": "protesters"}).content.decode()
    talks = collection.stories.get(title="Talks")
    (pair,) = talks.pairs.filter(sentences__text__contains="Protesters")
    assert f'<a class="story-title" href="{reverse("story", args=[talks.code])}">Talks</a>' in html
    assert f'href="{reverse("story", args=[talks.code])}#pair-{pair.order + 1}"' in html
    # What was found is marked inside the mark of the divergence, which stays whole.
    assert ('<mark class="kind-only_en" title="Only in English"><mark class="found">Protesters</mark> blocked the road '
            'to the venue for an hour.</mark>') in html
    assert '<span class="badge kind-only_en">' in html
    assert '<p class="missing" lang="en">No Russian sentence</p>' in html
    assert "1 pair matches “protesters”." in html


def test_the_htmx_form_gets_only_the_results_fragment(client, owner, collection):
    client.force_login(owner)
    page = client.get(search_url(collection), {"q": "delegations"}).content.decode()
    fragment = client.get(search_url(collection), {"q": "delegations"}, **HTMX).content.decode()
    assert "<html" in page and "<h1>Search Wire, May</h1>" in page
    # The form asks again on submit and as one types, a moment after, and the address follows.
    assert (f'hx-get="{search_url(collection)}" hx-trigger="submit, input delay:400ms" hx-target="#search-results" '
            'hx-swap="outerHTML"\n      hx-push-url="true"') in page
    assert fragment.lstrip().startswith("<section id=\"search-results\"") and "<html" not in fragment
    assert '<mark class="found">delegations</mark>' in fragment


def test_an_empty_search_says_what_to_type(client, owner, collection):
    client.force_login(owner)
    html = client.get(search_url(collection), {"q": ""}).content.decode()
    assert corpus_search.ASK in html and "<table" not in html


def test_a_search_too_long_is_refused_with_its_length(client, owner, collection):
    client.force_login(owner)
    html = client.get(search_url(collection), {"q": "w" * 300}, **HTMX).content.decode()
    assert f"A search is at most {MAX_QUERY_CHARS} characters long; this one has 300." in html
    assert "message--error" in html


def test_the_language_chosen_on_the_page_filters_the_pairs(client, owner, collection):
    client.force_login(owner)
    html = client.get(search_url(collection), {"q": "Geneva", "lang": "ru"}, **HTMX).content.decode()
    assert "No sentence in Russian matches “Geneva”." in html


def test_the_pages_of_hits_link_to_each_other(client, owner, collection, monkeypatch):
    monkeypatch.setattr(search_page, "HITS_PER_PAGE", 1)
    client.force_login(owner)
    first = client.get(search_url(collection), {"q": "понедельник"}).content.decode()
    assert "?q=%D0%BF%D0%BE%D0%BD%D0%B5%D0%B4%D0%B5%D0%BB%D1%8C%D0%BD%D0%B8%D0%BA&amp;lang=&amp;page=2" in first
    assert "2 pairs match “понедельник”; 1–1 shown." in first
    beyond = client.get(search_url(collection), {"q": "понедельник", "page": "9"}).content.decode()
    assert "2–2 shown" in beyond and "← Previous" in beyond and "Next →" not in beyond


def test_another_users_collection_is_not_found(client, other_user, collection):
    client.force_login(other_user)
    response = client.get(search_url(collection), {"q": "delegations"})
    assert response.status_code == 404
    assert "delegations" not in response.content.decode()


def test_an_anonymous_visitor_is_sent_to_log_in(client, collection):
    response = client.get(search_url(collection), {"q": "delegations"})
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@on_postgresql
def test_the_sentences_have_a_full_text_index_per_language_that_the_search_uses(collection):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'alignment_sentence'")
        found = dict(cursor.fetchall())
    for language, config in (("en", "english"), ("ru", "russian")):
        definition = found.get(f"sentence_search_{language}", "")
        assert "gin" in definition and f"'{config}'" in definition and f"'{language}'" in definition
