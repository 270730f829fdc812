"""The translator the settings ask for, built once per process, and what the pages say about it."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from alignment.pipeline.translate import DIRECTIONS, ArgosTranslator, arrow, available_directions


@dataclass(frozen=True)
class TranslationStatus:
    enabled: bool  # SVERKA_TRANSLATE is on
    missing: tuple[str, ...]  # directions not installed, as "en→ru"

    @property
    def ready(self) -> bool:
        return self.enabled and not self.missing

    @property
    def why_not(self) -> str:
        """Why stories are not translated, for a person; "" when they are."""
        if not self.enabled:
            return "Translation is switched off (SVERKA_TRANSLATE=0)."
        if self.missing:
            return f"No Argos Translate package is installed for {', '.join(self.missing)}."
        return ""


def status() -> TranslationStatus:
    installed = available_directions(Path(settings.SVERKA_ARGOS_DIR))
    return TranslationStatus(
        enabled=settings.SVERKA_TRANSLATE,
        missing=tuple(arrow(*d) for d in DIRECTIONS if d not in installed),
    )


def translator() -> ArgosTranslator | None:
    """The translator for new jobs, or None when translation is off or a direction is missing."""
    if not status().ready:
        return None
    return _translator(
        str(settings.SVERKA_ARGOS_DIR), settings.SVERKA_TRANSLATE_THREADS, settings.SVERKA_TRANSLATE_BEAM_SIZE
    )


@functools.lru_cache(maxsize=4)
def _translator(packages_dir: str, threads: int, beam_size: int) -> ArgosTranslator:
    # The models themselves load on first use, once per process (alignment.pipeline.translate).
    return ArgosTranslator(Path(packages_dir), inter_threads=threads, intra_threads=1, beam_size=beam_size)
