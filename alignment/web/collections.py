"""Collections: the list (with a new one), a collection's page (its stories, imports, progress, and the ways to
its report, search and exports), its settings, a batch import into it, and an import's page with its progress."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from alignment.corpus import imports
from alignment.ingest.batch import read_manifest, read_zip
from alignment.ingest.errors import IngestError, format_size
from alignment.models import Collection, ImportBatch, Job, Story
from alignment.ops.limits import BatchUploadHandler
from alignment.web.access import get_collection_for_user, get_story_for_user, page_or_fragment
from alignment.web.story import kind_counts

STORIES_PER_PAGE = 50
MANIFESTS = (".csv", ".tsv", ".txt")


class CollectionForm(forms.ModelForm):
    class Meta:
        model = Collection
        fields = ["name", "description", "outlet"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"outlet": "Optional: the outlet whose stories these are, e.g. Meduza."}

    def __init__(self, *args, owner, **kwargs):
        super().__init__(*args, **kwargs)
        self.owner = owner

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        taken = Collection.objects.filter(owner=self.owner, name=name).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError("You have a collection of that name already.")
        return name


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Zip of file pairs, or a manifest",
        help_text=("A zip of NAME.en.txt with NAME.ru.txt pairs (or .md, .html, .docx), or a CSV or TSV manifest "
                   "with the columns title, en, ru and optionally published and outlet."),
        widget=forms.FileInput(attrs={"accept": ".zip,.csv,.tsv,.txt"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.SVERKA_BATCH_MAX_UPLOAD_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                f"{upload.name} is {format_size(upload.size)}; a batch may be at most {format_size(limit)}. "
                "Split it into smaller batches.")
        name = upload.name.lower()
        if not name.endswith((".zip",) + MANIFESTS):
            raise forms.ValidationError(f"{upload.name} is neither a .zip of file pairs nor a .csv or .tsv manifest.")
        data = upload.read()
        try:
            if name.endswith(".zip"):
                self.batch, self.source = read_zip(upload.name, data, settings.SVERKA_MAX_UPLOAD_BYTES), "zip"
            else:
                self.batch = read_manifest(upload.name, data, None, settings.SVERKA_MAX_UPLOAD_BYTES)
                self.source = "manifest"
        except IngestError as exc:
            raise forms.ValidationError(str(exc)) from None
        if not self.batch.items and not self.batch.errors:
            raise forms.ValidationError(f"{upload.name} holds no story pairs.")
        return upload


@login_required
def collection_list(request):
    form = CollectionForm(request.POST or None, owner=request.user)
    if request.method == "POST" and form.is_valid():
        collection = form.save(commit=False)
        collection.owner = request.user
        collection.save()
        messages.success(request, f"Collection “{collection.name}” made. Add stories to it with an import.")
        return redirect(collection)
    collections = request.user.collections.order_by("name")
    rows = [(c, imports.collection_progress(c)) for c in collections]
    return render(request, "collections/collection_list.html", {"rows": rows, "form": form})


@login_required
def collection_detail(request, code):
    collection = get_collection_for_user(request, code)
    chosen = collection.stories.with_latest_job().order_by("-published", "-created")
    page = Paginator(chosen, STORIES_PER_PAGE).get_page(request.GET.get("page"))
    jobs = Job.objects.in_bulk([s.latest_job_id for s in page if s.latest_job_id])
    context = {
        "collection": collection,
        "page": page,
        "rows": [(s, jobs.get(s.latest_job_id), kind_counts(s.stats)) for s in page],
        "progress": imports.collection_progress(collection),
        "batches": collection.imports.all()[:20],
        "form": CollectionForm(instance=collection, owner=request.user),
    }
    return page_or_fragment(request, "collections/collection_detail.html", "collections/_progress.html", context)


@login_required
@require_POST
def collection_edit(request, code):
    collection = get_collection_for_user(request, code)
    form = CollectionForm(request.POST, instance=collection, owner=request.user)
    if form.is_valid():
        form.save()
        messages.success(request, "Collection saved.")
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(collection)


@login_required
@require_POST
def collection_delete(request, code):
    collection = get_collection_for_user(request, code)
    name = collection.name
    collection.delete()  # its stories stay: they may belong to other collections, and they are the owner's
    messages.success(request, f"Collection “{name}” deleted. Its stories are still in My stories.")
    return redirect("collections")


@login_required
@require_POST
def story_collections(request, code):
    """Add the story to one of the owner's collections, or take it out of one."""
    story = get_story_for_user(request, code)
    collection = get_collection_for_user(request, request.POST.get("collection", ""))
    if request.POST.get("action") == "remove":
        collection.stories.remove(story)
        messages.success(request, f"Taken out of “{collection.name}”.")
    else:
        collection.stories.add(story)
        messages.success(request, f"Added to “{collection.name}”.")
    return redirect(story)


@csrf_exempt  # the upload handler must be chosen before the CSRF check reads the body: checked just below
@login_required
def collection_import(request, code):
    request.upload_handlers = [BatchUploadHandler(request)]
    return _collection_import(request, code)


@csrf_protect
def _collection_import(request, code):
    collection = get_collection_for_user(request, code)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        record = imports.start_import(collection, request.user, form.batch, form.source,
                                      form.cleaned_data["file"].name)
        return redirect(record)
    return render(request, "collections/import_form.html", {"collection": collection, "form": form})


@login_required
def import_detail(request, code):
    record = get_object_or_404(ImportBatch.objects.select_related("collection"), code=code, owner=request.user)
    progress = imports.progress(record.items.all())
    items = record.items.select_related("story").order_by("row")
    latest = dict(Story.objects.filter(import_items__batch=record).with_latest_job()
                  .values_list("pk", "latest_status"))
    rows = [(item, latest.get(item.story_id) or "") for item in items]
    context = {"batch": record, "progress": progress, "rows": rows}
    return page_or_fragment(request, "collections/import_detail.html", "collections/_import_progress.html", context)
