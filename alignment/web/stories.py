"""My stories (the list, with search) and the upload page that adds one."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import redirect, render

from alignment import samples, stories
from alignment.models import Divergence, Job, Story, Verdict
from alignment.web.access import get_story_for_user, page_or_fragment
from alignment.web.forms import UploadForm
from alignment.web.story import kind_counts

STORIES_PER_PAGE = 50


# ---------------------------------------------------------------------------------------------------- My stories


@dataclass(frozen=True)
class StoryRow:
    story: Story
    job: Job | None
    kinds: list[tuple[str, str, int]]


@login_required
def story_list(request):
    query = request.GET.get("q", "").strip()
    reviewed = (
        Divergence.objects.filter(pair__story=OuterRef("pk")).exclude(verdict=Verdict.PENDING)
        .order_by().values("pair__story").annotate(n=Count("pk")).values("n")
    )
    owned = request.user.stories.with_latest_job().annotate(reviewed=Coalesce(Subquery(reviewed), 0))
    if query:
        owned = owned.filter(title__icontains=query)
    collections = list(request.user.collections.order_by("name"))
    chosen = next((c for c in collections if str(c.code) == request.GET.get("collection", "")), None)
    if chosen is not None:
        owned = owned.filter(collections=chosen)
    page = Paginator(owned.order_by("-created"), STORIES_PER_PAGE).get_page(request.GET.get("page"))
    # One query for the jobs of the whole page, however many stories it shows.
    jobs = Job.objects.in_bulk([s.latest_job_id for s in page if s.latest_job_id])
    rows = [StoryRow(s, jobs.get(s.latest_job_id), kind_counts(s.stats)) for s in page]
    context = {
        "rows": rows,
        "page": page,
        "query": query,
        "collections": collections,
        "collection": chosen,
        "has_any": bool(rows) or request.user.stories.exists(),
    }
    return page_or_fragment(request, "stories/story_list.html", "stories/_story_results.html", context)


# ---------------------------------------------------------------------------------------------------- Upload


@login_required
def upload(request):
    sample = None
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES, owner=request.user)
        if form.is_valid():
            en, ru = form.sides()
            story = stories.create_story(request.user, form.cleaned_data["title"], en, ru, via="page")
            form.forget_kept_files()
            messages.success(request, "Story saved. Sverka is comparing the two versions now.")
            return redirect(story)
    elif request.GET.get("from"):
        form = UploadForm(initial=_start_from(get_story_for_user(request, request.GET["from"])))
    elif request.GET.get("sample"):
        sample = samples.sample_story()
        form = UploadForm(initial={"title": sample.title, "en_text": sample.en, "ru_text": sample.ru})
    else:
        form = UploadForm()
    if form.is_bound:  # and not valid: shown again, with the files a worker would have read kept
        form.keep_files()
    return render(request, "stories/upload.html", {"form": form, "sample": sample})


def _start_from(story: Story) -> dict:
    """The upload form filled in from a story whose file could not be read: its title, and each side's text
    that was read (with its file's name and source URL), so that only the unreadable file is chosen again."""
    initial = {"title": story.title}
    for doc in story.documents.all():
        initial[f"{doc.language}_url"] = doc.source_url
        if doc.raw is None and doc.text:
            initial.update({f"{doc.language}_text": doc.text, f"{doc.language}_file_name": doc.file_name,
                            f"{doc.language}_encoding": doc.encoding})
    return initial
