"""The similarity map on the story page: the picture as a PNG, the section that draws the alignment and the
divergences over it, and the link from a point of it to its pair's row. The same access rules as the story
page: the owner only; anyone else gets a 404.

The job computed the picture (alignment.pipeline.simmap) and saved it with the results; these views only show
it. The alignment drawn over it is read from the pairs as they are now, corrections included.
"""

from __future__ import annotations

import struct
import zlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control

from alignment.models import DivergenceKind, Language, SimilarityMap, Story
from alignment.results import StoredPair, load_results
from alignment.web.access import get_story_for_user, wants_fragment
from alignment.web.links import pair_numbers
from alignment.web.rows import PAIRS_PER_PAGE

# Open at first for stories up to this many sentences a side; a longer story's map waits to be asked for.
OPEN_UP_TO = 200
# The plot's size in CSS pixels: up to 16 a sentence, at most 720 a side, at least 240; zoom multiplies it.
PIXELS_PER_SENTENCE, PLOT_MAX, PLOT_MIN = 16, 720, 240
ZOOMS = (1, 2, 4)
TICK_SPACING = 9  # pixels at least between two numbered ticks, per digit of the largest number
MARGIN_LEFT, MARGIN_TOP, MARGIN_RIGHT, MARGIN_BOTTOM = 64, 44, 10, 10
PNG_VERSION = 1  # part of the ETag: a new palette must not be served from a cache


def _palette() -> bytes:
    """256 colours from white (no similarity) to a dark slate (the same meaning): one hue, so it reads in
    greyscale and to every kind of colour vision, and the kinds' colours stand out on it. Darkening as the
    power 1.5 keeps the many unrelated pairs of a story (around 0.2) pale and its translations (0.6 and up) dark."""
    dark = (22, 30, 46)
    return bytes(round(255 + (c - 255) * (v / 255) ** 1.5) for v in range(256) for c in dark)


PALETTE = _palette()


def png(width: int, height: int, pixels: bytes, palette: bytes = PALETTE) -> bytes:
    """An 8-bit indexed-colour PNG of ``pixels`` (row-major, one palette index each)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    scanlines = b"".join(b"\x00" + pixels[y * width : (y + 1) * width] for y in range(height))  # filter: none
    return b"".join((
        b"\x89PNG\r\n\x1a\n",
        chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 3, 0, 0, 0)),
        chunk(b"PLTE", palette),
        chunk(b"IDAT", zlib.compress(scanlines, 6)),
        chunk(b"IEND", b""),
    ))


# ---------------------------------------------------------------------------------------------------- The overlay


@dataclass(frozen=True)
class MapPair:
    """A pair as the map draws it: its sentences as half-open ranges (empty ones where the side has none, at
    the place it would be), and the kind of its most severe divergence, which colours its row."""

    number: int  # 1-based, as its row: pair-N
    en: tuple[int, int]
    ru: tuple[int, int]
    kind: str = ""

    @property
    def label(self) -> str:
        return DivergenceKind(self.kind).label if self.kind else ""

    def box(self) -> tuple[float, float, float, float]:
        """x, y, width, height in sentences (x Russian, y English); a side with no sentence gets a band of one
        sentence across its place."""
        (e0, e1), (r0, r1) = self.en, self.ru
        x, w = (r0, r1 - r0) if r1 > r0 else (r0 - 0.5, 1)
        y, h = (e0, e1 - e0) if e1 > e0 else (e0 - 0.5, 1)
        return x, y, w, h


def map_pairs(pairs: Sequence[StoredPair]) -> list[MapPair]:
    """The story's pairs in order, with their sentence ranges and row kinds."""
    out, at = [], {Language.EN: 0, Language.RU: 0}
    for pair in pairs:
        ranges = {}
        for lang, sentences in ((Language.EN, pair.en), (Language.RU, pair.ru)):
            ranges[lang] = (sentences[0].index, sentences[-1].index + 1) if sentences else (at[lang], at[lang])
            at[lang] = ranges[lang][1]
        out.append(MapPair(pair.number, ranges[Language.EN], ranges[Language.RU], pair.kind))
    return out


@dataclass(frozen=True)
class MapLink:
    """A moved passage: the cell where its English and its Russian sentences meet (dark, as a translation's is),
    and a path from each of its two rows' marks to that cell."""

    en: tuple[int, int]  # its English sentences, half-open
    ru: tuple[int, int]
    en_number: int  # the pair of its first English sentence
    ru_number: int
    en_rows_at: float  # where the rows of its English sentences stand across the map (in Russian sentences)
    ru_rows_at: float  # and those of its Russian sentences down it (in English sentences)

    def box(self) -> tuple[float, float, float, float]:
        return self.ru[0], self.en[0], self.ru[1] - self.ru[0], self.en[1] - self.en[0]

    @property
    def path(self) -> str:
        """Across from the English rows to the cell's middle, then up or down to the Russian rows."""
        return (f"M{self.en_rows_at} {(self.en[0] + self.en[1]) / 2}H{(self.ru[0] + self.ru[1]) / 2}"
                f"V{self.ru_rows_at}")


def map_links(pairs: Sequence[StoredPair], drawn: Sequence[MapPair]) -> list[MapLink]:
    """One link per moved passage, read off the rows of its English side (each names its Russian counterpart)."""
    numbers = pair_numbers(pairs)
    english: dict[tuple[int, ...], list[int]] = defaultdict(list)  # Russian counterpart -> its English sentences
    for pair in pairs:
        for d in pair.divergences:
            if d.ru_counterpart and pair.en and not pair.ru:
                english[d.ru_counterpart].extend(s.index for s in pair.en)
    links = []
    for ru, en in english.items():
        en_number, ru_number = numbers.get((Language.EN, min(en))), numbers.get((Language.RU, ru[0]))
        if en_number and ru_number:
            links.append(MapLink(
                (min(en), max(en) + 1), (ru[0], ru[-1] + 1), en_number, ru_number,
                drawn[en_number - 1].ru[0], drawn[ru_number - 1].en[0],
            ))
    return links


def nice_step(minimum: float) -> int:
    """The smallest of 1, 2, 5, 10, 20, 50, ... that is at least ``minimum``."""
    scale = 1
    while True:
        for step in (1, 2, 5):
            if step * scale >= minimum:
                return step * scale
        scale *= 10


@dataclass(frozen=True)
class Tick:
    number: int  # 1-based sentence number
    at: float  # its middle, in pixels from the plot's edge


def ticks(count: int, pixels: float) -> list[Tick]:
    """Numbered ticks along an axis of ``count`` sentences drawn over ``pixels``, far enough apart for their
    numbers not to touch."""
    each = pixels / count
    step = nice_step(TICK_SPACING * (len(str(count)) + 1) / each)
    numbers = list(range(step, count + 1, step))
    if step >= 5 or not numbers:
        numbers.insert(0, 1)
    return [Tick(n, round((n - 0.5) * each, 1)) for n in numbers]


@dataclass(frozen=True)
class Plot:
    """Everything the section draws: sizes in CSS pixels, the plot's inside in sentences."""

    en_count: int
    ru_count: int
    width: float  # of the plot
    height: float
    zoom: int
    pairs: list[MapPair]
    picture: SimilarityMap | None
    links: list[MapLink] = field(default_factory=list)  # moved passages

    left, top = MARGIN_LEFT, MARGIN_TOP

    @property
    def outer_width(self) -> float:
        return MARGIN_LEFT + self.width + MARGIN_RIGHT

    @property
    def outer_height(self) -> float:
        return MARGIN_TOP + self.height + MARGIN_BOTTOM

    @property
    def en_ticks(self) -> list[Tick]:
        return ticks(self.en_count, self.height)

    @property
    def ru_ticks(self) -> list[Tick]:
        return ticks(self.ru_count, self.width)

    @property
    def picture_size(self) -> tuple[int, int]:
        """The picture's extent in sentences: its last blocks may reach past the last sentence."""
        return self.picture.cols * self.picture.ru_block, self.picture.rows * self.picture.en_block

    @cached_property
    def path(self) -> str:
        """The alignment as one line through the corners of the pairs, from the top left to the bottom right.
        Corners within half a pixel of the last one drawn are left out, so that a long story's line stays short."""
        sx, sy = self.width / self.ru_count, self.height / self.en_count
        points, last = ["M0 0"], (0, 0)
        for i, pair in enumerate(self.pairs):
            corner = (pair.ru[1], pair.en[1])
            near = abs(corner[0] - last[0]) * sx < 0.5 and abs(corner[1] - last[1]) * sy < 0.5
            if not near or i == len(self.pairs) - 1:
                points.append(f"L{corner[0]} {corner[1]}")
                last = corner
        return "".join(points)

    @cached_property
    def marks(self) -> list[tuple[MapPair, tuple[float, float, float, float]]]:
        return [(pair, pair.box()) for pair in self.pairs if pair.kind]

    @cached_property
    def kind_counts(self) -> list[tuple[str, str, int]]:
        """(kind, label, pairs) for each kind that colours a pair, in the order of DivergenceKind."""
        counts = defaultdict(int)
        for pair in self.pairs:
            counts[pair.kind] += 1
        return [(kind, label, counts[kind]) for kind, label in DivergenceKind.choices if counts[kind]]

    @cached_property
    def en_ends(self) -> str:
        """Where each pair's English sentences end, for app.js to find the pair of a point."""
        return " ".join(str(pair.en[1]) for pair in self.pairs)

    @cached_property
    def ru_ends(self) -> str:
        return " ".join(str(pair.ru[1]) for pair in self.pairs)

    @property
    def zooms(self) -> list[int]:
        """The zooms worth offering: none when a sentence already gets its full size."""
        if self.width / self.zoom >= self.ru_count * PIXELS_PER_SENTENCE and (
            self.height / self.zoom >= self.en_count * PIXELS_PER_SENTENCE
        ):
            return []
        return list(ZOOMS)


def plot(story: Story, zoom: int = 1) -> Plot:
    pairs = load_results(story).pairs
    found = map_pairs(pairs)
    en_count, ru_count = (max(1, found[-1].en[1]), max(1, found[-1].ru[1])) if found else (1, 1)
    each = min(PIXELS_PER_SENTENCE, PLOT_MAX / max(en_count, ru_count))
    picture = SimilarityMap.objects.filter(story=story).defer("cells").first()
    return Plot(
        en_count=en_count, ru_count=ru_count, zoom=zoom, pairs=found, picture=picture, links=map_links(pairs, found),
        width=round(max(PLOT_MIN, ru_count * each) * zoom, 1), height=round(max(PLOT_MIN, en_count * each) * zoom, 1),
    )


# ---------------------------------------------------------------------------------------------------- The views


def _done_job(story: Story):
    job = story.latest_job()
    return job if story.results_ready(job) else None


def _zoom(request) -> int:
    value = request.GET.get("zoom", "")
    return int(value) if value.isdigit() and int(value) in ZOOMS else 1


@login_required
def story_similarity_map(request, code):
    """The "Similarity map" section, which the story page loads after itself and again after every change to
    the alignment. Empty while the story has no results. Only for htmx: a plain request goes to the story."""
    story = get_story_for_user(request, code)
    if not wants_fragment(request):
        return redirect(story)
    job = _done_job(story)
    zoom = _zoom(request)
    context = {"story": story, "loaded": True, "zoom": zoom, "job": job}
    if job:
        found = plot(story, zoom)
        context.update(plot=found, open=max(found.en_count, found.ru_count) <= OPEN_UP_TO or "zoom" in request.GET)
    return render(request, "stories/_similarity_map.html", context)


@login_required
def story_similarity_png(request, code):
    """The picture itself. Its ETag names the job that made it, so reloading the page costs a 304."""
    story = get_story_for_user(request, code)
    job = _done_job(story)
    if job is None:
        raise Http404("This story has no similarity map yet.")
    etag = f'"simmap-{PNG_VERSION}-{job.pk}"'
    response = get_conditional_response(request, etag=etag)
    if response is None:
        picture = SimilarityMap.objects.filter(story=story).first()
        if picture is None:
            raise Http404("This story was processed before Sverka drew similarity maps.")
        response = HttpResponse(png(picture.cols, picture.rows, bytes(picture.cells)), content_type="image/png")
    response["ETag"] = etag
    # Private: the picture is the owner's. Asked again each time, answered by the ETag.
    patch_cache_control(response, private=True, no_cache=True)
    return response


@login_required
def story_pair(request, code, number):
    """Pair ``number``'s row on the story page: the page of rows that holds it, scrolled to it. A point on the
    map leads here when its row is not loaded yet."""
    story = get_story_for_user(request, code)
    if not story.pairs.filter(order=number - 1).exists():
        raise Http404(f"The story has no pair {number}.")
    page = (number - 1) // PAIRS_PER_PAGE + 1
    query = f"?page={page}" if page > 1 else ""
    return redirect(f"{reverse('story', args=[story.code])}{query}#pair-{number}")
