"""Helpers for the corpus tests: a collection, and small story pairs to import."""

import io
import zipfile

import pytest

from alignment.models import Collection

TOWNS = ["Tver", "Kazan", "Omsk", "Perm", "Samara", "Tula", "Kursk", "Oryol", "Vologda", "Pskov"]
GOROD = ["Твери", "Казани", "Омске", "Перми", "Самаре", "Туле", "Курске", "Орле", "Вологде", "Пскове"]


def pair(k: int) -> tuple[str, str]:
    """A small story pair of its own: no sentence of it occurs in another k's."""
    n = 10 + k
    en = (f"The council in {TOWNS[k % 10]} approved a budget of {n} million roubles on Monday. "
          f"The vote was {n} to {k % 5}. Officials said school number {n + 100} would get a new roof.")
    ru = (f"Совет в {GOROD[k % 10]} утвердил в понедельник бюджет в {n} миллионов рублей. "
          f"Голосование прошло со счетом {n} к {k % 5}. Чиновники заявили, что школа номер {n + 100} "
          "получит новую крышу.")
    return en, ru


def zip_of(files: dict[str, str | bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content.encode("utf-8") if isinstance(content, str) else content)
    return buffer.getvalue()


@pytest.fixture
def collection(owner):
    return Collection.objects.create(owner=owner, name="Meduza, December", outlet="Meduza")
