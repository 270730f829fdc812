import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEV_DATA = ROOT.parent / "shared" / "data" / "ntrex128_en-ru"


def dev_story(name: str = "abcnews.306755") -> tuple[list[str], list[str], list]:
    """One story of the development set: English lines, Russian lines and the gold beads."""
    folder = DEV_DATA / name
    if not folder.is_dir():
        pytest.skip(f"development data not found at {folder}")
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
    from alignment import services

    def fake_enqueue(job_id):
        sent.append(job_id)
        return True

    monkeypatch.setattr(services, "enqueue", fake_enqueue)
    return sent


def make_story(owner, name="abcnews.306755", title=None, process=True, en=None, ru=None):
    """A story from the development set (or the given texts), processed synchronously unless told not to."""
    from django.db import transaction

    from alignment import services

    if en is None or ru is None:
        en_lines, ru_lines, _ = dev_story(name)
        en, ru = "\n".join(en_lines), "\n".join(ru_lines)
    with transaction.atomic():
        story = services.create_story(
            owner, title or f"Story {name}", services.SideInput(text=en), services.SideInput(text=ru)
        )
    if process:
        services.run_job(story.jobs.get().pk)
    story.refresh_from_db()
    return story


@pytest.fixture
def done_story(db, owner, no_broker):
    return make_story(owner)
