"""A collection's report as a page: its numbers, each chart with a table of the same numbers beside it, the
stories that diverge most and the names and numbers one edition leaves out, linked to their stories. The owner
only; anyone else gets a 404. The page needs no JavaScript and prints in black and white."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from alignment.corpus import report as reports
from alignment.models import KIND_LABELS, Collection, Language
from alignment.pipeline.types import NAMES
from alignment.web.access import get_collection_for_user
from alignment.web.cache import cached
from alignment.web.charts import BarChart, bar_chart

LEFT_OUT_LINKS = 5  # stories linked from each name or number; the rest are counted


def report_of(collection: Collection) -> reports.CollectionReport:
    """The collection's report, kept in the pages' cache under a key that changes with anything it counts
    (reports.state): one small query when nothing has changed, instead of the report's six over every story."""
    return cached(
        f"sverka.collection-report.{collection.code}.{reports.state(collection)}",
        lambda: reports.collection_report(collection),
    )


@dataclass(frozen=True)
class Figure:
    """A chart and its text alternative: a table of the same numbers, and more columns where they help."""

    chart: BarChart
    caption: str
    headers: tuple[str, ...]  # the first column's heading, then the others'
    rows: tuple[tuple[str, tuple[str, ...]], ...]  # (row heading, cells)


def percent(share: float) -> str:
    return f"{share:.1%}".replace(".0%", "%")


def _kinds(report: reports.CollectionReport) -> Figure:
    total = report.divergence_total
    return Figure(
        bar_chart(
            "chart-kinds", "Divergences by kind",
            [(k.label, [k.count], [str(k.count)]) for k in report.kinds],
            row_classes=[f"kind-{k.kind}" for k in report.kinds],
        ),
        "Every divergence found, by kind", ("Kind", "Divergences", "Share"),
        tuple((k.label, (str(k.count), percent(k.count / total) if total else "—")) for k in report.kinds),
    )


def _coverage(report: reports.CollectionReport) -> Figure:
    bins = report.coverage[::-1]  # the best covered first, where most stories are
    return Figure(
        bar_chart(
            "chart-coverage", "Stories by the share of their text with a counterpart, English and Russian",
            [(b.label, [b.en, b.ru], [str(b.en), str(b.ru)]) for b in bins],
            series=[NAMES[Language.EN], NAMES[Language.RU]],
        ),
        "Story coverage: stories by the share of each side's text that the other side translates",
        ("Share with a counterpart", "English sides", "Russian sides"),
        tuple((b.label, (str(b.en), str(b.ru))) for b in bins),
    )


def _timeline(report: reports.CollectionReport) -> Figure | None:
    if not report.timeline:
        return None
    unit = report.timeline_unit
    return Figure(
        bar_chart(
            "chart-timeline", f"Divergences per story, by {unit} of publication",
            [(p.label, [p.per_story], [f"{p.per_story:.1f}" if p.stories else "–"]) for p in report.timeline],
        ),
        f"Time line: divergences per story (boilerplate and dismissed ones aside), by {unit} of publication",
        (unit.capitalize(), "Stories", "Divergences", "Per story"),
        tuple(
            (p.label, (str(p.stories), str(p.divergences), f"{p.per_story:.1f}" if p.stories else "–"))
            for p in report.timeline
        ),
    )


def _verdicts(report: reports.CollectionReport) -> Figure | None:
    if not report.reviewed:
        return None
    kinds = [k for k in report.kinds if k.count]
    return Figure(
        bar_chart(
            "chart-verdicts", "Confirmed and dismissed divergences, by kind",
            [(k.label, [k.confirmed, k.dismissed], [str(k.confirmed), str(k.dismissed)]) for k in kinds],
            series=["Confirmed", "Dismissed"],
        ),
        "Verdicts: divergences reviewers confirmed and dismissed, by kind",
        ("Kind", "Confirmed", "Dismissed", "Not reviewed"),
        tuple((k.label, (str(k.confirmed), str(k.dismissed), str(k.pending))) for k in kinds),
    )


@dataclass(frozen=True)
class LeftOutRow:
    item: reports.LeftOut
    kind_label: str
    only_in: str  # the language that has it
    linked: tuple[reports.StoryLine, ...]
    more: int  # stories beyond those linked


def _left_out(report: reports.CollectionReport) -> list[LeftOutRow]:
    return [
        LeftOutRow(
            item, KIND_LABELS.get(item.kind, item.kind), NAMES.get(item.language, item.language),
            item.stories[:LEFT_OUT_LINKS], max(0, len(item.stories) - LEFT_OUT_LINKS),
        )
        for item in report.left_out
    ]


@login_required
def collection_report(request, code):
    collection = get_collection_for_user(request, code)
    report = report_of(collection)
    figures = [_kinds(report), _coverage(report), _timeline(report), _verdicts(report)]
    return render(request, "collections/report.html", {
        "collection": collection,
        "report": report,
        "figures": {f.chart.id.removeprefix("chart-"): f for f in figures if f is not None},
        "en_unpaired": percent(report.en_unpaired_share),
        "ru_unpaired": percent(report.ru_unpaired_share),
        "left_out": _left_out(report),
    })
