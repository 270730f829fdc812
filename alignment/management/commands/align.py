"""python manage.py align EN_FILE RU_FILE [--presegmented] [--embedder NAME] [--format json|tsv]
                           [--translate [--mono-embedder NAME]] [--locked LOCKED.json]

The command line over the pipeline. Output is the JSON contract of AlignmentResult.to_dict(), the same the API
serves and the JSON export holds (alignment.exports.alignment_json), or a TSV with one bead per line.
``--pairs-from MANIFEST.tsv`` aligns many documents in one process, loading the models once. ``--translate``
translates every sentence with the installed Argos packages (each sentence in the JSON then carries its
"translation"), and with a mono embedder the aligner also compares each side with the translation of the other.
``--locked LOCKED.json`` keeps the beads it lists ([[English indices], [Russian indices]]) as they are and aligns
the rest around them.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from alignment import translation
from alignment.exports import alignment_json
from alignment.pipeline import AlignConfig, PipelineError, align_texts
from alignment.pipeline.translate import Translator
from alignment.pipeline.types import NAMES, AlignmentResult, Lang

TSV_HEADER = ["en_indices", "ru_indices", "score", "en_text", "ru_text", "divergences"]


def render(result: AlignmentResult, fmt: str) -> str:
    if fmt == "json":
        return alignment_json(result)
    out = io.StringIO()
    writer = csv.writer(out, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(TSV_HEADER)
    for bead in result.beads:
        writer.writerow([
            ",".join(map(str, bead.en)),
            ",".join(map(str, bead.ru)),
            f"{bead.score:.4f}",
            " ".join(result.en[i].text for i in bead.en),
            " ".join(result.ru[j].text for j in bead.ru),
            ";".join(d.kind.value for d in bead.divergences),
        ])
    return out.getvalue()


def read_text(path: str, label: str) -> str:
    p = Path(path)
    if not p.is_file():
        raise CommandError(f"{label} file not found: {path}")
    data = p.read_bytes()
    try:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            return data.decode("utf-16")
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CommandError(f"{label} file is not UTF-8 text: {path}") from None


def read_locked(path: str) -> list:
    """The beads of a LOCKED.json: a list of [[English indices], [Russian indices]]; their sense is checked with
    the story's sentences (alignment.pipeline.align.anchors)."""
    try:
        beads = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CommandError(f"Locked beads file not found: {path}") from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise CommandError(f"{path} is not a JSON file: {exc}") from None
    if not isinstance(beads, list) or not all(
        isinstance(bead, list) and len(bead) == 2 and all(isinstance(side, list) for side in bead) for bead in beads
    ):
        raise CommandError(f"{path} must hold a list of beads, each [[English indices], [Russian indices]].")
    return beads


class Command(BaseCommand):
    help = "Align the English and Russian versions of a story and print the aligned pairs with divergences."

    def add_arguments(self, parser):
        parser.add_argument("en_file", nargs="?", help="the English text (UTF-8)")
        parser.add_argument("ru_file", nargs="?", help="the Russian text (UTF-8)")
        parser.add_argument("--presegmented", action="store_true", help="each input line is one sentence")
        parser.add_argument(
            "--embedder", default=None,
            help="use-m3 (default) or sentence-transformers:<name-or-path>; default from SVERKA_EMBEDDER",
        )
        parser.add_argument("--format", choices=["json", "tsv"], default="json", dest="fmt")
        parser.add_argument(
            "--pairs-from", metavar="MANIFEST.tsv", default=None,
            help="align many documents in one process: each line is EN_PATH<TAB>RU_PATH<TAB>OUT_PATH",
        )
        parser.add_argument(
            "--no-divergences", action="store_true", help="align only, skip divergence detection"
        )
        parser.add_argument(
            "--translate", action="store_true",
            help="translate every sentence with the installed Argos packages (see install_models)",
        )
        parser.add_argument(
            "--locked", default=None, metavar="LOCKED.json",
            help="beads that must come out unchanged, as a JSON list of [[English indices], [Russian indices]] "
                 "(sentence numbers from 0, as the output's); the rest is aligned around them",
        )
        parser.add_argument(
            "--mono-embedder", default=None, metavar="NAME",
            help="with --translate, also compare each side with the other's translation using this embedder "
                 "(use-m3 or sentence-transformers:<name-or-path>); default from SVERKA_MONO_EMBEDDER",
        )

    def handle(self, *args, **opts):
        if opts["mono_embedder"] and not opts["translate"]:
            raise CommandError("--mono-embedder compares sentences with translations: add --translate.")
        translate = opts["translate"]
        config = AlignConfig(
            embedder=opts["embedder"] or settings.SVERKA_EMBEDDER,
            presegmented=opts["presegmented"],
            detect_divergences=not opts["no_divergences"],
            translate=translate,
            mono_embedder=(opts["mono_embedder"] or settings.SVERKA_MONO_EMBEDDER or None) if translate else None,
        )
        translator = self._translator() if translate else None
        locked = read_locked(opts["locked"]) if opts["locked"] else ()
        if opts["pairs_from"]:
            if opts["en_file"] or opts["ru_file"]:
                raise CommandError("Give either EN_FILE RU_FILE or --pairs-from, not both.")
            if locked:
                raise CommandError("--locked names the sentences of one story: give EN_FILE and RU_FILE.")
            return self._batch(opts["pairs_from"], config, opts["fmt"], translator)
        if not (opts["en_file"] and opts["ru_file"]):
            raise CommandError("Give EN_FILE and RU_FILE, or --pairs-from MANIFEST.tsv.")
        en = read_text(opts["en_file"], NAMES[Lang.EN])
        ru = read_text(opts["ru_file"], NAMES[Lang.RU])
        try:
            result = align_texts(en, ru, config, translator=translator, locked=locked)
        except PipelineError as exc:
            raise CommandError(f"{opts['locked']}: {exc}" if exc.code == "bad_locked" else str(exc)) from exc
        self.stdout.write(render(result, opts["fmt"]), ending="")

    @staticmethod
    def _translator() -> Translator:
        """The settings' translator, or a CommandError saying what is missing and how to install it."""
        status = translation.status()
        found = translation.translator(status)
        if found is None:
            how = " Install them with `python manage.py install_models`." if status.missing else ""
            raise CommandError(f"Cannot translate: {status.why_not}{how}")
        return found

    def _batch(self, manifest: str, config: AlignConfig, fmt: str, translator: Translator | None) -> None:
        path = Path(manifest)
        if not path.is_file():
            raise CommandError(f"Manifest not found: {manifest}")
        jobs = []
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip() or line.startswith("#"):
                continue
            fields = line.split("\t")
            if len(fields) != 3 or not all(f.strip() for f in fields):
                raise CommandError(
                    f"{manifest}, line {lineno}: expected EN_PATH<TAB>RU_PATH<TAB>OUT_PATH, got {line!r}"
                )
            jobs.append((lineno, *[f.strip() for f in fields]))
        failures = 0
        for done, (lineno, en_path, ru_path, out_path) in enumerate(jobs, start=1):
            # One bad document must not cost the researcher the rest of the corpus.
            try:
                result = align_texts(
                    read_text(en_path, NAMES[Lang.EN]), read_text(ru_path, NAMES[Lang.RU]), config, translator=translator
                )
            except (PipelineError, CommandError) as exc:
                failures += 1
                self.stderr.write(f"line {lineno}: {en_path} / {ru_path}: {exc}")
                continue
            out = Path(out_path)
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(render(result, fmt), encoding="utf-8")
            self.stderr.write(f"[{done}/{len(jobs)}] {out_path}: {len(result.beads)} pairs")
        if failures:
            raise CommandError(f"{failures} of {len(jobs)} documents failed; the others were written.")
