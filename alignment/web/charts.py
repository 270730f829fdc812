"""Charts drawn on the server as SVG: no script, no request to anyone else's server, allowed by the Content
Security Policy (no inline style: colours come from static/css/charts.css through classes), and sharp in print.

One kind of chart serves every figure of the collection report: horizontal bars, one row per label and one bar
per series in each row, every bar labelled with its value, so that no reader needs colour to read it. The series
differ by fill: solid, hatched and dotted, which a black-and-white printer keeps. Each chart is an image to
assistive technology (role="img", with a <title> and an aria-label), and the page puts a table with the same
numbers beside it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

WIDTH = 600
LABEL_WIDTH = 150  # the row labels, on the left
VALUE_WIDTH = 60  # room for the value after the longest bar
BAR = 16
BAR_GAP = 2  # between the bars of one row
ROW_GAP = 10
LEGEND = 24  # height of the legend above the bars, when there is more than one series
FILLS = ("solid", "hatch", "dots")


@dataclass(frozen=True)
class BarChart:
    id: str  # unique on the page: the fills' pattern ids derive from it
    title: str  # what the chart shows, in words: its <title> and aria-label
    labels: tuple[str, ...]  # one per row
    series: tuple[str, ...]  # one name per bar of a row; a single series needs no legend
    values: tuple[tuple[float, ...], ...]  # [row][series]
    shown: tuple[tuple[str, ...], ...]  # the values as the bars' labels say them: "12", "37%"
    row_classes: tuple[str, ...] = ()  # a class per row, for its colour on screen ("kind-name")

    def __post_init__(self):
        if len(self.series) > len(FILLS):
            raise ValueError(f"A chart draws at most {len(FILLS)} series, not {len(self.series)}.")
        if any(len(row) != len(self.series) for row in (*self.values, *self.shown)):
            raise ValueError("Every row needs a value and a label for each series.")
        if not (len(self.labels) == len(self.values) == len(self.shown)):
            raise ValueError("Every row needs a label, values and their labels.")

    @property
    def height(self) -> int:
        return self._top + len(self.labels) * (self._row_height + ROW_GAP)

    @property
    def _row_height(self) -> int:
        return len(self.series) * (BAR + BAR_GAP) - BAR_GAP

    @property
    def _top(self) -> int:
        return LEGEND if len(self.series) > 1 else 0

    def svg(self) -> SafeString:
        # The longest bar is the largest value: the bars compare with one another, the labels give the values.
        scale = (WIDTH - LABEL_WIDTH - VALUE_WIDTH) / (max((v for row in self.values for v in row), default=0) or 1)
        body = [self._defs(), self._legend()]
        y = self._top
        for i, (label, values, shown) in enumerate(zip(self.labels, self.values, self.shown)):
            row_class = self.row_classes[i] if i < len(self.row_classes) else ""
            body.append(format_html(
                '<g class="chart__row {}"><text class="chart__label" x="{}" y="{}">{}</text>',
                row_class, LABEL_WIDTH - 8, y + self._row_height / 2 + 4, _short(label),
            ))
            for s, (value, text) in enumerate(zip(values, shown)):
                length = max(0.0, value) * scale
                body.append(format_html(
                    '<rect class="chart__bar chart__bar--{}" x="{}" y="{}" width="{}" height="{}" fill="{}"/>'
                    '<text class="chart__value" x="{}" y="{}">{}</text>',
                    FILLS[s], LABEL_WIDTH, y, f"{length:.1f}", BAR, self._fill(s),
                    f"{LABEL_WIDTH + length + 5:.1f}", y + BAR - 4, text,
                ))
                y += BAR + BAR_GAP
            body.append(mark_safe("</g>"))
            y += ROW_GAP - BAR_GAP
        return format_html(
            '<svg class="chart" id="{}" role="img" aria-label="{}" viewBox="0 0 {} {}" width="{}" height="{}" '
            'xmlns="http://www.w3.org/2000/svg"><title>{}</title>{}</svg>',
            self.id, self.title, WIDTH, self.height, WIDTH, self.height, self.title, mark_safe("".join(body)),
        )

    def _fill(self, series: int) -> str:
        return "currentColor" if FILLS[series] == "solid" else f"url(#{self.id}-{FILLS[series]})"

    def _defs(self) -> SafeString:
        # Pattern contents take their colour from the <svg>, whose CSS colour is the chart's ink.
        return format_html(
            '<defs><pattern id="{}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
            'patternTransform="rotate(45)"><rect class="chart__paper" width="6" height="6"/>'
            '<line x1="0" y1="0" x2="0" y2="6" stroke="currentColor" stroke-width="3"/></pattern>'
            '<pattern id="{}-dots" width="5" height="5" patternUnits="userSpaceOnUse">'
            '<rect class="chart__paper" width="5" height="5"/><circle cx="2.5" cy="2.5" r="1.3" fill="currentColor"/>'
            "</pattern></defs>",
            self.id, self.id,
        )

    def _legend(self) -> SafeString:
        if len(self.series) < 2:
            return mark_safe("")
        x, items = LABEL_WIDTH, []
        for s, name in enumerate(self.series):
            items.append((FILLS[s], x, self._fill(s), x + 18, name))
            x += 18 + 8 * len(name) + 24
        return format_html_join(
            "", '<g class="chart__key"><rect class="chart__bar chart__bar--{}" x="{}" y="2" width="14" height="14" '
            'fill="{}"/><text class="chart__value" x="{}" y="14">{}</text></g>', items,
        )


def _short(label: str, limit: int = 22) -> str:
    """A row label that fits its column; the table beside the chart has it whole."""
    return label if len(label) <= limit else label[: limit - 1] + "…"


def bar_chart(id: str, title: str, rows: Sequence[tuple[str, Sequence[float], Sequence[str]]],
              series: Sequence[str] = ("",), row_classes: Sequence[str] = ()) -> BarChart:
    """A chart from (label, values, their labels) rows."""
    return BarChart(
        id=id, title=title, labels=tuple(label for label, _, _ in rows), series=tuple(series),
        values=tuple(tuple(float(v) for v in values) for _, values, _ in rows),
        shown=tuple(tuple(str(t) for t in shown) for _, _, shown in rows),
        row_classes=tuple(row_classes),
    )
