"""The web side of a story's life: create it, queue a job for it, run it again, delete it. The pages, the API
and the admin call these; the worker side (running a job) is alignment.jobs.

A job reaches the broker only once the transaction that saved it commits (alignment.tasks.enqueue).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction

from alignment import audit, tasks
from alignment.ingest.batch import content, fingerprint
from alignment.models import AuditAction, AuditEntry, Document, Job, Language, Story


@dataclass(frozen=True)
class SideInput:
    text: str
    source_url: str = ""
    file_name: str = ""
    encoding: str = ""
    # What a fetched page said of itself.
    page_title: str = ""
    author: str = ""
    published: date | None = None
    # A page or a .docx as it came, which the story's job reads (alignment.reading); ``text`` is "" meanwhile.
    raw: bytes | None = None

    @property
    def content(self) -> str:
        return content(self.text, self.raw)


def create_story(owner, title: str, en: SideInput, ru: SideInput, via: str = "", published: date | None = None,
                 outlet: str = "") -> Story:
    """Save the story and its two documents, and queue its first job once the transaction commits. ``via``
    names the way in for the audit log ("page", "api", "import")."""
    with transaction.atomic():
        story = Story.objects.create(
            owner=owner, title=title.strip()[:300], published=published or en.published or ru.published,
            outlet=outlet.strip()[:200], fingerprint=fingerprint(en.content, ru.content),
        )
        for language, side in ((Language.EN, en), (Language.RU, ru)):
            Document.objects.create(
                story=story, language=language, text=side.text, raw=side.raw, source_url=side.source_url,
                file_name=side.file_name[:255], encoding=side.encoding, page_title=side.page_title[:500],
                author=side.author[:300], published=side.published,
            )
        queue_job(story)
        audit.record(AuditAction.CREATE, story, owner, via, **_sizes(en, "en"), **_sizes(ru, "ru"))
    return story


def _sizes(side: SideInput, lang: str) -> dict:
    """For the audit log: a side's characters, or its file's bytes while a worker has yet to read it."""
    return {f"{lang}_chars": len(side.text)} if side.raw is None else {f"{lang}_file_bytes": len(side.raw)}


def queue_job(story: Story) -> Job:
    """A new queued job for the story, sent to the broker after the surrounding transaction commits."""
    job = Job.objects.create(story=story)
    transaction.on_commit(lambda: tasks.enqueue(job.pk))
    return job


def rerun(story: Story) -> Job:
    with transaction.atomic():
        return queue_job(story)


def delete_story(story: Story, user, via: str) -> AuditEntry:
    """Delete the story with every row of it (its documents, sentences, pairs, divergences, jobs, edits and
    similarity map all cascade from it) and record what went in the audit log, all or nothing. Nothing of a
    story is kept outside the database."""
    with transaction.atomic():
        # After a run that is saving its results for the story: its new rows are then deleted with the rest.
        story.lock()
        total, by_model = story.delete()  # clears story.pk; its code, title and owner stay for the entry
        deleted = {label.split(".")[-1].lower(): n for label, n in sorted(by_model.items()) if n}
        return audit.record(AuditAction.DELETE, story, user, via, deleted=deleted, rows=total)
