"""The similarity map on the story page: saved with the results, served as a PNG with an ETag, drawn with the
alignment and the divergences over it, and the link from a point of it to the page of rows that holds its pair."""

import re
import struct
import zlib

import numpy as np
import pytest
from django.urls import reverse

from alignment import jobs, review, stories
from alignment.models import Divergence, Pair, SimilarityMap, Story
from alignment.pipeline.simmap import similarity_map
from alignment.web.map import PALETTE, PLOT_MAX
from alignment.web.rows import PAIRS_PER_PAGE
from tests.conftest import make_story
from tests.web.test_views_alignment import build_story, many_pairs, story  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db

ROUTES = ("story_similarity_map", "story_similarity_png")


def read_png(data: bytes) -> dict:
    """The chunks of a PNG, each checked against its CRC, and its pixels unfiltered (filter "none" only)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, at = {}, 8
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind, body = data[at + 4 : at + 8], data[at + 8 : at + 8 + length]
        (crc,) = struct.unpack(">I", data[at + 8 + length : at + 12 + length])
        assert crc == zlib.crc32(kind + body), kind
        chunks[kind] = chunks.get(kind, b"") + body
        at += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", chunks[b"IHDR"])
    raw = zlib.decompress(chunks[b"IDAT"])
    assert len(raw) == height * (width + 1)
    lines = [raw[y * (width + 1) : (y + 1) * (width + 1)] for y in range(height)]
    assert all(line[0] == 0 for line in lines)
    return {
        "width": width, "height": height, "depth": depth, "colour": colour, "interlace": interlace,
        "palette": chunks[b"PLTE"], "pixels": b"".join(line[1:] for line in lines), "end": b"IEND" in chunks,
    }


def fragment(client, story, **params):
    return client.get(reverse("story_similarity_map", args=[story.code]), params, HTTP_HX_REQUEST="true")


def path_points(html: str) -> list[tuple[int, int]]:
    d = re.search(r'<path class="simmap__path" d="([^"]+)"', html)[1]
    return [(int(x), int(y)) for x, y in re.findall(r"[ML](-?\d+) (-?\d+)", d)]


def ends(html: str, lang: str) -> list[int]:
    return [int(n) for n in re.search(rf'data-{lang}-ends="([^"]*)"', html)[1].split()]


def add_map(story: Story, en_count: int, ru_count: int) -> SimilarityMap:
    """A map for a story built without the pipeline: sentence i of each side alike, the rest random."""
    rng = np.random.default_rng(0)
    base = rng.normal(size=(max(en_count, ru_count), 16)).astype(np.float32)
    base /= np.linalg.norm(base, axis=1, keepdims=True)
    simmap = similarity_map(base[:en_count], base[:ru_count])
    return SimilarityMap.objects.create(story=story, rows=simmap.rows, cols=simmap.cols, en_block=simmap.en_block,
                                        ru_block=simmap.ru_block, cells=simmap.cells)


@pytest.fixture
def done(owner, no_broker):
    return make_story(owner)


@pytest.fixture
def built(story):
    """Five pairs, four with divergences, among them a 1-0, a 0-1 and a 2-1 pair (tests.web.test_views_alignment),
    without a map; the last pair gets a second divergence, made later but more severe than its first (a name)."""
    Divergence.objects.create(pair=story.pairs.get(order=4), kind="meaning", severity=0.95, reason="More severe.")
    return story


# ---------------------------------------------------------------------------------------------------- Saving


def test_the_job_saves_the_map_of_its_sentences_with_the_results(done):
    saved = SimilarityMap.objects.get(story=done)
    n, m = done.stats["en_sentences"], done.stats["ru_sentences"]
    assert (saved.rows, saved.cols, saved.en_block, saved.ru_block) == (n, m, 1, 1)
    cells = np.frombuffer(bytes(saved.cells), dtype=np.uint8).reshape(n, m)
    # The aligned pairs of sentences are the bright cells of their rows.
    for pair in done.pairs.prefetch_related("sentences"):
        en = [s.index for s in pair.sentences.all() if s.language == "en"]
        ru = [s.index for s in pair.sentences.all() if s.language == "ru"]
        if len(en) == len(ru) == 1:
            assert cells[en[0], ru[0]] == cells[en[0]].max()


def test_running_again_replaces_the_map_and_deleting_the_story_deletes_it(done):
    SimilarityMap.objects.filter(story=done).update(cells=b"\x00" * len(bytes(done.similarity_map.cells)))
    job = stories.rerun(done)
    jobs.run_job(job.pk)
    saved = SimilarityMap.objects.get(story=done)
    assert max(bytes(saved.cells)) > 0
    done.delete()
    assert not SimilarityMap.objects.exists()


# ---------------------------------------------------------------------------------------------------- The PNG


def test_the_png_is_the_saved_map_in_an_indexed_palette(client, owner, done):
    client.force_login(owner)
    response = client.get(reverse("story_similarity_png", args=[done.code]))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    png = read_png(response.content)
    saved = done.similarity_map
    assert (png["width"], png["height"]) == (saved.cols, saved.rows)
    assert (png["depth"], png["colour"], png["interlace"]) == (8, 3, 0)
    assert png["pixels"] == bytes(saved.cells) and png["end"]
    assert png["palette"] == PALETTE and len(PALETTE) == 256 * 3


def test_the_palette_runs_from_white_to_dark_in_one_hue():
    colours = [tuple(PALETTE[i : i + 3]) for i in range(0, len(PALETTE), 3)]
    assert colours[0] == (255, 255, 255)
    assert max(colours[255]) < 60
    brightness = [sum(c) for c in colours]
    assert brightness == sorted(brightness, reverse=True) and len(set(brightness)) > 200


def test_reloading_the_png_costs_a_304_until_the_story_runs_again(client, owner, done):
    client.force_login(owner)
    url = reverse("story_similarity_png", args=[done.code])
    first = client.get(url)
    etag = first["ETag"]
    assert str(done.latest_job().pk) in etag
    assert "no-cache" in first["Cache-Control"] and "private" in first["Cache-Control"]
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == etag
    jobs.run_job(stories.rerun(done).pk)
    after = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert after.status_code == 200 and after["ETag"] != etag
    assert read_png(after.content)["pixels"] == bytes(SimilarityMap.objects.get(story=done).cells)


def test_there_is_no_png_while_the_story_runs_or_for_a_story_processed_before_maps(client, owner, done, built):
    client.force_login(owner)
    stories.rerun(done)  # queued, not run
    assert client.get(reverse("story_similarity_png", args=[done.code])).status_code == 404
    assert client.get(reverse("story_similarity_png", args=[built.code])).status_code == 404


# ---------------------------------------------------------------------------------------------------- The section


def test_the_story_page_loads_the_map_after_itself(client, owner, done):
    client.force_login(owner)
    html = client.get(done.get_absolute_url()).content.decode()
    section = re.search(r'<section id="similarity-map"[^>]*>', html)[0]
    assert f'hx-get="{reverse("story_similarity_map", args=[done.code])}"' in section
    assert 'hx-trigger="load, alignment-changed from:body, story-state-changed from:body"' in section
    assert "<svg" not in html.split('id="similarity-map"')[1].split("</section>")[0]


def test_the_loaded_section_does_not_load_itself_again(client, owner, done):
    client.force_login(owner)
    html = fragment(client, done).content.decode()
    assert 'hx-trigger="alignment-changed from:body, story-state-changed from:body"' in html
    assert "load" not in re.search(r'hx-trigger="([^"]*)"', html)[1]


def test_the_section_draws_the_picture_the_path_and_the_axes(client, owner, done):
    client.force_login(owner)
    html = fragment(client, done).content.decode()
    n, m = done.stats["en_sentences"], done.stats["ru_sentences"]
    assert f'href="{reverse("story_similarity_png", args=[done.code])}"' in html
    assert f'viewBox="0 0 {m} {n}"' in html
    assert "<details class=\"simmap\" open>" in html
    assert "English sentences" in html and "Russian sentences" in html
    assert 'aria-label="Similarity map of' in html and 'aria-describedby="simmap-desc"' in html
    # The line starts at the top left and passes through the far corner of every pair.
    pairs = list(done.pairs.order_by("order").prefetch_related("sentences"))
    corners, end = [(0, 0)], {"en": 0, "ru": 0}
    for pair in pairs:
        for s in pair.sentences.all():
            end[s.language] = max(end[s.language], s.index + 1)
        corners.append((end["ru"], end["en"]))
    assert path_points(html) == corners and corners[-1] == (m, n)
    assert ends(html, "en") == [y for _, y in corners[1:]] and ends(html, "ru") == [x for x, _ in corners[1:]]


def test_divergent_pairs_are_boxed_in_their_rows_kind(client, owner, built):
    client.force_login(owner)
    html = fragment(client, built).content.decode()
    marks = re.findall(r'<rect class="simmap__mark kind-(\w+)" x="([-\d.]+)" y="([-\d.]+)" width="([\d.]+)" '
                       r'height="([\d.]+)" data-pair="(\d+)"><title>Pair \d+: ([^<]+)</title>', html)
    assert [(kind, pair, label) for kind, *_, pair, label in marks] == [
        ("number", "2", "Number"), ("only_en", "3", "Only in English"), ("boilerplate", "4", "Boilerplate"),
        ("meaning", "5", "Meaning"),  # the most severe of its two, as its row shows
    ]
    page = client.get(built.get_absolute_url()).content.decode()
    for kind, *_, pair, _ in marks:
        assert re.search(rf'<tr class="pair pair--flagged kind-{kind}[^"]*" id="pair-{pair}">', page)
    boxes = {pair: tuple(float(v) for v in box) for _, *box, pair, _ in marks}
    assert boxes["2"] == (1, 1, 1, 1)
    assert boxes["3"] == (1.5, 2, 1, 1)  # no Russian sentence: a band across where it would be
    assert boxes["4"] == (2, 2.5, 1, 1)
    assert boxes["5"] == (3, 3, 1, 2)
    assert path_points(html) == [(0, 0), (1, 1), (2, 2), (2, 3), (3, 3), (4, 5)]
    assert ends(html, "en") == [1, 2, 3, 3, 5] and ends(html, "ru") == [1, 2, 2, 3, 4]
    # Each kind in the legend, with its number of pairs.
    for label in ("Number 1", "Only in English 1", "Boilerplate 1", "Meaning 1"):
        assert f"</span>{label}</span>" in html
    assert "Name" not in html.split('class="simmap__legend"')[1]


def test_a_story_processed_before_maps_gets_the_alignment_alone_with_a_note(client, owner, built):
    client.force_login(owner)
    html = fragment(client, built).content.decode()
    assert "<image" not in html and "simmap__path" in html
    assert "processed before Sverka drew similarity maps" in html


def test_the_section_follows_corrections(client, owner, built):
    client.force_login(owner)
    review.merge(built, owner, Pair.objects.get(story=built, order=0).pk)
    html = fragment(client, built).content.decode()
    assert ends(html, "en") == [2, 3, 3, 5] and ends(html, "ru") == [2, 2, 3, 4]
    assert path_points(html)[1] == (2, 2)


def test_the_section_is_empty_while_the_story_has_no_results(client, owner, done):
    client.force_login(owner)
    stories.rerun(done)
    html = fragment(client, done).content.decode()
    assert 'id="similarity-map"' in html and "<details" not in html and "<svg" not in html
    page = client.get(done.get_absolute_url()).content.decode()
    assert "load, " not in re.search(r'<section id="similarity-map"[^>]*>', page)[0]


def test_without_htmx_the_section_sends_you_to_the_story(client, owner, done):
    client.force_login(owner)
    response = client.get(reverse("story_similarity_map", args=[done.code]))
    assert response.status_code == 302 and response["Location"] == done.get_absolute_url()


# ---------------------------------------------------------------------------------------------------- Long stories


@pytest.mark.parametrize("count, cells", [(500, 500), (1500, 500)])
def test_a_long_story_stays_readable(client, owner, count, cells):
    story = build_story(owner, many_pairs(count))
    add_map(story, count, count)
    client.force_login(owner)
    png = read_png(client.get(reverse("story_similarity_png", args=[story.code])).content)
    assert png["width"] == png["height"] == cells  # at most 600 a side, one sentence a cell while that fits
    html = fragment(client, story).content.decode()
    plot = re.search(r'<svg class="simmap__plot" x="[\d.]+" y="[\d.]+" width="([\d.]+)" height="([\d.]+)"', html)
    assert float(plot[1]) == float(plot[2]) == PLOT_MAX
    assert "<details class=\"simmap\">" in html  # closed until asked for
    # A line short enough to draw: at most a corner per pixel, wherever the pairs are denser.
    assert len(path_points(html)) <= min(count, 2 * PLOT_MAX) + 2
    ticks = [int(t) for t in re.findall(r'simmap__tick--ru"[^>]*>(\d+)<', html)]
    assert ticks[0] == 1 and ticks[-1] <= count and 5 <= len(ticks) <= 20
    # Zooming in doubles the plot and numbers more sentences.
    zoomed = fragment(client, story, zoom=2).content.decode()
    assert f'width="{2 * PLOT_MAX:.1f}"' in zoomed and 'data-zoom="2" aria-pressed="true"' in zoomed
    assert len(re.findall(r"simmap__tick--ru", zoomed)) > len(ticks)
    assert f'hx-get="{reverse("story_similarity_map", args=[story.code])}?zoom=2"' in zoomed.split(">")[0]


def test_a_short_story_needs_no_zoom(client, owner, done):
    client.force_login(owner)
    assert "data-zoom" not in fragment(client, done).content.decode()


# ---------------------------------------------------------------------------------------------------- To a pair


def test_a_pair_leads_to_the_page_of_rows_that_holds_it(client, owner):
    story = build_story(owner, many_pairs(PAIRS_PER_PAGE + 50))
    client.force_login(owner)
    url = story.get_absolute_url()
    assert client.get(reverse("story_pair", args=[story.code, 7]))["Location"] == f"{url}#pair-7"
    number = PAIRS_PER_PAGE + 40
    response = client.get(reverse("story_pair", args=[story.code, number]), follow=True)
    assert response.redirect_chain == [(f"{url}?page=2#pair-{number}", 302)]
    assert f'id="pair-{number}"' in response.content.decode()
    assert client.get(reverse("story_pair", args=[story.code, PAIRS_PER_PAGE + 51])).status_code == 404
    assert client.get(reverse("story_pair", args=[story.code, 0])).status_code == 404


# ---------------------------------------------------------------------------------------------------- Who may


def pair_url(story):
    return reverse("story_pair", args=[story.code, 1])


@pytest.mark.parametrize("route", [*ROUTES, "story_pair"])
def test_another_user_gets_404(client, other_user, done, route):
    client.force_login(other_user)
    url = pair_url(done) if route == "story_pair" else reverse(route, args=[done.code])
    assert client.get(url, HTTP_HX_REQUEST="true").status_code == 404


@pytest.mark.parametrize("route", [*ROUTES, "story_pair"])
def test_an_anonymous_visitor_is_sent_to_log_in(client, done, route):
    url = pair_url(done) if route == "story_pair" else reverse(route, args=[done.code])
    response = client.get(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("route", [*ROUTES, "story_pair"])
def test_the_owner_gets_each(client, owner, done, route):
    client.force_login(owner)
    url = pair_url(done) if route == "story_pair" else reverse(route, args=[done.code])
    assert client.get(url, HTTP_HX_REQUEST="true").status_code == (302 if route == "story_pair" else 200)
