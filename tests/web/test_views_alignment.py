"""The alignment view: rows, highlights, the statistics header, filters and pagination."""

import re
from dataclasses import dataclass, field

import pytest
from django.urls import reverse

from alignment.models import Divergence, Document, Job, JobStatus, Pair, Sentence, Story
from alignment.web.rows import PAIRS_PER_PAGE


@dataclass
class Div:
    """A divergence for ``build_story``. ``en`` and ``ru`` name substrings of the pair's text to mark."""

    kind: str
    reason: str = "They differ."
    severity: float = 0.5
    en: list[str] = field(default_factory=list)
    ru: list[str] = field(default_factory=list)


def build_story(owner, rows, title="Built story", stats=None):
    """A processed story written straight to the rows, without the pipeline. Each row is
    (English sentences, Russian sentences, divergences); a side may be an empty list."""
    story = Story.objects.create(owner=owner, title=title)
    texts = {"en": [], "ru": []}
    placed = []  # per row: {"en": [(start, end, text)], "ru": [...]}
    offsets = {"en": 0, "ru": 0}
    for en, ru, _ in rows:
        here = {}
        for lang, sentences in (("en", en), ("ru", ru)):
            here[lang] = []
            for text in sentences:
                start = offsets[lang]
                here[lang].append((start, start + len(text), text))
                texts[lang].append(text)
                offsets[lang] = start + len(text) + 1  # sentences are joined by one space
        placed.append(here)
    docs = {
        lang: Document.objects.create(story=story, language=lang, text=" ".join(texts[lang]))
        for lang in ("en", "ru")
    }
    pairs = Pair.objects.bulk_create(
        Pair(story=story, order=k, score=0.9, similarity=0.8, kinds=",".join(sorted({d.kind for d in divs})))
        for k, (_, _, divs) in enumerate(rows)
    )
    sentences, divergences = [], []
    index = {"en": 0, "ru": 0}
    for pair, here, (_, _, divs) in zip(pairs, placed, rows):
        for lang in ("en", "ru"):
            for start, end, text in here[lang]:
                sentences.append(Sentence(
                    document=docs[lang], pair=pair, language=lang, index=index[lang], text=text, start=start, end=end,
                ))
                index[lang] += 1
        for d in divs:
            spans = {lang: [] for lang in ("en", "ru")}
            for lang, words in (("en", d.en), ("ru", d.ru)):
                joined = " ".join(text for _, _, text in here[lang])  # as it sits in the document
                for word in words:
                    at = here[lang][0][0] + joined.index(word)
                    spans[lang].append([at, at + len(word)])
            divergences.append(Divergence(
                pair=pair, kind=d.kind, severity=d.severity, reason=d.reason,
                en_spans=spans["en"], ru_spans=spans["ru"],
            ))
    Sentence.objects.bulk_create(sentences)
    Divergence.objects.bulk_create(divergences)
    counts = {}
    for d in divergences:
        counts[d.kind] = counts.get(d.kind, 0) + 1
    story.stats = stats or {
        "en_sentences": index["en"], "ru_sentences": index["ru"], "en_coverage": 0.95, "ru_coverage": 0.875,
        "mean_similarity": 0.8123, "divergences": counts,
    }
    story.save()
    Job.objects.create(story=story, status=JobStatus.DONE, stage="done", progress=1.0, enqueued=True)
    return story


def many_pairs(n):
    return [([f"Sentence {i} in English."], [f"Предложение {i} по-русски."], []) for i in range(n)]


@pytest.fixture
def story(db, owner):
    return build_story(owner, [
        (["The mayor opened the bridge."], ["Мэр открыл мост."], []),
        (["It cost 42 million dollars."], ["Он стоил 43 миллиона долларов."],
         [Div("number", "42 in English, 43 in Russian.", 0.8, en=["42"], ru=["43"])]),
        (["Reporting by Jane Doe."], [], [Div("only_en", "Only in the English version.", 0.3,
                                              en=["Reporting by Jane Doe."])]),
        ([], ["Подписывайтесь на наш канал."], [Div("boilerplate", "A call to subscribe.", 0.1)]),
        (["Ivanov said so.", "He left."], ["Петров так сказал, и ушёл."],
         [Div("name", "Ivanov vs Petrov.", 0.9, en=["Ivanov"], ru=["Петров"])]),
    ])


def rows_of(html):
    return re.findall(r'<tr class="pair[^"]*" id="pair-\d+">', html)


def get(client, user, url, **headers):
    client.force_login(user)
    return client.get(url, **headers)


def test_it_shows_one_row_per_pair_in_order(client, owner, story):
    html = get(client, owner, story.get_absolute_url()).content.decode()
    assert len(rows_of(html)) == 5
    assert html.index("The mayor opened the bridge.") < html.index("It cost") < html.index("Reporting by")


def test_it_numbers_the_sentences_from_one(client, owner, story):
    html = get(client, owner, story.get_absolute_url()).content.decode()
    assert 'title="English sentence 1">1</span> The mayor' in html
    assert 'title="English sentence 5">5</span> He left.' in html
    assert 'title="Russian sentence 3">3</span> Подписывайтесь' in html


def test_it_puts_both_sentences_of_a_merged_pair_in_one_row(client, owner, story):
    html = get(client, owner, story.get_absolute_url()).content.decode()
    row = html[html.index('id="pair-5"'):]
    row = row[:row.index("</tr>")]
    assert "Ivanov" in row and "He left." in row and "Петров" in row


def test_it_says_which_side_is_missing(client, owner, story):
    html = get(client, owner, story.get_absolute_url()).content.decode()
    assert "No Russian sentence" in html
    assert "No English sentence" in html


def test_it_colours_divergent_rows_by_kind_and_labels_them_in_words(client, owner, story):
    html = get(client, owner, story.get_absolute_url()).content.decode()
    assert '<tr class="pair pair--flagged kind-number" id="pair-2">' in html
    assert '<tr class="pair pair--flagged kind-only_en" id="pair-3">' in html
    # Furniture, even one sentence of it, is a passage shown folded (see test_passages_view.py).
    assert '<tr class="pair pair--flagged kind-boilerplate pair--passage pair--furniture" id="pair-4">' in html
    assert '<tr class="pair" id="pair-1">' in html
    for label in ("Number", "Only in English", "Boilerplate", "Name"):
        assert f'aria-hidden="true"></span>{label}</span>' in html


def test_it_shows_the_reason_and_the_severity(client, owner, story):
    html = get(client, owner, story.get_absolute_url()).content.decode()
    assert "42 in English, 43 in Russian." in html
    assert 'class="severity severity--3" role="img" aria-label="Severity 0.80 of 1"' in html
    assert 'class="severity severity--1" role="img" aria-label="Severity 0.10 of 1"' in html


def test_it_marks_the_divergent_words_inside_the_sentences(client, owner, story):
    html = get(client, owner, story.get_absolute_url()).content.decode()
    assert 'It cost <mark class="kind-number" title="Number">42</mark> million dollars.' in html
    assert 'Он стоил <mark class="kind-number" title="Number">43</mark> миллиона' in html
    assert '<mark class="kind-name" title="Name">Ivanov</mark> said so.' in html
    assert '<mark class="kind-name" title="Name">Петров</mark> так сказал' in html


def test_a_span_across_two_sentences_is_marked_in_each(client, owner, db):
    story = build_story(owner, [
        (["First one.", "Second one."], ["Одно предложение."], [Div("partial", en=["one. Second"])]),
    ])
    html = get(client, owner, story.get_absolute_url()).content.decode()
    assert 'First <mark class="kind-partial" title="Partial">one.</mark></p>' in html
    assert '</span> <mark class="kind-partial" title="Partial">Second</mark> one.</p>' in html


def test_the_more_severe_divergence_wins_where_spans_overlap(client, owner, db):
    story = build_story(owner, [
        (["Paid 5 roubles to Smith."], ["Заплатил 6 рублей Смиту."], [
            Div("meaning", severity=0.9, en=["Paid 5"]),
            Div("number", severity=0.4, en=["5 roubles"]),
        ]),
    ])
    html = get(client, owner, story.get_absolute_url()).content.decode()
    assert ('<mark class="kind-meaning" title="Meaning">Paid 5</mark>'
            '<mark class="kind-number" title="Number"> roubles</mark> to Smith.') in html
    assert '<tr class="pair pair--flagged kind-meaning"' in html


def test_it_escapes_the_text_inside_and_outside_the_marks(client, owner, db):
    story = build_story(owner, [
        (["<b>Bold</b> & <script>alert(1)</script> 7 claims."], ["<i>Семь</i> заявлений."],
         [Div("number", "<em>reason</em>", en=["<script>alert(1)</script> 7"])]),
    ], title="<img src=x onerror=alert(1)>")
    html = get(client, owner, story.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "<b>Bold</b>" not in html and "<i>Семь</i>" not in html and "<em>reason</em>" not in html
    assert "<img src=x" not in html
    assert ('&lt;b&gt;Bold&lt;/b&gt; &amp; <mark class="kind-number" title="Number">'
            '&lt;script&gt;alert(1)&lt;/script&gt; 7</mark> claims.') in html
    assert "&lt;em&gt;reason&lt;/em&gt;" in html


def test_the_header_shows_coverage_counts_and_similarity(client, owner, story):
    html = get(client, owner, story.get_absolute_url()).content.decode()
    header = html[html.index('<dl class="stats">'):html.index("</dl>")]
    assert "95%" in header and "88%" in header
    assert "0.81" in header
    assert "5 sentences" in header and "4 sentences" in header
    assert "<dd>4</dd>" in header
    assert '<span class="badge badge--small kind-number">Number 1</span>' in header
    assert "Meaning" not in header  # kinds the story does not have are left out


def test_the_header_uses_the_pipelines_real_statistics(client, owner, done_story):
    html = get(client, owner, done_story.get_absolute_url()).content.decode()
    coverage = round(100 * done_story.stats["en_coverage"])
    assert f"<dd>{coverage}%</dd>" in html
    assert f"<dd>{done_story.divergence_total()}</dd>" in html
    assert len(rows_of(html)) == min(done_story.pairs.count(), PAIRS_PER_PAGE)


@pytest.mark.parametrize(("filter_", "expected"), [
    ("all", [1, 2, 3, 4, 5]),
    ("divergent", [2, 3, 4, 5]),
    ("number", [2]),
    ("only_en", [3]),
    ("name", [5]),
    ("meaning", []),
    ("nonsense", [1, 2, 3, 4, 5]),
])
def test_a_filter_on_the_story_page_shows_only_matching_pairs(client, owner, story, filter_, expected):
    html = get(client, owner, story.get_absolute_url() + f"?filter={filter_}").content.decode()
    assert rows_of(html) == [re.search(rf'<tr class="pair[^"]*" id="pair-{n}">', html).group() for n in expected]
    assert "<html" in html
    if not expected:
        assert "No pairs to show with this filter." in html


def test_a_filter_request_from_htmx_gets_only_the_alignment_region(client, owner, story):
    url = reverse("story_pairs", args=[story.code]) + "?filter=number"
    response = get(client, owner, url, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html
    assert html.strip().startswith('<div id="alignment"')
    assert len(rows_of(html)) == 1
    assert 'aria-current="true">Number' in html


def test_the_pairs_url_without_htmx_renders_the_whole_story_page(client, owner, story):
    response = get(client, owner, reverse("story_pairs", args=[story.code]) + "?filter=name")
    html = response.content.decode()
    assert "<html" in html and story.title in html
    assert len(rows_of(html)) == 1


def test_filter_links_work_without_javascript_and_push_the_story_url(client, owner, story):
    html = get(client, owner, story.get_absolute_url()).content.decode()
    story_url, pairs_url = story.get_absolute_url(), reverse("story_pairs", args=[story.code])
    assert (f'<a href="{story_url}?filter=number" hx-get="{pairs_url}?filter=number" hx-target="#alignment"\n'
            f'         hx-swap="outerHTML" hx-push-url="{story_url}?filter=number"') in html


def test_a_long_story_shows_its_first_page_and_a_load_more_link(client, owner, db):
    story = build_story(owner, many_pairs(PAIRS_PER_PAGE * 2 + 5))
    html = get(client, owner, story.get_absolute_url()).content.decode()
    assert len(rows_of(html)) == PAIRS_PER_PAGE
    pairs_url = reverse("story_pairs", args=[story.code])
    assert f'hx-get="{pairs_url}?filter=all&amp;page=2"' in html
    assert f'href="{story.get_absolute_url()}?filter=all&amp;page=2"' in html
    assert 'hx-target="closest tr" hx-swap="outerHTML"' in html


def test_load_more_returns_only_the_next_rows_and_the_next_link(client, owner, db):
    story = build_story(owner, many_pairs(PAIRS_PER_PAGE * 2 + 5))
    url = reverse("story_pairs", args=[story.code]) + "?page=2"
    html = get(client, owner, url, HTTP_HX_REQUEST="true").content.decode()
    assert html.lstrip().startswith("<tr")
    assert "<table" not in html and "<html" not in html
    rows = rows_of(html)
    assert len(rows) == PAIRS_PER_PAGE
    assert rows[0].endswith(f'id="pair-{PAIRS_PER_PAGE + 1}">')
    assert "page=3" in html

    last = get(client, owner, reverse("story_pairs", args=[story.code]) + "?page=3", HTTP_HX_REQUEST="true")
    assert len(rows_of(last.content.decode())) == 5
    assert "Load more" not in last.content.decode()


def test_load_more_keeps_the_filter(client, owner, db):
    rows = [([f"Sentence {i}."], [f"Предложение {i}."], [Div("number")] if i % 2 else []) for i in range(260)]
    story = build_story(owner, rows)
    html = get(client, owner, story.get_absolute_url() + "?filter=number").content.decode()
    assert len(rows_of(html)) == PAIRS_PER_PAGE
    assert "?filter=number&amp;page=2" in html


def test_a_later_page_without_javascript_is_a_full_page(client, owner, db):
    story = build_story(owner, many_pairs(PAIRS_PER_PAGE + 3))
    html = get(client, owner, story.get_absolute_url() + "?page=2").content.decode()
    assert "<html" in html
    assert len(rows_of(html)) == 3


@pytest.mark.parametrize("url_name", ["story", "story_pairs"])
def test_the_number_of_queries_does_not_grow_with_the_pairs(
    client, owner, db, django_assert_max_num_queries, url_name
):
    small = build_story(owner, many_pairs(3) + [(["x 1."], ["y 2."], [Div("number", en=["1"], ru=["2"])])])
    big = build_story(owner, [
        ([f"A {i}.", f"B {i}."], [f"В {i}."], [Div("number", en=[f"{i}"]), Div("name")]) for i in range(400)
    ])
    client.force_login(owner)
    # 13: one of them finds the story's passages (kept per version of the story, like the rows).
    with django_assert_max_num_queries(13) as small_queries:
        client.get(reverse(url_name, args=[small.code]))
    with django_assert_max_num_queries(len(small_queries)) as big_queries:
        response = client.get(reverse(url_name, args=[big.code]))
    assert len(rows_of(response.content.decode())) == PAIRS_PER_PAGE
    assert len(big_queries) == len(small_queries)


def test_the_number_of_queries_for_load_more_does_not_grow_with_the_pairs(
    client, owner, db, django_assert_max_num_queries
):
    story = build_story(owner, many_pairs(PAIRS_PER_PAGE * 4))
    client.force_login(owner)
    with django_assert_max_num_queries(12):
        client.get(reverse("story_pairs", args=[story.code]) + "?page=3", HTTP_HX_REQUEST="true")
