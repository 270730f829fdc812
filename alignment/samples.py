"""A sample story to try Sverka with, shipped inside the package (in samples/<docid>/) with its attribution.

The Russian copy was changed on purpose so that the sample shows divergences; attribution.txt says how.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

SAMPLE_DIR = Path(__file__).resolve().parent / "samples" / "upi.176266"


@dataclass(frozen=True)
class Sample:
    title: str
    en: str
    ru: str
    attribution: str  # show it wherever the sample is shown: the licence (CC BY-SA 4.0) requires it


def sample_story() -> Sample:
    en, ru, attribution = (
        (SAMPLE_DIR / name).read_text(encoding="utf-8") for name in ("en.txt", "ru.txt", "attribution.txt")
    )
    return Sample(title=en.partition("\n")[0].strip(), en=en, ru=ru, attribution=attribution.strip())
