"""Input built to stall a regex or a parser: the time each takes on its worst input, by size.

    python -m benchmarks.adversarial [--sizes 10000,100000,1000000] [--only NAME]

Every compiled pattern of alignment.ingest and alignment.pipeline (found in their modules, inside tuples and
dicts too; alignment.web compiles none), and the readers a user's upload goes through (Markdown, HTML with
trafilatura and lxml, .docx with defusedxml), fed input of growing size. A pattern is run as re.sub runs it, from
every place in the text (re.subn, so that the time is the engine's, not a Python step per match), which is its
worst use; the few matched at one place only (a word start) are matched there, and the few searched in a slice of
bounded size (the end of a sentence) in such a slice. The inputs: runs of one short unit (a bracket, "a-", " *a",
"<http:", the pattern's own literal characters and words ...) between a few prefixes and suffixes. Each is timed
at the first size; the three slowest go on to the larger ones, under an alarm, so a quadratic one is cut short and
reported as such.
The target is at most 50 ms per 100 KB, at every size.

The standard library's html.parser is used nowhere (it is quadratic on a tag that never closes before Python
3.11.13, and this machine's Python is older): the HTML reader tokenizes with a pattern of its own
(alignment/ingest/html.py). What remains over the target there is trafilatura's own time per element, which is
why a page (and a .docx) is read in a worker, by its story's job (alignment.reading): in the web request, an
upload of either goes only through ``read_later``'s cheap checks. Each reader's name says where it runs.
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import io
import pkgutil
import re
import signal
import sys
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from .report import print_table

TARGET_MS_PER_100KB = 50.0
PACKAGES = ("alignment.ingest", "alignment.pipeline")
UPLOAD_LIMIT = 64 * 1024 * 1024  # the readers' own caps are what is measured, not the upload limit
# Patterns matched at one place only, not searched through the text: (module, name) -> how much of it they see.
MATCHED_AT_START = {
    ("alignment.pipeline.mentions.capitals", "_SHORT_QUOTE"): None,
    ("alignment.ingest.html", "_PAGE_START"): 2000,  # looks_like_page: the first 2,000 characters
    ("alignment.ingest.html", "_TAG_REST"): None,  # _capped: after a tag's name, once per tag
    ("alignment.pipeline.segment", "_FIRST_WORD"): None,  # _starts_lowercase: a line's or a sentence's first word
    ("alignment.pipeline.segment", "_ATTRIBUTION"): None,  # _wrong_cut: fullmatch over a sentence
    ("alignment.pipeline.mentions.numbers", "_UNIT"): None,  # after a number, at its end
    ("alignment.pipeline.mentions.numbers", "_GLUED_UNIT"): None,
}
# Patterns searched through a slice of bounded size only: (module, name) -> its size.
SEARCHED_IN = {
    # _wrong_cut: the last 40 characters before a cut
    ("alignment.pipeline.segment", name): 40 for name in ("_TITLE", "_BEFORE_NUMBER", "_CLOSED_QUOTE", "_CLOCK")
}

UNITS = (
    "a", "A", "1", " ", "-", ".", ",", "'", '"', "«", "»", "(", ")", "[", "]", "*", "_", "#", "<", ">", "\\",
    "a-", "Bob-b", "a ", "Aa ", "A.", "1.", "1,", "1 ", "a'", "a.", " *a", " **a", " _a", "~~a ", "[a](", "![",
    "<http:", "`a", "\u00a0", "\t", "a\n", "Mr. ", "www.a", "a@", "% ", "$1", "—",
)
PREFIXES = ("", "# a", '"A')
SUFFIXES = ("", ".", 'b"')


@dataclass(frozen=True)
class Target:
    name: str
    run: Callable[[object], object]
    units: tuple[str, ...]
    prepare: Callable[[str], object] = str  # the input made from the text, not timed (a .docx zipped)


@dataclass
class Worst:
    input: str = ""
    ms_per_100kb: dict[int, float | None] = None  # by size; None where the alarm cut it short


class Stalled(Exception):
    pass


def _stop(signum, frame):
    raise Stalled


def timed(run: Callable[[str], object], text: str, seconds: int) -> float | None:
    """Seconds ``run(text)`` takes (the best of up to five while they take little, so that a pause of a busy
    machine does not count), or None past ``seconds``."""
    signal.signal(signal.SIGALRM, _stop)
    signal.alarm(seconds)
    try:
        best, spent = float("inf"), 0.0
        for _ in range(5):
            start = time.perf_counter()
            run(text)
            took = time.perf_counter() - start
            best, spent = min(best, took), spent + took
            if best > 0.1 or spent > 0.5:
                break
        return best
    except Stalled:
        return None
    finally:
        signal.alarm(0)


def build(prefix: str, unit: str, suffix: str, size: int) -> str:
    return prefix + unit * max(1, (size - len(prefix) - len(suffix)) // len(unit)) + suffix


# ---------------------------------------------------------------------------------------------------- What is tried


def patterns() -> Iterator[tuple[str, str, re.Pattern]]:
    """(module, name, pattern) for every compiled pattern in the modules' globals, in containers too."""
    for package_name in PACKAGES:
        package = importlib.import_module(package_name)
        modules = [package_name] + [m.name for m in pkgutil.walk_packages(package.__path__, package_name + ".")]
        for module_name in modules:
            module = importlib.import_module(module_name)
            source = inspect.getsource(module)
            seen: set[int] = set()
            for name, value in vars(module).items():
                if not re.search(rf"^{name}\b[^=\n]*=", source, re.M):
                    continue  # imported from the module that defines it, and tried there
                for index, pattern in _found(value, 3):
                    if id(pattern) not in seen:
                        seen.add(id(pattern))
                        yield module_name, name + index, pattern


def _found(value, depth: int) -> Iterator[tuple[str, re.Pattern]]:
    if isinstance(value, re.Pattern):
        yield "", value
    elif depth and isinstance(value, (tuple, list, dict)) and not isinstance(value, str):
        items = value.items() if isinstance(value, dict) else enumerate(value)
        for key, item in items:
            for index, pattern in _found(item, depth - 1):
                yield f"[{key!r}]" + index, pattern


def own_units(pattern: re.Pattern) -> tuple[str, ...]:
    """Units from the pattern's own text: its literal punctuation and words."""
    source = pattern.pattern if isinstance(pattern.pattern, str) else pattern.pattern.decode("latin-1")
    marks = {c for c in source if not c.isalnum() and c.isprintable() and c not in "\\^$|?+{}()[]"}
    words = re.findall(r"[^\W\d_]{2,}", source)[:6]
    return tuple(sorted(marks)) + tuple(f"{c}a" for c in sorted(marks)) + tuple(words) + tuple(w + " " for w in words)


def pattern_targets() -> list[Target]:
    targets = []
    for module, name, pattern in patterns():
        short = f"{module.removeprefix('alignment.')}.{name}"
        where = (module, name.partition("[")[0])  # a pattern of a tuple or a dict by the name of that
        if isinstance(pattern.pattern, bytes):
            run = (lambda p: lambda text: p.match(text.encode("utf-8", "replace")))(pattern)
        elif where in MATCHED_AT_START:
            run = (lambda p, seen: lambda text: p.match(text[:seen]))(pattern, MATCHED_AT_START[where])
        elif where in SEARCHED_IN:
            run = (lambda p, seen: lambda text: p.search(text[-seen:]))(pattern, SEARCHED_IN[where])
        else:
            run = (lambda p: lambda text: p.subn("", text))(pattern)
        targets.append(Target(short, run, UNITS + own_units(pattern)))
    return targets


def reader_targets() -> list[Target]:
    from alignment.ingest import read_later, read_upload
    from alignment.ingest.markdown import markdown_to_text
    from alignment.pipeline.mentions.capitals import capital_by_position
    from alignment.pipeline.validate import check_languages

    def docx(body: str) -> bytes:
        w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("word/document.xml", f"<w:document {w}><w:body>{body}</w:body></w:document>")
        return buffer.getvalue()

    html_units = ("<div>", "<p>a</p>", "<a href=x>", "<!--", "<p a=", "<b><i>", "<table><tr><td>", "&amp;", "<")
    docx_units = ("<w:p><w:r><w:t>a</w:t></w:r></w:p>", "<w:p>", "<w:r><w:t>a b</w:t></w:r>", "<w:p><w:tab/>")
    return [
        Target("ingest.markdown_to_text", markdown_to_text, UNITS),
        Target("ingest.read_later(.html) [web request]",
               lambda text: _quietly(read_later, "a.html", text.encode(), UPLOAD_LIMIT), html_units + UNITS[:12]),
        Target("ingest.read_later(.txt page) [web request]",
               lambda text: _quietly(read_later, "a.txt", text.encode(), UPLOAD_LIMIT), html_units + UNITS[:12],
               prepare=lambda text: "<!doctype html>" + text),
        Target("ingest.read_later(.docx) [web request]",
               lambda data: _quietly(read_later, "a.docx", data, UPLOAD_LIMIT), docx_units, prepare=docx),
        Target("ingest.read_upload(.html) [worker]",
               lambda text: _quietly(read_upload, "a.html", text.encode(), UPLOAD_LIMIT), html_units + UNITS[:12]),
        Target("ingest.read_upload(.docx) [worker]",
               lambda data: _quietly(read_upload, "a.docx", data, UPLOAD_LIMIT), docx_units, prepare=docx),
        Target("capitals.capital_by_position", lambda text: capital_by_position(text, min(2, len(text) - 1), "en"),
               UNITS),
        Target("validate.check_languages", lambda text: _quietly(check_languages, text, text), UNITS[:12]),
    ]


def _quietly(read, *args):
    """``read(*args)``; a refusal (of a text too long, a page with too many tags ...) is an answer too."""
    from alignment.ingest import IngestError
    from alignment.pipeline import PipelineError

    try:
        return read(*args)
    except (IngestError, PipelineError):
        return None


# ---------------------------------------------------------------------------------------------------- Measuring


def worst(target: Target, sizes: list[int]) -> Worst:
    first, *larger = sizes
    inputs = [(p, u, s) for u in target.units for p in PREFIXES for s in SUFFIXES]
    times = []
    for shape in inputs:
        took = timed(target.run, target.prepare(build(*shape, first)), 2)
        times.append((float("inf") if took is None else took, shape))
        if took is None:
            break  # over the target already; the other inputs would only take as long
    times.sort(key=lambda t: -t[0])
    found = Worst(ms_per_100kb={})
    for took, shape in times[:3]:
        per_size = {first: None if took == float("inf") else took * 1000 * 100_000 / first}
        for size in larger:
            if per_size[max(per_size)] is None or per_size[max(per_size)] * size / 100_000 > 20_000:
                per_size[size] = None  # already over 20 s at this size: not tried
                continue
            took = timed(target.run, target.prepare(build(*shape, size)), 20)
            per_size[size] = None if took is None else took * 1000 * 100_000 / size
        if not found.ms_per_100kb or _score(per_size) > _score(found.ms_per_100kb):
            prefix, unit, suffix = shape
            found = Worst(f"{prefix!r} + {unit!r}*n + {suffix!r}", per_size)
    return found


def _score(per_size: dict[int, float | None]) -> float:
    return max(float("inf") if v is None else v for v in per_size.values())


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.adversarial", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000", help="input sizes in characters")
    parser.add_argument("--only", default="", help="only the targets whose name holds this")
    args = parser.parse_args(argv)
    sizes = sorted(int(s) for s in args.sizes.split(",") if s)
    targets = [t for t in reader_targets() + pattern_targets() if args.only in t.name]
    rows = []
    for target in targets:
        started = time.perf_counter()
        found = worst(target, sizes)
        print(f"{target.name}: {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
        score = _score(found.ms_per_100kb)
        cells = ["-" if found.ms_per_100kb.get(s) is None else round(found.ms_per_100kb[s], 2) for s in sizes]
        rows.append((target.name, *cells, "yes" if score <= TARGET_MS_PER_100KB else "NO", found.input[:60]))
    rows.sort(key=lambda r: (r[-2] == "yes", r[0]))
    columns = ("pattern or reader", *(f"ms/100KB @{s // 1000}K" for s in sizes), "pass", "worst input")
    passed = sum(r[-2] == "yes" for r in rows)
    print_table(
        f"Adversarial input: worst time per 100 KB (target: at most {TARGET_MS_PER_100KB:g} ms)", columns, rows,
        notes=[f"{passed} of {len(rows)} pass. '-': cut short by the alarm (or not tried after that), so over the "
               "target.", "Patterns run from every place (re.subn), except those matched at one place only: "
               + ", ".join(sorted(name for _, name in MATCHED_AT_START)) + "; and those searched in the last "
               "characters of a sentence only: " + ", ".join(sorted({name for _, name in SEARCHED_IN})) + "."],
    )


if __name__ == "__main__":
    main()
