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
