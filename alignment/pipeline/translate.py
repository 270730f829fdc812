"""Machine translation of our sentences with installed Argos Translate packages, behind one small interface.

An Argos package is a folder holding ``metadata.json``, a CTranslate2 model in ``model/`` and a tokeniser
(``sentencepiece.model``, or ``bpe.model`` in a few old packages). We read those pieces ourselves rather than
through ``argostranslate.translate``: that path splits text into sentences with Stanza or MiniSBD (which fetch
data on first use) and hands CTranslate2 one paragraph at a time. Our sentences are already split, so we
tokenise them, give CTranslate2 the whole list in batches, and detokenise. The ``stanza/`` folder and any
``sbd`` packages are never touched. Of argostranslate only the BPE tokeniser of old packages is imported, never
its settings module, which reads its folders from the environment once and creates them in the home folder.

Models load lazily, once per process and per (packages folder, direction, load options), never at import time.
"""

from __future__ import annotations

import json
import logging
import math
import re
import shutil
import tempfile
import threading
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Protocol

from .errors import PipelineError

log = logging.getLogger(__name__)

# The directions Sverka uses. Any other installed direction still works when asked for.
DIRECTIONS: tuple[tuple[str, str], ...] = (("en", "ru"), ("ru", "en"))

# A model with random or broken weights may never emit the end token and would decode to the limit, so the
# limit follows the input: by default twice its length plus a margin, and never more than this.
MAX_DECODING_LENGTH = 256
DECODING_MARGIN = 10
# Longer inputs are cut: the encoder's cost grows with the square of the length.
MAX_INPUT_LENGTH = 512


class Translator(Protocol):
    name: str

    def translate(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        """One translation per text, in order. ``source`` and ``target`` are language codes ("en", "ru")."""


def arrow(source: str, target: str) -> str:
    return f"{source}→{target}"


def missing_direction_error(source: str, target: str) -> PipelineError:
    return PipelineError(
        f"No Argos package for {arrow(source, target)} is installed. "
        "Install one with `python manage.py install_models`.",
        code="translation_missing",
    )


@dataclass(frozen=True)
class ArgosPackage:
    """An installed package, as its folder describes it."""

    path: Path
    source: str
    target: str
    version: str
    kind: str  # "translate"; Argos also has "sbd" packages, which we ignore
    target_prefix: str  # a token some multilingual models need before the output; usually empty

    @property
    def direction(self) -> tuple[str, str]:
        return self.source, self.target


def read_package(folder: Path) -> ArgosPackage:
    """The package in ``folder``, checked for the pieces we use. A ``PipelineError`` says what is wrong."""
    folder = Path(folder)
    try:
        metadata = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise PipelineError(f"{folder} is not an Argos package: no readable metadata.json ({exc}).",
                            code="bad_package") from None
    if not isinstance(metadata, dict):
        raise PipelineError(f"{folder}/metadata.json does not hold an object.", code="bad_package")
    package = ArgosPackage(
        path=folder,
        source=str(metadata.get("from_code") or ""),
        target=str(metadata.get("to_code") or ""),
        version=str(metadata.get("package_version") or ""),
        kind=str(metadata.get("type") or "translate"),
        target_prefix=str(metadata.get("target_prefix") or ""),
    )
    if package.kind == "translate":
        if not package.source or not package.target:
            raise PipelineError(f"{folder}/metadata.json names no from_code or to_code.", code="bad_package")
        if not (folder / "model" / "model.bin").is_file():
            raise PipelineError(f"{folder} has no CTranslate2 model (model/model.bin).", code="bad_package")
        if not any((folder / name).is_file() for name in ("sentencepiece.model", "bpe.model")):
            raise PipelineError(f"{folder} has no sentencepiece.model or bpe.model.", code="bad_package")
    return package


def installed_packages(packages_dir: Path) -> list[ArgosPackage]:
    """Every readable package in ``packages_dir`` (each in its own sub-folder), by folder name.

    A broken folder is logged and skipped, so that one bad copy does not hide the others.
    """
    packages_dir = Path(packages_dir)
    if not packages_dir.is_dir():
        return []
    packages = []
    for folder in sorted(packages_dir.iterdir()):
        if folder.name.startswith(".") or not folder.is_dir():
            continue  # hidden folders include our own half-finished installs
        try:
            packages.append(read_package(folder))
        except PipelineError as exc:
            log.warning("skipping %s: %s", folder, exc.message)
    return packages


def translation_packages(packages_dir: Path) -> dict[tuple[str, str], ArgosPackage]:
    """The package serving each installed direction; the highest version when several do."""
    chosen: dict[tuple[str, str], ArgosPackage] = {}
    for package in installed_packages(packages_dir):
        if package.kind != "translate":
            continue
        current = chosen.get(package.direction)
        if current is None or version_key(package.version) > version_key(current.version):
            chosen[package.direction] = package
    return chosen


def available_directions(packages_dir: Path) -> set[tuple[str, str]]:
    """The (source, target) pairs an installed package translates."""
    return set(translation_packages(packages_dir))


def version_key(version: str) -> tuple[int, ...]:
    """A package version as numbers, for comparing: "1.10" is newer than "1.9"."""
    return tuple(int(n) for n in re.findall(r"\d+", version))


def install_package(archive: Path, packages_dir: Path) -> ArgosPackage:
    """Unpack an ``.argosmodel`` file into ``packages_dir`` and return the installed package.

    The package replaces any installed package for the same direction. It is unpacked beside its final
    place and moved there only once it has been checked, so a bad file never leaves a half-installed folder.
    """
    archive, packages_dir = Path(archive), Path(packages_dir)
    if not zipfile.is_zipfile(archive):
        raise PipelineError(f"{archive} is not an Argos package (an .argosmodel file is a zip archive).",
                            code="bad_package")
    packages_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".installing-", dir=packages_dir))
    try:
        with zipfile.ZipFile(archive) as zf:
            top = _single_top_folder(zf, archive)
            zf.extractall(staging)
        package = read_package(staging / top)
        destination = packages_dir / top
        for old in installed_packages(packages_dir):
            if old.path == destination or (package.kind == "translate" and old.direction == package.direction):
                log.info("replacing %s with %s", old.path, archive)
                shutil.rmtree(old.path)
        (staging / top).rename(destination)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return read_package(destination)


def _single_top_folder(zf: zipfile.ZipFile, archive: Path) -> str:
    tops = {PurePosixPath(name).parts[0] for name in zf.namelist() if name.strip("/")}
    if len(tops) != 1:
        raise PipelineError(f"{archive} should hold exactly one folder, not {len(tops)} entries at the top.",
                            code="bad_package")
    top = tops.pop()
    if top in {".", ".."} or top.startswith(".") or "\\" in top or ":" in top:
        raise PipelineError(f"{archive} holds a folder with an unsafe name: {top!r}.", code="bad_package")
    return top


class _SentencePiece:
    def __init__(self, model_file: Path):
        import sentencepiece

        self._processor = sentencepiece.SentencePieceProcessor(model_file=str(model_file))

    def encode(self, text: str) -> list[str]:
        return self._processor.encode(text, out_type=str)

    def decode(self, tokens: list[str]) -> str:
        # Argos's own decoder also turns every "_" into a space; SentencePiece alone gets them right.
        return self._processor.decode_pieces(tokens)


def _tokeniser(package: ArgosPackage):
    if (package.path / "sentencepiece.model").is_file():
        return _SentencePiece(package.path / "sentencepiece.model")
    # A few old packages use Moses tokenisation and BPE. argostranslate.tokenizer imports nothing of
    # argostranslate's settings, so this creates no folders.
    from argostranslate.tokenizer import BPETokenizer

    return BPETokenizer(package.path / "bpe.model", package.source, package.target)


@dataclass(frozen=True)
class _LoadedModel:
    package: ArgosPackage
    translator: object  # ctranslate2.Translator
    tokeniser: object  # has encode(str) -> list[str] and decode(list[str]) -> str


# One loaded model per (packages folder, source, target, device, compute type, inter, intra threads).
_models: dict[tuple, _LoadedModel] = {}
_models_lock = threading.Lock()


def _load(packages_dir: Path, source: str, target: str, options: tuple) -> _LoadedModel:
    key = (str(Path(packages_dir).resolve()), source, target, *options)
    with _models_lock:
        model = _models.get(key)
        if model is None:
            package = translation_packages(packages_dir).get((source, target))
            if package is None:
                raise missing_direction_error(source, target)
            model = _models[key] = _load_package(package, *options)
    return model


def _load_package(package: ArgosPackage, device: str, compute_type: str, inter: int, intra: int) -> _LoadedModel:
    import ctranslate2

    log.info("loading Argos package %s (%s, %s)", package.path, arrow(*package.direction), compute_type)
    try:
        translator = ctranslate2.Translator(
            str(package.path / "model"), device=device, compute_type=compute_type,
            inter_threads=inter, intra_threads=intra,
        )
        tokeniser = _tokeniser(package)
    except (RuntimeError, ValueError, OSError) as exc:
        # CTranslate2's own words (paths, CPU features) are for the operator's log, not the story page.
        log.warning("could not load the Argos package at %s", package.path, exc_info=True)
        raise PipelineError(
            f"Could not load the Argos package for {arrow(*package.direction)}: it may be damaged or made for "
            "another version of CTranslate2. Install it again with `python manage.py install_models`.",
            code="bad_package",
        ) from exc
    return _LoadedModel(package, translator, tokeniser)


class ArgosTranslator:
    """Translates with the Argos packages installed in ``packages_dir``.

    ``inter_threads`` batches run side by side, each on ``intra_threads`` threads. A translation is split into
    batches of sentences of similar length, at most ``max_batch_size`` each and at least one per inter thread,
    and all of them are handed to CTranslate2 at once, so that every thread has work.

    No output of a batch is longer than ``max_length_ratio`` times its longest input plus a margin, nor longer
    than MAX_DECODING_LENGTH: a sound model stops well before that, a broken one stops there.
    """

    name = "argos"

    def __init__(
        self,
        packages_dir: Path,
        *,
        inter_threads: int = 1,
        intra_threads: int = 1,
        beam_size: int = 1,
        max_batch_size: int = 32,
        max_length_ratio: float = 2.0,
        compute_type: str = "int8",
        device: str = "cpu",
    ):
        if min(inter_threads, intra_threads, beam_size, max_batch_size, max_length_ratio) < 1:
            raise PipelineError("Thread counts, beam size, batch size and length ratio must all be at least 1.",
                                code="bad_setting")
        self.packages_dir = Path(packages_dir)
        self.beam_size = beam_size
        self.max_batch_size = max_batch_size
        self.max_length_ratio = max_length_ratio
        self.inter_threads = inter_threads
        self._options = (device, compute_type, inter_threads, intra_threads)

    def directions(self) -> set[tuple[str, str]]:
        return available_directions(self.packages_dir)

    def translate(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        if source == target:
            raise PipelineError(f"Cannot translate from {source} to itself.", code="same_language")
        if not texts:
            return []
        model = _load(self.packages_dir, source, target, self._options)
        tokens = [model.tokeniser.encode(text) if text.strip() else [] for text in texts]
        outputs = [""] * len(texts)
        # Similar lengths side by side: less padding, and a decoding limit that suits every member.
        order = sorted((i for i, t in enumerate(tokens) if t), key=lambda i: len(tokens[i]))
        size = max(1, min(self.max_batch_size, math.ceil(len(order) / self.inter_threads)))
        batches = [order[at:at + size] for at in range(0, len(order), size)]
        pending = [self._submit(model, [tokens[i] for i in batch]) for batch in batches]
        for batch, results in zip(batches, pending):
            for i, result in zip(batch, results):
                outputs[i] = self._detokenise(model, result.result().hypotheses[0])
        return outputs

    def _submit(self, model: _LoadedModel, batch: list[list[str]]):
        prefix = model.package.target_prefix
        longest = min(max(len(t) for t in batch), MAX_INPUT_LENGTH)
        return model.translator.translate_batch(
            batch,
            target_prefix=[[prefix]] * len(batch) if prefix else None,
            max_batch_size=self.max_batch_size,
            beam_size=self.beam_size,
            max_input_length=MAX_INPUT_LENGTH,
            max_decoding_length=min(MAX_DECODING_LENGTH, int(self.max_length_ratio * longest) + DECODING_MARGIN),
            length_penalty=0.2,  # what argostranslate itself passes
            replace_unknowns=True,
            asynchronous=True,
        )

    @staticmethod
    def _detokenise(model: _LoadedModel, tokens: list[str]) -> str:
        prefix = model.package.target_prefix
        if prefix and tokens[:1] == [prefix]:
            tokens = tokens[1:]
        return model.tokeniser.decode(tokens).strip()
