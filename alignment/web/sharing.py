"""Sharing a story: its owner's page to make, list and revoke read-only links; what a link shows to anyone who
holds it, without logging in (the aligned pairs around the divergences it shares, and the same as a page to print);
and the owner's own printable "what one edition omits".

A link that does not work (tampered with, made up, revoked, expired) is a 404 like any other, and says nothing of
the story. What a link shows goes through alignment.evidence, which hands on nothing but what is to be seen; the
pages have no forms, no scripts and no address that needs a login.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from alignment import evidence, sharing
from alignment.models import ShareLink, ShareScope, Story
from alignment.results import StoryResults, load_results
from alignment.web.access import get_story_for_user
from alignment.web.exports import NOT_DONE
from alignment.web.rows import pair_row

DAY_LABELS = {1: "1 day", 7: "7 days", 30: "30 days", 90: "90 days"}
SHARED_TEMPLATES = {"view": "sharing/shared.html", "print": "sharing/evidence.html"}


class ShareForm(forms.Form):
    scope = forms.ChoiceField(choices=ShareScope.choices, initial=ShareScope.CONFIRMED, widget=forms.RadioSelect,
                              label="Show")
    divergences = forms.TypedMultipleChoiceField(coerce=int, required=False)
    days = forms.TypedChoiceField(coerce=int, initial=7, label="Works for",
                                  choices=[(days, DAY_LABELS[days]) for days in sharing.EXPIRY_DAYS])
    notes = forms.BooleanField(required=False, label="Show my notes and categories")
    label = forms.CharField(max_length=100, required=False, label="Who it is for")

    def __init__(self, *args, divergence_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["divergences"].choices = [(pk, pk) for pk in divergence_ids]


def _divergence_choices(results: StoryResults) -> list[dict]:
    """Each divergence of the story, in the order of its pairs, as the form lists it."""
    return [
        {"pk": d.pk, "pair": pair.number, "kind": d.kind, "label": d.kind_label, "reason": d.reason,
         "verdict": d.verdict, "verdict_label": d.verdict_label, "en": pair.en_text, "ru": pair.ru_text}
        for pair in results.pairs for d in pair.by_severity
    ]


def _shared_url(request, link: ShareLink) -> str:
    return request.build_absolute_uri(reverse("shared", args=[sharing.token_for(link)]))


@login_required
@require_http_methods(["GET", "POST"])
def story_share(request, code):
    """The owner's links to the story: a form for a new one, and each one made, with its address while it works."""
    story = get_story_for_user(request, code)
    results = load_results(story) if story.results_ready() else None
    choices = _divergence_choices(results) if results else []
    form = ShareForm(request.POST or None, divergence_ids=[c["pk"] for c in choices])
    if request.method == "POST" and results is not None and form.is_valid():
        data = form.cleaned_data
        try:
            link = sharing.create_link(story, request.user, data["scope"], data["days"], data["divergences"],
                                       data["notes"], data["label"])
        except sharing.SharingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Made a new link. Copy its address below; it works until you revoke it, or "
                                      f"for {DAY_LABELS[data['days']]}.")
            return redirect(reverse("story_share", args=[story.code]) + f"#link-{link.code}")
    links = story.share_links.annotate(chosen=Count("divergences"))
    chosen = {str(pk) for pk in form["divergences"].value() or ()}
    return render(request, "sharing/share.html", {
        "story": story, "form": form, "ready": results is not None, "choices": choices, "chosen": chosen,
        "links": [(link, _shared_url(request, link) if link.state == "working" else "") for link in links],
    }, status=400 if form.errors else 200)


@login_required
@require_POST
def share_revoke(request, code, link):
    story = get_story_for_user(request, code)
    found = get_object_or_404(ShareLink, code=link, story=story)
    if sharing.revoke(found, request.user):
        messages.success(request, "Revoked: the link now leads nowhere.")
    return redirect("story_share", code=story.code)


def _evidence_context(story: Story, results: StoryResults | None, shown: set[int], notes: bool,
                      file_names: bool) -> dict:
    found = evidence.excerpts(results, shown, notes) if results else []
    parts, after = [], 0  # each excerpt's rows, and the pairs left out before it (first, last), if any
    for excerpt in found:
        skipped = (after + 1, excerpt.first - 1) if excerpt.first > after + 1 else None
        parts.append({"rows": [pair_row(pair, glosses=True) for pair in excerpt.pairs], "skipped": skipped})
        after = excerpt.last
    total = len(results.pairs) if results else 0
    return {
        "story": story,
        "ready": results is not None,
        "parts": parts,
        "tail": (after + 1, total) if parts and after < total else None,
        "shown": sum(len(excerpt.divergences) for excerpt in found),
        "omissions": evidence.omissions(found),
        "sources": evidence.sources(story, file_names),
        "checksum_rule": evidence.CHECKSUM_RULE,
        "check_command": evidence.CHECK_COMMAND,
    }


def _unlisted(response: HttpResponse) -> HttpResponse:
    """A shared page: sent to no other site as a referrer, indexed by no search engine, kept in no cache (a
    revoked link must stop at once)."""
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    add_never_cache_headers(response)
    return response


def _shared_page(request, token: str, page: str) -> HttpResponse:
    """A working link's page (``page`` names it in the audit log), its opening recorded. Anything else is a 404,
    recorded nowhere: it names no link. While the story is being processed again the page shows none of it."""
    link = sharing.find_link(token)
    if link is None:
        raise Http404("No such link.")
    sharing.record_opening(link, request.user, page)
    results = load_results(link.story) if link.story.results_ready() else None
    shown = sharing.shown_divergences(link, results) if results else set()
    context = _evidence_context(link.story, results, shown, link.notes, file_names=False)
    context.update(link=link, print_url=reverse("shared_print", args=[token]), back_url=reverse("shared", args=[token]))
    return _unlisted(render(request, SHARED_TEMPLATES[page], context))


@require_GET
def shared(request, token):
    """What a link shows: the pairs around its divergences, read-only."""
    return _shared_page(request, token, "view")


@require_GET
def shared_print(request, token):
    """The link's evidence on a page to print."""
    return _shared_page(request, token, "print")


@login_required
def story_evidence(request, code):
    """The owner's printable "what one edition omits": every confirmed divergence, with notes and file names."""
    story = get_story_for_user(request, code)
    if not story.results_ready():
        return HttpResponse(NOT_DONE, status=409, content_type="text/plain; charset=utf-8")
    results = load_results(story)
    context = _evidence_context(story, results, sharing.confirmed(results), notes=True, file_names=True)
    context["back_url"] = story.get_absolute_url()
    return render(request, "sharing/evidence.html", context)
