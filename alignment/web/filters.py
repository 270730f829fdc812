"""What the alignment table shows, as the request chooses it: a filter, how many pages of rows ("Load more"), and
whether the machine translations show; and the story's pairs that a filter picks."""

from __future__ import annotations

from alignment.models import DivergenceKind, Verdict
from alignment.results import StoredDivergence, StoredPair, StoryResults

# The pairs with a divergence that has this verdict.
VERDICT_FILTERS = {"unreviewed": Verdict.PENDING, "confirmed": Verdict.CONFIRMED, "dismissed": Verdict.DISMISSED}
# What the alignment table can show: every pair, the divergent ones, those with one kind of divergence, or
# those with a divergence of one verdict.
FILTERS = {
    "all": "All pairs", "divergent": "Divergent only", **dict(DivergenceKind.choices),
    "unreviewed": "Not reviewed", "confirmed": "Confirmed", "dismissed": "Dismissed",
}


def chosen_filter(request) -> str:
    value = request.GET.get("filter", "all")
    return value if value in FILTERS else "all"


def pages_loaded(request) -> int:
    """How many pages of rows the table had loaded ("Load more") when a change was made in it."""
    value = request.GET.get("pages", "")
    return min(int(value), 50) if value.isdigit() and int(value) > 0 else 1


def show_glosses(request) -> bool:
    """Whether the machine translations show under the sentences. A ``?gloss=0`` or ``?gloss=1`` link chooses
    (it works without JavaScript), and the session remembers the choice for every page and fragment after."""
    choice = request.GET.get("gloss")
    if choice in ("0", "1"):
        request.session["gloss"] = choice == "1"
    return request.session.get("gloss", True)


def filtered_pairs(results: StoryResults, filter_: str) -> list[StoredPair]:
    """The story's pairs that the filter shows, in order. A passage shows whole or not at all: every pair of it
    when the filter picks any."""
    if filter_ == "all":
        return list(results.pairs)
    picked = {pair.pk for pair in results.pairs if any(_picks(filter_, d) for d in pair.divergences)}
    picked.update(pk for p in results.passages if picked.intersection(p.pairs) for pk in p.pairs)
    return [pair for pair in results.pairs if pair.pk in picked]


def _picks(filter_: str, divergence: StoredDivergence) -> bool:
    """Whether the filter (any but "all") shows the pair of this divergence."""
    if filter_ == "divergent":
        return True
    if filter_ in VERDICT_FILTERS:
        return divergence.verdict == VERDICT_FILTERS[filter_]
    return divergence.kind == filter_
