"""A collection as one download: its stories as JSON Lines (one story a line, in the command line's JSON), as one
TMX translation memory, and the divergences of all of them as one CSV report.

Each format is a generator of byte chunks over a queryset of stories. The stories are read with ``.iterator()``,
and each one's results are loaded, written out and let go before the next is read: memory holds one story at a time
however large the collection, and the queries are a fixed number per story. The pieces are the story exports' own
(alignment.exports): the same <tu>s, the same report rows, the same JSON.

Only the stories whose latest job is done are exported. The others (waiting, running, failed) leave no trace in
the file, which must stay a clean corpus; ``export`` counts them, for the caller to say how many were left out.

The JSON Lines schema: each line is ``AlignmentResult.to_dict()``, as ``manage.py align --format json`` prints it,
with one key more: ``"story": {"id", "code", "title", "published", "outlet"}``, where ``id`` is the story's
number, ``code`` its UUID as the pages and the API name it, and ``published`` an ISO date or null.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db.models import F, QuerySet
from django.utils import timezone

from alignment import exports
from alignment.models import Collection, JobStatus, Story
from alignment.results import load_results

# Stories are fetched this many at a time; each one's results are read only when it is written out.
STORY_CHUNK = 100
CSV_HEADER = ["story", "story_title", *exports.CSV_HEADER]
# JSON leaves these as they are inside strings, but Python's str.splitlines() (and readers built on it) breaks a
# line at them: escaped, one story stays one line for every reader.
LINE_BREAKS = str.maketrans({c: f"\\u{ord(c):04x}" for c in "\x85\u2028\u2029"})


def ready(stories: QuerySet[Story]) -> QuerySet[Story]:
    """The stories with results to export (their latest job is done): by publication date, undated ones last, then
    in the order they were made."""
    return stories.with_latest_job().filter(latest_status=JobStatus.DONE).order_by(
        F("published").asc(nulls_last=True), "created", "pk",
    )


# ---------------------------------------------------------------------------------------------------- Formats


def jsonl(stories: QuerySet[Story]) -> Iterator[bytes]:
    """One line per story: the command line's JSON, and the story it is."""
    return _per_story(stories, _jsonl_line)


def tmx(stories: QuerySet[Story]) -> Iterator[bytes]:
    """One translation memory: the header once, then every story's units, each with a <prop> naming its story
    (x-sverka-story, its code; x-sverka-story-title) and an id of the story's code and the pair's number."""
    yield exports.tmx_open(timezone.now())
    yield from _per_story(stories, _tmx_units)
    yield exports.TMX_CLOSE


def csv(stories: QuerySet[Story]) -> Iterator[bytes]:
    """The divergence report of every story under one header, each row led by its story's code and title. With a
    byte order mark, as the story's report, so that spreadsheets read the Russian."""
    yield exports.csv_text([CSV_HEADER]).encode("utf-8-sig")
    yield from _per_story(stories, _csv_rows)


def _per_story(stories: QuerySet[Story], write: Callable[[Story], bytes]) -> Iterator[bytes]:
    """Each story written out whole, its rows loaded inside ``write`` and let go when it returns; a story with
    nothing to write (no pairs, or no divergences for the report) yields no chunk."""
    for story in ready(stories).iterator(chunk_size=STORY_CHUNK):
        chunk = write(story)
        if chunk:
            yield chunk


def _jsonl_line(story: Story) -> bytes:
    line = json.dumps({**load_results(story).alignment.to_dict(), "story": story_dict(story)}, ensure_ascii=False)
    return (line.translate(LINE_BREAKS) + "\n").encode("utf-8")


def story_dict(story: Story) -> dict:
    return {
        "id": story.pk,
        "code": str(story.code),
        "title": story.title,
        "published": story.published.isoformat() if story.published else None,
        "outlet": story.outlet,
    }


def _tmx_units(story: Story) -> bytes:
    units = exports.tmx_units(
        load_results(story).pairs,
        props=(("x-sverka-story", str(story.code)), ("x-sverka-story-title", story.title)),
        tuid_prefix=f"{story.code}:",
    )
    return b"".join(exports.tmx_unit(tu) for tu in units)


def _csv_rows(story: Story) -> bytes:
    story_cells = [str(story.code), exports.spreadsheet_safe(story.title)]
    rows = exports.report_cells(exports.load(story))
    return exports.csv_text([*story_cells, *cells] for cells in rows).encode("utf-8")


# ---------------------------------------------------------------------------------------------------- Downloads


@dataclass(frozen=True)
class Format:
    content_type: str
    suffix: str  # after the collection's slug, extension included
    chunks: Callable[[QuerySet[Story]], Iterator[bytes]]


FORMATS = {
    "jsonl": Format("application/jsonl; charset=utf-8", ".jsonl", jsonl),
    "tmx": Format(exports.FORMATS["tmx"].content_type, ".tmx", tmx),
    "csv": Format(exports.FORMATS["csv"].content_type, "-divergences.csv", csv),
}


@dataclass(frozen=True)
class CorpusExport:
    chunks: Iterator[bytes]  # nothing is read until the first is asked for
    content_type: str
    filename: str
    ascii_filename: str  # for clients that cannot read a UTF-8 file name
    stories: int  # how many stories it holds
    skipped: int  # how many of the collection's stories it leaves out, having no results yet (or failed)


def export(collection: Collection, name: str) -> CorpusExport:
    """The collection in one of FORMATS (a KeyError for any other name). The counts are taken now: a story that
    finishes while the file streams may or may not be in it."""
    fmt = FORMATS[name]
    stories = collection.stories.all()
    total, done = stories.count(), ready(stories).count()
    return CorpusExport(
        fmt.chunks(stories), fmt.content_type,
        exports.filename(collection.name, fmt.suffix, fallback="collection"),
        exports.filename(collection.name, fmt.suffix, allow_unicode=False, fallback="collection"),
        stories=done, skipped=total - done,
    )
