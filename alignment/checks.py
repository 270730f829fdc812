"""System checks: warn at start-up when a model Sverka can use is missing. Importing this module registers them."""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.core.checks import Warning, register

from alignment.pipeline.embed import ST_PREFIX
from alignment.pipeline.translate import DIRECTIONS, arrow, available_directions


@register()
def check_translation_packages(app_configs, **kwargs):
    installed = available_directions(Path(settings.SVERKA_ARGOS_DIR))
    return [
        Warning(
            f"Translation {arrow(*direction)} is not installed: Sverka will align by multilingual embeddings alone.",
            hint="Install with `python manage.py install_models`.",
            obj=str(settings.SVERKA_ARGOS_DIR),
            id="sverka.W001",
        )
        for direction in DIRECTIONS
        if direction not in installed
    ]


@register()
def check_embedder_path(app_configs, **kwargs):
    name = settings.SVERKA_EMBEDDER.strip()
    if not name.startswith(ST_PREFIX):
        return []
    model = name[len(ST_PREFIX):].strip()
    if not _looks_like_path(model) or Path(model).expanduser().exists():
        return []
    return [
        Warning(
            f"SVERKA_EMBEDDER names the sentence-transformers model folder {model}, which does not exist: "
            "every alignment will fail.",
            hint="Save a model there with `python manage.py install_models --sentence-transformers NAME`, "
            "or correct SVERKA_EMBEDDER.",
            id="sverka.W002",
        )
    ]


def _looks_like_path(model: str) -> bool:
    # A Hugging Face name is "name" or "owner/name"; anything absolute, relative to here or home, or deeper
    # than one slash can only be a folder.
    return os.path.isabs(model) or model.startswith((".", "~")) or model.count("/") > 1 or "\\" in model
