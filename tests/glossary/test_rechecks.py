"""A glossary's change over its stories: the story at hand re-checked at once, the others queued for a worker once
the change commits, and the worker's run over the stories that name what changed, with its progress."""

from datetime import timedelta

import pytest
from django.utils import timezone

from alignment.glossary import changes, rechecks, tasks
from alignment.glossary.entries import Scope
from alignment.models import EditAction, GlossaryRecheck, JobStatus, RecheckStatus
from alignment.pipeline.types import GlossaryPair
from tests.glossary.conftest import IVAN_REASON, PUTIN_REASON, add, named_rows, names_of
from tests.web.test_views_alignment import build_story, many_pairs

pytestmark = pytest.mark.django_db

IVAN = GlossaryPair(("Ivan the Terrible",), ("Иван Грозный",))


@pytest.fixture
def sent(monkeypatch):
    """The re-checks handed to the broker, which is not asked."""
    handed = []
    monkeypatch.setattr(tasks.recheck_glossary, "apply_async", lambda args, **kw: handed.append(args[0]))
    return handed


@pytest.fixture
def stories(owner):
    """Two stories that name Ivan the Terrible, one that does not, and one still being processed."""
    made = [build_story(owner, named_rows(), title=f"Named {k}") for k in range(2)]
    made.append(build_story(owner, many_pairs(3), title="Nameless"))
    running = build_story(owner, named_rows(), title="Running")
    running.jobs.update(status=JobStatus.RUNNING)
    return made + [running]


def rechecked(story) -> bool:
    return story.edits.filter(action=EditAction.RECHECK).exists()


def test_a_change_re_checks_the_story_at_hand_and_queues_the_others_once_it_commits(
    owner, stories, sent, django_capture_on_commit_callbacks
):
    add(owner, "Ivan the Terrible", "Иван Грозный")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        change = changes.changed(Scope(owner), [IVAN], owner, stories[0])
    assert str(change.here) == "1 name flag gone" and names_of(stories[0]) == [(4, PUTIN_REASON)]
    assert sent == []  # not before the change is saved
    for callback in callbacks:
        callback()
    assert sent == [change.queued.pk]
    assert change.queued.spellings == [[["Ivan the Terrible"], ["Иван Грозный"]]]
    assert not rechecked(stories[1])  # the worker's


def test_with_no_other_processed_story_nothing_is_queued(owner, named, sent):
    assert changes.changed(Scope(owner), [IVAN], owner, named).queued is None
    assert not GlossaryRecheck.objects.exists()


def test_the_worker_re_checks_the_stories_that_name_what_changed_and_counts_them(owner, stories):
    add(owner, "Ivan the Terrible", "Иван Грозный")
    recheck = GlossaryRecheck.objects.create(owner=owner, spellings=[[["Ivan the Terrible"], ["Иван Грозный"]]])
    done = rechecks.run(recheck.pk)
    assert (done.status, done.total, done.done, done.changed) == (RecheckStatus.DONE, 3, 3, 2)
    assert done.finished is not None and done.percent == 100
    assert [rechecked(s) for s in stories] == [True, True, False, False]
    assert names_of(stories[1]) == [(4, PUTIN_REASON)]
    assert names_of(stories[3])[0] == (2, IVAN_REASON)  # still running: its run is given the glossary itself


def test_a_change_of_the_whole_glossary_re_checks_every_story(owner, stories):
    add(owner, "Ivan the Terrible", "Иван Грозный")
    recheck = GlossaryRecheck.objects.create(owner=owner, spellings=[])
    assert rechecks.run(recheck.pk).changed == 2


def test_a_collections_glossary_re_checks_its_stories_only(owner, stories, collection):
    collection.stories.add(stories[1])
    add(owner, "Ivan the Terrible", "Иван Грозный", collection=collection)
    recheck = GlossaryRecheck.objects.create(owner=owner, collection=collection, spellings=[])
    assert (rechecks.run(recheck.pk).total, rechecked(stories[0]), rechecked(stories[1])) == (1, False, True)


def test_a_duplicate_message_does_nothing(owner, stories):
    recheck = GlossaryRecheck.objects.create(owner=owner)
    assert rechecks.run(recheck.pk) is not None
    assert rechecks.run(recheck.pk) is None


def test_the_task_runs_the_re_check(owner, stories):
    add(owner, "Ivan the Terrible", "Иван Грозный")
    recheck = GlossaryRecheck.objects.create(owner=owner, spellings=[[["Ivan the Terrible"], ["Иван Грозный"]]])
    tasks.recheck_glossary(recheck.pk)
    assert GlossaryRecheck.objects.get(pk=recheck.pk).changed == 2


def test_a_re_check_the_broker_cannot_take_fails_saying_so(owner, monkeypatch):
    def down(*args, **kwargs):
        raise ConnectionError("refused")

    monkeypatch.setattr(tasks.recheck_glossary, "apply_async", down)
    recheck = GlossaryRecheck.objects.create(owner=owner)
    assert not tasks.enqueue(recheck.pk)
    recheck.refresh_from_db()
    assert recheck.status == RecheckStatus.FAILED and "could not be reached" in recheck.error


def test_a_re_check_whose_worker_stopped_is_stalled(owner, settings):
    recheck = GlossaryRecheck.objects.create(owner=owner, status=RecheckStatus.RUNNING, heartbeat=timezone.now())
    assert not rechecks.stalled(recheck)
    later = timezone.now() + timedelta(seconds=settings.SVERKA_JOB_STALE_SECONDS + settings.SVERKA_JOB_SOFT_TIME_LIMIT + 1)
    assert rechecks.stalled(recheck, later)
    recheck.status = RecheckStatus.DONE
    assert not rechecks.stalled(recheck, later)
