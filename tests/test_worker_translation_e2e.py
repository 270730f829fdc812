"""A real `celery worker` process translates an uploaded story with installed Argos packages (tiny random ones,
built here: gibberish, but real CTranslate2 models), and the story page shows the translations."""

import io
import re

import pytest
from django.core.management import call_command
from django.utils.html import escape

from alignment import stories
from alignment.models import JobStatus, Sentence
from tests.argos_fixture import tiny_packages  # noqa: F401  (fixture)
from tests.conftest import dev_story
from tests.worker_process import embedded_broker, redis_broker, running_worker, wait_for


@pytest.fixture
def installed_models(tmp_path, settings, monkeypatch, tiny_packages):
    """Both directions installed into a folder that this process and the worker (through its environment)
    share. It is not the worker's default folder (under SVERKA_VAR_DIR), so only the variable can lead it there."""
    folder = tmp_path / "argos-installed"
    settings.SVERKA_ARGOS_DIR = folder
    monkeypatch.setenv("SVERKA_ARGOS_DIR", str(folder))
    monkeypatch.setenv("SVERKA_TRANSLATE", "1")
    for package in tiny_packages.values():
        call_command("install_models", "--from", str(package), stdout=io.StringIO())
    return folder


@pytest.fixture
def worker(request, tmp_path, installed_models):
    """A worker started once the models are installed, so that its environment names their folder."""
    broker = redis_broker() if request.param == "redis" else embedded_broker(tmp_path)
    with running_worker(broker, tmp_path) as proc_and_log:
        yield proc_and_log


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("worker", ["redis", "embedded"], indirect=True)
def test_a_real_worker_translates_the_story_and_the_page_shows_the_translations(client, owner, worker):
    proc, log = worker
    en, ru, _ = dev_story("abcnews.306755")
    story = stories.create_story(
        owner, "Warren", stories.SideInput("\n\n".join(en)), stories.SideInput("\n\n".join(ru))
    )
    job = wait_for(story.jobs.get(), 180, proc, log)
    assert job.status == JobStatus.DONE, job.error
    story.refresh_from_db()
    assert (story.translator, story.translation_skipped) == ("argos en→ru 0.1, ru→en 0.1", "")

    sentences = list(Sentence.objects.filter(document__story=story).order_by("language", "index"))
    assert len(sentences) == len(en) + len(ru)
    assert all(s.translation.strip() and s.translation != s.text for s in sentences)

    client.force_login(owner)
    html = client.get(story.get_absolute_url()).content.decode()
    shown = re.findall(r'<span class="gloss" lang="(\w\w)">([^<]*)</span>', html)
    assert sorted(shown) == sorted(("ru" if s.language == "en" else "en", escape(s.translation)) for s in sentences)
