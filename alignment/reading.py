"""The worker's first stage of a job whose story came as a page or a .docx: read the article out of the file
(ingest.read_upload, with every check an upload gets) and keep it as the document's text. Finding the article in
a page costs up to seconds, so the web request only checks what is cheap (ingest.read_later) and leaves the
rest here. A file that holds no article fails the job with the reason, naming the file."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction

from alignment.ingest import IngestError, read_upload
from alignment.models import Document, Job, JobStatus, Language

log = logging.getLogger(__name__)

NAMES = {Language.EN: "English", Language.RU: "Russian"}


def unread(docs: dict) -> bool:
    """Whether any of a story's documents still holds its file unread."""
    return any(doc.raw is not None for doc in docs.values())


def read_files(docs: dict, job: tuple[int, int]) -> str:
    """Read each document's file into its text and clear the file, under the job's claim (``job`` is
    (id, claim)). Returns "" when done, else the reason the story cannot go on, in words; nothing is saved then,
    so the files stay for another try. Both sides are read, so that one message names every unreadable file."""
    read, problems = {}, []
    for language, doc in docs.items():
        if doc.raw is None:
            continue
        try:
            read[language] = read_upload(doc.file_name or "upload", bytes(doc.raw), settings.SVERKA_MAX_UPLOAD_BYTES)
        except IngestError as exc:
            problems.append(f"The {NAMES[language]} file: {exc.message}")
    if problems:
        return " ".join(problems)
    job_id, claim = job
    with transaction.atomic():
        # Under the claim: a run whose claim lapsed leaves the documents to the run that took over.
        if not Job.objects.select_for_update().filter(pk=job_id, status=JobStatus.RUNNING, attempts=claim).exists():
            log.info("job %s: attempt %s read the files after its claim lapsed; not saved", job_id, claim)
            return ""
        for language, extracted in read.items():
            doc = docs[language]
            doc.text, doc.encoding, doc.file_name, doc.raw = (extracted.text, extracted.encoding,
                                                              extracted.file_name, None)
            Document.objects.filter(pk=doc.pk).update(text=doc.text, encoding=doc.encoding, raw=None)
    return ""
