"""The translator the settings ask for, built once per process, and what the pages say about it."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from alignment.pipeline.translate import DIRECTIONS, ArgosTranslator, arrow, translation_packages


@dataclass(frozen=True)
class TranslationStatus:
    enabled: bool  # SVERKA_TRANSLATE is on
    missing: tuple[str, ...]  # directions not installed, as "en→ru"
    installed: tuple[str, ...] = ()  # the packages serving our directions, as "en→ru 1.9"

    @property
    def ready(self) -> bool:
        return self.enabled and not self.missing

    @property
    def label(self) -> str:
        """What a story records as its translator; "" when not ready. New package versions give a new label,
        so a re-run after an upgrade translates every sentence again."""
        return f"argos {', '.join(self.installed)}" if self.ready else ""

    @property
    def why_not(self) -> str:
        """Why stories are not translated, for a person; "" when they are."""
        if not self.enabled:
            return "Translation is switched off (SVERKA_TRANSLATE=0)."
        if self.missing:
            return f"No Argos Translate package is installed for {', '.join(self.missing)}."
        return ""


def status() -> TranslationStatus:
    packages = translation_packages(Path(settings.SVERKA_ARGOS_DIR))
    return TranslationStatus(
        enabled=settings.SVERKA_TRANSLATE,
        missing=tuple(arrow(*d) for d in DIRECTIONS if d not in packages),
        installed=tuple(f"{arrow(*d)} {packages[d].version}" for d in DIRECTIONS if d in packages),
    )


def translator(state: TranslationStatus | None = None) -> ArgosTranslator | None:
    """The translator for new jobs, or None when translation is off or a direction is missing. Pass the
    ``status()`` already at hand to save looking at the packages twice."""
    if not (state or status()).ready:
        return None
    return _translator(
        str(settings.SVERKA_ARGOS_DIR), settings.SVERKA_TRANSLATE_THREADS, settings.SVERKA_TRANSLATE_BEAM_SIZE
    )


@functools.lru_cache(maxsize=4)
def _translator(packages_dir: str, threads: int, beam_size: int) -> ArgosTranslator:
    # The models themselves load on first use, once per process (alignment.pipeline.translate).
    return ArgosTranslator(Path(packages_dir), inter_threads=threads, intra_threads=1, beam_size=beam_size)
