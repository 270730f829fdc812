"""The names glossary pages. The same views serve a user's own glossary (/glossary/...) and a collection's
(/collections/<code>/glossary/...), told apart by ``code``: its list with the form to add a name, a name's page to
change it, deleting, importing and exporting, and the progress of the re-check a change sets off. And a story's
"Add to glossary", from one of its name divergences, which re-checks that story at once."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from alignment.exports import Export, filename
from alignment.glossary import changes, entries, files
from alignment.glossary.entries import Scope
from alignment.glossary.rechecks import stalled
from alignment.models import Divergence, DivergenceKind, GlossaryRecheck, Story
from alignment.pipeline.mentions.glossary import headword
from alignment.web.access import get_collection_for_user, get_story_for_user, page_or_fragment
from alignment.web.exports import download
from alignment.web.glossary_forms import EntryForm, ImportForm


def _scope(request, code=None) -> Scope:
    return Scope(request.user, get_collection_for_user(request, code) if code else None)


def _news(change: changes.Change, names: str = "it") -> str:
    """What a change set off, for the message after it."""
    said = f" This story was re-checked: {change.here}." if change.here is not None else ""
    if change.queued:
        said += f" The glossary's stories that name {names} are being re-checked: their pages follow in a moment."
    return said


@login_required
def glossary(request, code=None):
    scope = _scope(request, code)
    form = EntryForm(request.POST or None, scopes={"": scope})
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            entry = entries.save(scope, form.spelled)
            change = changes.changed(scope, [entry.as_pair()], request.user)
        messages.success(request, f"Added {entry}." + _news(change))
        return redirect(scope.url("glossary"))
    latest = GlossaryRecheck.objects.filter(owner=request.user, collection=scope.collection).first()
    return render(request, "glossary/glossary.html", {
        "scope": scope, "form": form, "import_form": ImportForm(), "recheck": latest,
        "stalled": latest is not None and stalled(latest),
        "rows": [(e, scope.url("glossary_entry", e.code), scope.url("glossary_entry_delete", e.code))
                 for e in scope.entries],
    })


@login_required
def glossary_entry(request, entry, code=None):
    scope = _scope(request, code)
    entry = get_object_or_404(scope.entries, code=entry)
    before = entry.as_pair()
    form = EntryForm(request.POST or None, scopes={"": scope}, entry=entry, initial={
        "en": entry.en, "ru": entry.ru, "en_variants": "; ".join(entry.en_variants),
        "ru_variants": "; ".join(entry.ru_variants), "note": entry.note,
    })
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            entries.save(scope, form.spelled, entry)
            change = changes.changed(scope, [before, entry.as_pair()], request.user)
        messages.success(request, f"Saved {entry}." + _news(change))
        return redirect(scope.url("glossary"))
    return render(request, "glossary/entry.html", {"scope": scope, "form": form, "entry": entry,
                                                   "back": scope.url("glossary")})


@login_required
@require_POST
def glossary_entry_delete(request, entry, code=None):
    scope = _scope(request, code)
    entry = get_object_or_404(scope.entries, code=entry)
    with transaction.atomic():
        pair, name = entry.as_pair(), str(entry)
        entry.delete()
        change = changes.changed(scope, [pair], request.user)
    messages.success(request, f"Deleted {name}." + _news(change))
    return redirect(scope.url("glossary"))


@login_required
@require_POST
def glossary_import(request, code=None):
    scope = _scope(request, code)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(scope.url("glossary"))
    upload = form.cleaned_data["file"]
    try:
        found = files.read(upload.read(), upload.name)
    except files.GlossaryFileError as exc:
        messages.error(request, str(exc))
        return redirect(scope.url("glossary"))
    with transaction.atomic():
        added, updated, pairs = entries.merge(scope, found.entries)
        change = changes.changed(scope, pairs, request.user) if pairs else None
    said = f"Imported {added} new name{'' if added == 1 else 's'}" + (f", {updated} updated" if updated else "")
    if found.problems:
        said += f"; left out {len(found.problems)}: " + " ".join(found.problems[:10])
    messages.success(request, said.rstrip(".") + "." + (_news(change, "them") if change else ""))
    return redirect(scope.url("glossary"))


@login_required
def glossary_export(request, fmt, code=None):
    scope = _scope(request, code)
    if fmt not in _EXPORTS:
        raise Http404("No such format.")
    content_type, build = _EXPORTS[fmt]
    name = f"glossary {scope.collection.name}" if scope.collection else "glossary"
    suffix = f".{fmt}"
    return download(Export(build(scope), content_type, filename(name, suffix, fallback="glossary"),
                           filename(name, suffix, allow_unicode=False, fallback="glossary")))


_EXPORTS = {
    "csv": ("text/csv; charset=utf-8", lambda scope: files.export_csv(scope.entries)),
    "tbx": ("application/x-tbx+xml", lambda scope: files.export_tbx(scope.entries, scope.title)),
}


@login_required
@require_POST
def glossary_recheck(request, code=None):
    """Re-check every processed story of the glossary, for a re-check that stopped or was never sent."""
    scope = _scope(request, code)
    with transaction.atomic():
        change = changes.changed(scope, [], request.user)
    messages.success(request, "Re-checking the glossary's stories." if change.queued else "No story to re-check.")
    return redirect(scope.url("glossary"))


@login_required
def glossary_recheck_progress(request, recheck):
    """A re-check's progress: a fragment that polls itself until the re-check ends (for htmx), or a page."""
    recheck = get_object_or_404(GlossaryRecheck.objects.select_related("collection"), code=recheck,
                                owner=request.user)
    scope = Scope(request.user, recheck.collection)
    context = {"scope": scope, "recheck": recheck, "stalled": stalled(recheck)}
    return page_or_fragment(request, "glossary/recheck.html", "glossary/_recheck.html", context)


@login_required
def story_glossary(request, code):
    """Add a name of one of the story's name divergences (``divergence``) to a glossary, and re-check the story."""
    story = get_story_for_user(request, code)
    divergence = _name_divergence(story, request.POST.get("divergence") or request.GET.get("divergence"))
    scopes = {"": Scope(request.user)} | {
        str(c.code): Scope(request.user, c) for c in story.collections.filter(owner=request.user).order_by("name")
    }
    form = EntryForm(request.POST or None, scopes=scopes, initial=_suggested(story, divergence))
    back = f"{story.get_absolute_url()}#pair-{divergence.pair.order + 1}"
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            entry = entries.save(form.scope, form.spelled)
            change = changes.changed(form.scope, [entry.as_pair()], request.user, story)
        messages.success(request, f"Added {entry} to {form.scope.called}." + _news(change))
        return redirect(back)
    return render(request, "glossary/entry.html", {"form": form, "story": story, "divergence": divergence,
                                                   "back": back})


def _name_divergence(story: Story, pk) -> Divergence:
    if not str(pk or "").isdigit():
        raise Http404("No such divergence.")
    return get_object_or_404(Divergence.objects.select_related("pair"), pk=int(pk), pair__story=story,
                             kind=DivergenceKind.NAME)


def _suggested(story: Story, divergence: Divergence) -> dict:
    """The form's first guess: the names the divergence points at, the Russian in its dictionary form."""
    texts = {d.language: d.text for d in story.documents.all()}
    en = [texts["en"][a:b] for a, b in divergence.en_spans]
    ru = [texts["ru"][a:b] for a, b in divergence.ru_spans]
    return {"en": en[0] if en else "", "ru": headword(ru[0]) if ru else ""}

