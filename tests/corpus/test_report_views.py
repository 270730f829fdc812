"""The collection report's page and its API: every chart drawn with its table beside it, the stories linked, the
JSON contract, and another user's collection a 404 on both."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.test import Client
from django.urls import reverse

from alignment import tokens
from alignment.models import Collection, Verdict
from alignment.web.charts import bar_chart
from tests.corpus.report_rows import Bead, Flag, build_story, handmade

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def made(owner):
    return handmade(owner)


@pytest.fixture
def page(client, owner, made):
    client.force_login(owner)
    response = client.get(reverse("collection_report", args=[made[0].code]))
    assert response.status_code == 200
    return response.content.decode()


def token_client(user) -> Client:
    _, key = tokens.issue(user)
    return Client(HTTP_AUTHORIZATION=f"Token {key}")


def figures(html: str) -> dict[str, str]:
    """Each figure of the page by its chart's id."""
    return {
        re.search(r'<svg class="chart" id="([^"]+)"', f).group(1): f
        for f in re.findall(r'<figure class="chart-figure".*?</figure>', html, re.S)
    }


def test_the_page_draws_each_chart_with_a_table_of_its_numbers(page):
    found = figures(page)
    assert set(found) == {"chart-kinds", "chart-coverage", "chart-timeline", "chart-verdicts"}
    for figure in found.values():
        svg = re.search(r"<svg.*?</svg>", figure, re.S).group(0)
        root = ET.fromstring(svg)
        assert root.get("role") == "img" and root.get("aria-label")
        assert root.find(f"{SVG}title").text == root.get("aria-label")
        assert "<table" in figure.split("</svg>", 1)[1]
    kinds = found["chart-kinds"]
    assert re.search(r'<th scope="row">Name</th><td class="num">3</td>', kinds)
    assert re.search(r'class="chart__value"[^>]*>3</text>', kinds)  # the bar says its number itself
    timeline = found["chart-timeline"]
    assert "Jan 2025" in timeline and "Feb 2025" in timeline and "Mar 2025" in timeline
    verdicts = found["chart-verdicts"]
    for heading in ("Confirmed", "Dismissed", "Not reviewed"):
        assert f'<th scope="col" class="num">{heading}</th>' in verdicts
    assert re.search(r'<th scope="row">Only in Russian</th><td class="num">0</td><td class="num">1</td>', verdicts)


def test_the_page_gives_the_numbers_and_links_the_stories(page, made):
    stories = made[1]
    assert "25%" in page and "14.3%" in page  # English and Russian sentences without a counterpart
    assert ">9<" in page  # pairs
    for name in "ABC":
        assert reverse("story", args=[stories[name].code]) in page
    for name in "DEF":
        assert reverse("story", args=[stories[name].code]) not in page
    left_out = page.split('id="left-out-heading"', 1)[1].split("</section>", 1)[0]
    assert re.search(r'<th scope="row" lang="en">Peskov</th>', left_out)
    assert "1 story has no publication date" in page


def test_the_page_uses_no_inline_style_or_script_and_loads_no_other_site(page):
    assert "style=" not in page and "<style" not in page
    assert not re.search(r"<script(?![^>]*\bsrc=)", page)
    assert not re.search(r'(?:src|href)="https?://', page)
    assert "/static/css/charts.css" in page


def test_the_page_of_a_collection_without_processed_stories_says_so(client, owner):
    collection = Collection.objects.create(owner=owner, name="Waiting")
    build_story(owner, "Queued", [Bead("One.", "Одна.")], collection=collection, status="queued")
    client.force_login(owner)
    response = client.get(reverse("collection_report", args=[collection.code]))
    assert response.status_code == 200
    assert "Nothing to report yet" in response.content.decode() and "<svg" not in response.content.decode()


def test_verdicts_wait_until_reviewers_have_ruled(client, owner):
    collection = Collection.objects.create(owner=owner, name="Unreviewed")
    build_story(owner, "One", [Bead("In 2024.", "В 2023 году.", (Flag("number", 0.5, ("2024",), ("2023",)),))],
                collection=collection)
    client.force_login(owner)
    html = client.get(reverse("collection_report", args=[collection.code])).content.decode()
    assert "chart-verdicts" not in html and "No reviewer has ruled" in html
    assert "No story of the collection has a publication date" in html


def test_another_users_collection_is_a_404(client, other_user, made):
    client.force_login(other_user)
    assert client.get(reverse("collection_report", args=[made[0].code])).status_code == 404


def test_the_page_asks_a_visitor_to_log_in(client, made):
    response = client.get(reverse("collection_report", args=[made[0].code]))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_the_api_gives_the_report_numbers(owner, made):
    collection, stories = made
    for code in (collection.pk, collection.code):
        response = token_client(owner).get(f"/api/collections/{code}/report/")
        assert response.status_code == 200
        data = response.json()
        assert {k: data[k] for k in ("stories", "pairs", "en_unpaired_share", "ru_unpaired_share")} == {
            "stories": 3, "pairs": 9, "en_unpaired_share": 0.25, "ru_unpaired_share": 0.1429,
        }
        assert data["divergences"]["name"] == 3
        assert data["most_divergent"] == [str(stories[n].code) for n in "ABC"]
        assert data["left_out"][0] == {
            "text": "Peskov", "kind": "name", "count": 3, "language": "en",
            "stories": [str(stories[n].code) for n in "BC"],
        }


def test_the_api_answers_the_browser_session_too(client, owner, made):
    client.force_login(owner)
    assert client.get(f"/api/collections/{made[0].pk}/report/").json()["stories"] == 3


def test_the_api_hides_other_users_collections(other_user, made):
    for code in (made[0].pk, made[0].code, "no-such-id"):
        response = token_client(other_user).get(f"/api/collections/{code}/report/")
        assert response.status_code == 404
        assert response.json() == {"detail": "No collection with this id."}


def test_the_api_refuses_a_caller_without_credentials(made):
    assert Client().get(f"/api/collections/{made[0].pk}/report/").status_code in (401, 403)


def test_a_chart_escapes_its_labels_and_draws_its_series_apart():
    chart = bar_chart(
        "chart-x", 'Bars & "quotes"', [("<b>Tom</b>", [2, 1], ["2", "1"]), ("Second", [0, 4], ["0", "4"])],
        series=["One", "Two"],
    )
    svg = str(chart.svg())
    root = ET.fromstring(svg)  # well-formed, so nothing got through unescaped
    assert root.find(f"{SVG}title").text == 'Bars & "quotes"'
    assert "<b>" not in svg and "&lt;b&gt;Tom&lt;/b&gt;" in svg
    bars = [r for r in root.iter(f"{SVG}rect") if "chart__bar" in (r.get("class") or "")]
    fills = {r.get("fill") for r in bars}
    assert fills == {"currentColor", "url(#chart-x-hatch)"}  # solid and hatched: apart in black and white
    widths = [float(r.get("width")) for r in bars if r.get("y") != "2"]  # the legend's swatches aside
    assert widths[3] == max(widths) and widths[2] == 0.0 and widths[0] == widths[3] / 2


def test_a_chart_refuses_rows_that_do_not_match_its_series():
    with pytest.raises(ValueError, match="each series"):
        bar_chart("chart-y", "Bad", [("Row", [1], ["1", "2"])], series=["One"])


def test_the_left_out_links_at_most_five_stories_and_counts_the_rest(client, owner):
    collection = Collection.objects.create(owner=owner, name="Many")
    for i in range(7):
        build_story(owner, f"Story {i}", [
            Bead("Lavrov spoke.", "Он говорил.", (Flag("name", 0.7, ("Lavrov",), verdict=Verdict.CONFIRMED),)),
        ], collection=collection)
    client.force_login(owner)
    html = client.get(reverse("collection_report", args=[collection.code])).content.decode()
    left_out = html.split('id="left-out-heading"', 1)[1].split("</section>", 1)[0]
    assert left_out.count('href="/stories/') == 5 and "and 2 more" in left_out


def test_the_page_shows_names_titles_and_words_as_text(client, owner):
    hostile = "<script>alert(1)</script>"
    collection = Collection.objects.create(owner=owner, name=hostile, description=hostile, outlet=hostile)
    build_story(owner, hostile, [Bead(f"{hostile} said 5.", "Сказал 7.", (Flag("number", 0.5, ("5",), ("7",)),)),
                                 Bead(f"Then {hostile}.", "Потом.", (Flag("name", 0.5, (hostile,)),))],
                collection=collection)
    client.force_login(owner)
    html = client.get(reverse("collection_report", args=[collection.code])).content.decode()
    assert hostile not in html
    assert html.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 5  # name, description, outlet, title, left out


# ------------------------------------------------------------------------------------------------ kept reports


def report_url(collection):
    return reverse("collection_report", args=[collection.code])


def count_queries(client, url) -> tuple[int, str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        html = client.get(url).content.decode()
    return len(captured), html


def test_an_unchanged_collection_is_reported_from_the_cache(client, owner, made):
    client.force_login(owner)
    first, html = count_queries(client, report_url(made[0]))
    again, html_again = count_queries(client, report_url(made[0]))
    assert again < first
    main = re.compile(r"<main.*</main>", re.S)  # the rest carries a new CSRF mask each time
    assert main.search(html_again).group(0) == main.search(html).group(0)


def test_a_kept_report_gives_way_to_a_verdict_a_new_story_and_a_new_run(client, owner, made, no_broker):
    from alignment import review

    collection, stories = made
    client.force_login(owner)

    def numbers():
        return client.get(f"/api/collections/{collection.pk}/report/").json()

    assert numbers()["verdicts"]["number"] == {"confirmed": 0, "dismissed": 0, "pending": 2}
    divergence = stories["A"].pairs.get(order=0).divergences.get()
    review.review_divergence(stories["A"], owner, divergence.pk, Verdict.CONFIRMED)
    assert numbers()["verdicts"]["number"] == {"confirmed": 1, "dismissed": 0, "pending": 1}

    collection.stories.add(build_story(owner, "Late", [Bead("One.", "Одна.")]))
    assert numbers()["stories"] == 4

    review.rerun(stories["B"], owner, "page", confirmed=True)  # B waits for its new run: not counted meanwhile
    assert numbers()["stories"] == 3 and str(stories["B"].code) not in numbers()["most_divergent"]
