"""python manage.py install_models [--from PATH ...] [--list] [--sentence-transformers NAME]

Installs the models Sverka can use offline afterwards.

With no option: the en→ru and ru→en Argos Translate packages, from the Argos package index (needs the
network). ``--from`` installs .argosmodel files already on this machine instead (a file, or a folder of them;
repeatable). ``--list`` shows what is installed and what is missing. ``--sentence-transformers NAME`` saves a
sentence-transformers model (a Hugging Face name, or a local folder) under SVERKA_MODELS_DIR and prints the
SVERKA_EMBEDDER line that uses it.

Argos packages go to SVERKA_ARGOS_DIR, which the translator reads; argostranslate's own folder is not used.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import urllib.request
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from alignment.pipeline import PipelineError
from alignment.pipeline.embed import ST_PREFIX
from alignment.pipeline.translate import DIRECTIONS, arrow, install_package, translation_packages, version_key

# The index is fetched here rather than by argostranslate.package.update_package_index(): that has no timeout and
# swallows its errors, and get_available_packages() then retries it without end when no index was ever saved.
INDEX_TIMEOUT = 30  # seconds


class Command(BaseCommand):
    help = "Install the Argos Translate packages (en→ru, ru→en) and other models for offline use."
    # The checks warn that models are missing: this command is how they stop being missing.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--from", dest="sources", action="append", default=[], metavar="PATH",
            help="install a local .argosmodel file, or every .argosmodel file in a folder (repeatable)",
        )
        parser.add_argument(
            "--list", dest="show_list", action="store_true", help="list the installed and the missing packages"
        )
        parser.add_argument(
            "--sentence-transformers", dest="sentence_transformer", metavar="NAME",
            help="save this sentence-transformers model (a Hugging Face name or a local folder) for offline use",
        )

    def handle(self, *args, sources, show_list, sentence_transformer, **opts):
        packages_dir = Path(settings.SVERKA_ARGOS_DIR)
        if sources:
            for archive in self._archives(sources):
                self._install(archive, packages_dir)
        if sentence_transformer:
            self._save_sentence_transformer(sentence_transformer, Path(settings.SVERKA_MODELS_DIR))
        if not (sources or sentence_transformer or show_list):
            self._install_from_index(packages_dir)
        if show_list:
            self._list(packages_dir)
        elif sources or not sentence_transformer:
            missing = [d for d in DIRECTIONS if d not in translation_packages(packages_dir)]
            if missing:
                self.stdout.write(f"Still missing: {', '.join(arrow(*d) for d in missing)}.")

    def _archives(self, sources: list[str]) -> list[Path]:
        archives = []
        for source in sources:
            path = Path(source).expanduser()
            if path.is_dir():
                found = sorted(path.glob("*.argosmodel"))
                if not found:
                    raise CommandError(f"No .argosmodel files in {path}.")
                archives.extend(found)
            elif path.is_file():
                archives.append(path)
            else:
                raise CommandError(f"Not found: {path}")
        return archives

    def _install(self, archive: Path, packages_dir: Path) -> None:
        try:
            package = install_package(archive, packages_dir)
        except PipelineError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"Installed {arrow(*package.direction)} {package.version} from {archive} into {package.path}")

    def _install_from_index(self, packages_dir: Path) -> None:
        # Imported here: argostranslate creates its folders under the home folder as it is imported.
        from argostranslate import package as argos_package
        from argostranslate import settings as argos_settings

        url = argos_settings.remote_package_index
        try:
            with urllib.request.urlopen(url, timeout=INDEX_TIMEOUT) as response:
                index = json.load(response)
        except OSError as exc:  # URLError, timeouts and refused connections are all OSErrors
            raise CommandError(_offline_message(f"Could not reach the Argos package index at {url} ({exc}).")) from exc
        except ValueError as exc:
            raise CommandError(f"The Argos package index at {url} is not valid JSON: {exc}") from exc

        available = [argos_package.AvailablePackage(m) for m in index if isinstance(m, dict)]
        installed = translation_packages(packages_dir)
        for source, target in DIRECTIONS:
            candidates = [
                p for p in available if p.type == "translate" and (p.from_code, p.to_code) == (source, target)
            ]
            if not candidates:
                raise CommandError(f"The Argos package index at {url} has no {arrow(source, target)} package.")
            best = max(candidates, key=lambda p: version_key(p.package_version))
            current = installed.get((source, target))
            if current is not None and current.version == best.package_version:
                self.stdout.write(f"{arrow(source, target)} {current.version} is already installed.")
                continue
            self.stdout.write(f"Downloading {arrow(source, target)} {best.package_version} ...")
            try:
                download = best.download()
            except Exception as exc:  # argostranslate raises a bare Exception when every link fails
                raise CommandError(_offline_message(f"Could not download {arrow(source, target)} ({exc}).")) from exc
            try:
                self._install(download, packages_dir)
            finally:
                download.unlink(missing_ok=True)

    def _list(self, packages_dir: Path) -> None:
        installed = translation_packages(packages_dir)
        self.stdout.write(f"Argos packages in {packages_dir}:")
        for direction in sorted(set(DIRECTIONS) | set(installed)):
            package = installed.get(direction)
            if package is None:
                self.stdout.write(f"  {arrow(*direction)}  missing")
            else:
                self.stdout.write(f"  {arrow(*direction)}  {package.version or '?'}  {package.path}")
        missing = [d for d in DIRECTIONS if d not in installed]
        if missing:
            self.stdout.write(
                f"Missing: {', '.join(arrow(*d) for d in missing)}. "
                "Install with `python manage.py install_models` (or `--from PATH` offline)."
            )

    def _save_sentence_transformer(self, name: str, models_dir: Path) -> None:
        local = Path(name).expanduser()
        folder = local.resolve().name if local.exists() else name.strip("/").replace("/", "--")
        destination = (models_dir / folder).resolve()
        if local.exists() and local.resolve() == destination:
            self.stdout.write(f"{name} is already in the models folder.")
        else:
            try:
                from sentence_transformers import SentenceTransformer

                model = SentenceTransformer(name, device="cpu")
            except Exception as exc:  # the library raises many kinds; the user needs one message
                raise CommandError(
                    f"Could not fetch the sentence-transformers model {name!r} ({exc}). If this machine is offline, "
                    f"run this command where there is a network and copy the folder it saves into {models_dir}, "
                    "or name a local model folder."
                ) from exc
            models_dir.mkdir(parents=True, exist_ok=True)
            staging = Path(tempfile.mkdtemp(prefix=".saving-", dir=models_dir))
            try:
                model.save(str(staging / folder))
                if destination.exists():
                    shutil.rmtree(destination)
                (staging / folder).rename(destination)
            finally:
                shutil.rmtree(staging, ignore_errors=True)
            self.stdout.write(f"Saved {name} to {destination}.")
        self.stdout.write("To use it, set:")
        self.stdout.write(f"SVERKA_EMBEDDER={ST_PREFIX}{destination}")


def _offline_message(problem: str) -> str:
    return (
        f"{problem} This machine seems to be offline. Fetch the en→ru and ru→en .argosmodel files where there is "
        "a network (https://www.argosopentech.com/argospm/index/), copy them here, and install them with "
        "`python manage.py install_models --from PATH`."
    )
