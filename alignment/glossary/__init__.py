"""Names glossaries: a user's, and a collection's, pairs of English and Russian spellings of a name, which every run
of their stories hands to the name check (alignment.pipeline.diverge.listed), and whose changes are re-checked over
the stories they concern without aligning them again.

entries   a glossary (its Scope), its entries made alike, and the pairs a run of a story is given
files     the entries as CSV and TBX, out and in
changes   after a change: the story at hand re-checked at once, the others queued for a worker
rechecks  the worker's side: the stories that name a changed entry, re-checked one by one with their progress
tasks     the thin Celery task, and how it reaches the broker

The re-check of one story is alignment.review.rechecking's.
"""
