import pytest

from alignment import stories
from alignment.models import JobStatus

pytestmark = pytest.mark.django_db


def test_create_story_saves_both_documents_and_queues_a_job_after_commit(owner, django_capture_on_commit_callbacks, no_broker):
    with django_capture_on_commit_callbacks(execute=True):
        story = stories.create_story(
            owner, "  Talks  ", stories.SideInput("The talks failed.", source_url="https://example.org/en"),
            stories.SideInput("Переговоры провалились.", file_name="ru.txt", encoding="koi8-r"),
        )
    assert story.title == "Talks"
    docs = {d.language: d for d in story.documents.all()}
    assert docs["en"].source_url == "https://example.org/en"
    assert docs["ru"].encoding == "koi8-r" and docs["ru"].file_name == "ru.txt"
    job = story.jobs.get()
    assert job.status == JobStatus.QUEUED
    assert no_broker == [job.pk]


def test_the_job_reaches_the_broker_only_when_the_transaction_commits(owner, django_capture_on_commit_callbacks, no_broker):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        story = stories.create_story(owner, "T", stories.SideInput("Hello there."), stories.SideInput("Привет всем."))
        assert no_broker == []
    assert no_broker == []
    for callback in callbacks:
        callback()
    assert no_broker == [story.jobs.get().pk]
