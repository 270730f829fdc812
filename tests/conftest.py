import json
from pathlib import Path

import pytest

from tests.needs import need_data

ROOT = Path(__file__).resolve().parent.parent
DEV_DATA = ROOT.parent / "shared" / "data" / "ntrex128_en-ru"


def dev_story(name: str = "abcnews.306755") -> tuple[list[str], list[str], list]:
    """One story of the development set: English lines, Russian lines and the gold beads."""
    folder = need_data(DEV_DATA / name)
    en = (folder / "en.txt").read_text(encoding="utf-8").splitlines()
    ru = (folder / "ru.txt").read_text(encoding="utf-8").splitlines()
    gold = json.loads((folder / "gold.json").read_text(encoding="utf-8"))
    return en, ru, gold


@pytest.fixture
def story():
    return dev_story()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The default hasher spends ~0.3 s per user on purpose; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def owner(django_user_model):
    return django_user_model.objects.create_user("olga", password="pw-olga-123456")


@pytest.fixture
def other_user(django_user_model):
    return django_user_model.objects.create_user("boris", password="pw-boris-123456")


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_superuser("admin", password="pw-admin-123456", email="a@example.org")


@pytest.fixture
def no_broker(monkeypatch):
    """Record what would be sent to the broker instead of sending it."""
    sent = []
    from alignment import tasks

    def fake_enqueue(job_id):
        sent.append(job_id)
        return True

    monkeypatch.setattr(tasks, "enqueue", fake_enqueue)
    return sent


def make_story(owner, name="abcnews.306755", title=None, process=True, en=None, ru=None):
    """A story from the development set (or the given texts), processed synchronously unless told not to."""
    from django.db import transaction

    from alignment import jobs, stories

    if en is None or ru is None:
        en_lines, ru_lines, _ = dev_story(name)
        en, ru = "\n".join(en_lines), "\n".join(ru_lines)
    with transaction.atomic():
        story = stories.create_story(
            owner, title or f"Story {name}", stories.SideInput(text=en), stories.SideInput(text=ru)
        )
    if process:
        jobs.run_job(story.jobs.get().pk)
    story.refresh_from_db()
    return story


@pytest.fixture
def done_story(db, owner, no_broker):
    return make_story(owner)


@pytest.fixture(autouse=True)
def no_translation_models(settings, tmp_path):
    """Tests never see translation models installed on the machine: each starts with an empty Argos folder
    (the tests that want models install them there, or fake the translator)."""
    settings.SVERKA_ARGOS_DIR = tmp_path / "argos"


class CountingTranslator:
    """Stands in for Argos: "translates" a text by prefixing its target language, and keeps every call.
    ``on_call``, if set, runs inside each call, to look at the job while the translate stage runs."""

    name = "counting"

    def __init__(self):
        self.calls: list[tuple[str, str, list[str]]] = []
        self.on_call = None

    def translate(self, texts, source, target):
        self.calls.append((source, target, list(texts)))
        if self.on_call:
            self.on_call()
        return [f"[{target}] {text}" for text in texts]

    @property
    def texts(self) -> list[str]:
        """Every text it was asked to translate, in order."""
        return [text for _, _, texts in self.calls for text in texts]


@pytest.fixture
def fake_translator(monkeypatch):
    """Translation set up and ready, with a CountingTranslator instead of Argos."""
    from alignment import translation

    fake = CountingTranslator()
    ready = translation.TranslationStatus(enabled=True, missing=(), installed=("en→ru 1.0", "ru→en 1.0"))
    monkeypatch.setattr(translation, "status", lambda: ready)
    monkeypatch.setattr(translation, "translator", lambda state=None: fake)
    return fake


@pytest.fixture
def empty_cache():
    """The default cache emptied before and after the test: health answers live there. (Upload counts live in
    the "limits" cache, under keys of their own per user.)"""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
