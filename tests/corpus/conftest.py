"""Helpers for the corpus tests: a collection, and small story pairs to import."""

import io
import zipfile

import pytest

from alignment.models import Collection

EN = ["The council approved the budget on Monday.", "The vote was seven to two.",
      "Officials said the money would go to schools."]
RU = ["Совет утвердил бюджет в понедельник.", "Голосование прошло со счетом семь к двум.",
      "Чиновники заявили, что деньги пойдут на школы."]


def pair(k: int) -> tuple[str, str]:
    """A small story pair of its own (its texts differ from every other k's)."""
    return (" ".join(EN) + f" It was meeting number {k}.", " ".join(RU) + f" Это было заседание номер {k}.")


def zip_of(files: dict[str, str | bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content.encode("utf-8") if isinstance(content, str) else content)
    return buffer.getvalue()


@pytest.fixture
def collection(owner):
    return Collection.objects.create(owner=owner, name="Meduza, December", outlet="Meduza")
