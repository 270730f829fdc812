"""The review on the story page: corrections of the alignment and their undo, and the verdicts on divergences and
on whole passages. Each answers htmx with what changed, and a plain form post by going back to the story."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from django_htmx.http import reswap, retarget, trigger_client_event

from alignment import review
from alignment.models import DivergenceCategory, Edit, Language, Pair, Story
from alignment.results import load_results
from alignment.web.access import get_story_for_user
from alignment.web.filters import chosen_filter, pages_loaded, show_glosses
from alignment.web.rows import Block, as_blocks, story_passages, table_rows
from alignment.web.story import story_context


@login_required
@require_POST
def story_correct(request, code):
    """One correction of the alignment, named by ``op``: merge, split, split-after:LANG:INDEX,
    move-previous:LANG:INDEX, move-next:LANG:INDEX or detach:LANG:INDEX, on the pair ``pair``."""
    story = get_story_for_user(request, code)
    try:
        edit = _correct(story, request.user, request.POST.get("op", ""), request.POST.get("pair", ""))
    except review.ReviewError as exc:
        return _refused(request, story, str(exc))
    return _changed(request, story, edit, undo=edit)


def _correct(story: Story, user, op: str, pair: str):
    name, _, sentence = op.partition(":")
    if name == "merge":
        return review.merge(story, user, pair)
    if name == "split":
        return review.split(story, user, pair)
    if name not in ("split-after", "move-previous", "move-next", "detach"):
        raise review.ReviewError(f"There is no correction called “{op}”.")
    lang, _, index = sentence.partition(":")
    if lang not in Language.values or not index.isdigit():
        raise review.ReviewError("Choose a sentence of the pair for this correction.")
    if name == "split-after":
        return review.split(story, user, pair, after=(lang, int(index)))
    if name == "detach":
        return review.detach(story, user, pair, lang, int(index))
    return review.move(story, user, pair, lang, int(index), name.removeprefix("move-"))


@login_required
@require_POST
def story_undo(request, code):
    """Undo the story's latest correction; ``edit`` names the one the page offered to undo."""
    story = get_story_for_user(request, code)
    try:
        edit = review.undo(story, request.user, request.POST.get("edit") or None)
    except review.ReviewError as exc:
        return _refused(request, story, str(exc))
    return _changed(request, story, edit)


def _changed(request, story: Story, edit, undo=None):
    """After a correction or an undo: for htmx, the table again (as many pages, the same filter) and a notice
    with an Undo button; the first pair changed keeps the focus. Without JavaScript, back to the story."""
    pair = f"pair-{edit.payload['start'] + 1}"
    if not request.htmx:
        messages.success(request, edit.summary + ".")
        return redirect(f"{story.get_absolute_url()}?filter={chosen_filter(request)}#{pair}")
    context = {**story_context(request, story), "notice": edit.summary + ".", "undo": undo}
    response = render(request, "stories/_changed.html", context)
    trigger_client_event(response, "alignment-changed", {"focus": pair}, after="swap")
    return response


def _refused(request, story: Story, message: str):
    """A change that cannot be made: the reason, in the notice (for htmx, as 422, which app.js lets through)
    or as a message on the story page."""
    if not request.htmx:
        messages.error(request, message)
        return redirect(f"{story.get_absolute_url()}?filter={chosen_filter(request)}")
    response = render(request, "stories/_notice.html", {"story": story, "notice": message, "error": True},
                      status=422)
    return reswap(retarget(response, "#notice"), "innerHTML")


@login_required
@require_POST
def story_verdict(request, code):
    """Confirm or dismiss a divergence (or take the verdict back), with a category and a note. For htmx: its
    row again, and the "review-changed" event that the progress and the history follow."""
    story = get_story_for_user(request, code)
    divergence = request.POST.get("divergence", "")
    try:
        if not divergence.isdigit():
            raise review.ReviewError("Choose a divergence to review.")
        edit = review.review_divergence(
            story, request.user, int(divergence), request.POST.get("verdict", ""),
            request.POST.get("category", ""), request.POST.get("note", ""),
        )
    except review.ReviewError as exc:
        return _refused(request, story, str(exc))
    return _reviewed(request, story, edit, Pair.objects.get(divergences=edit.payload["divergence"]).pk)


@login_required
@require_POST
def story_passage_verdict(request, code):
    """One verdict, category and note for a whole passage (``pairs``: its pair ids, in order, comma-separated):
    every divergence of its pairs at once, one change in the history. For htmx: its block again, and the
    "review-changed" event."""
    story = get_story_for_user(request, code)
    pairs = request.POST.get("pairs", "").split(",")
    try:
        if not all(pk.isdigit() for pk in pairs):
            raise review.ReviewError("Choose a passage to review.")
        edit = review.review_passage(
            story, request.user, [int(pk) for pk in pairs], request.POST.get("verdict", ""),
            request.POST.get("category", ""), request.POST.get("note", ""),
        )
    except review.ReviewError as exc:
        return _refused(request, story, str(exc))
    return _reviewed(request, story, edit, edit.payload["passage"][0])


@login_required
@require_POST
def story_lock(request, code):
    """Lock a pair (``locked=1``) or unlock it (``locked=0``): a later run keeps a locked pair as it is. For htmx:
    its row again, and the "review-changed" event that the history follows."""
    story = get_story_for_user(request, code)
    pair = request.POST.get("pair", "")
    try:
        if not pair.isdigit():
            raise review.ReviewError("Choose a pair to lock.")
        edit = review.set_locked(story, request.user, int(pair), request.POST.get("locked", "1") != "0")
    except review.ReviewError as exc:
        return _refused(request, story, str(exc))
    return _reviewed(request, story, edit, int(pair))


def _reviewed(request, story: Story, edit: Edit, pair_id: int):
    """After a verdict: for htmx, the row (or the passage's block) of pair ``pair_id`` again, as the table shows
    it, and the "review-changed" event that the progress and the history follow. Without JavaScript, back to it."""
    if not request.htmx:
        messages.success(request, edit.summary + ".")
        return redirect(f"{story.get_absolute_url()}?filter={chosen_filter(request)}#pair-{edit.payload['pair']}")
    results = load_results(story)
    passages = story_passages(story, results)
    ids = next((p.pairs for p in passages if pair_id in p.pairs), (pair_id,))
    pairs = [pair for pair in results.pairs if pair.pk in ids]
    row = as_blocks(table_rows(pairs, results, show_glosses(request)), passages)[0]
    template = "stories/_passage_row.html" if isinstance(row, Block) else "stories/_pair_row.html"
    response = render(request, template, {
        "story": story,
        "row": row,
        "filter": chosen_filter(request),
        "here": urlencode({"filter": chosen_filter(request), "pages": pages_loaded(request)}),
        "categories": DivergenceCategory.choices,
    })
    trigger_client_event(response, "review-changed", {})
    return response
