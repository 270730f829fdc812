"""One table printer for every benchmark, and the run's setting printed above each table."""

from __future__ import annotations

import os
import platform
from collections.abc import Sequence

from threadpoolctl import threadpool_info

BLAS_THREADS = 1  # on 2 shared cores two BLAS threads ran 13x slower whenever another process was busy


def setting(embedder: str) -> str:
    pools = ", ".join(sorted({f"{p['internal_api']}={p['num_threads']}" for p in threadpool_info()}))
    return (
        f"threads: {pools or 'no BLAS loaded'} (threadpool_limits({BLAS_THREADS})); "
        f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}; Python {platform.python_version()}; "
        f"embedder {embedder}"
    )


def part_title(part: str) -> str:
    """How a table names a part of the split (``data.PARTS``): the held-out one is the one that counts."""
    return "HELD-OUT part (the figures that count)" if part == "held-out" else "tuning part (tuned on)"


def cell(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "NO"
    if isinstance(value, float):
        return f"{value:.3f}"
    if value is None:
        return "-"
    return str(value)


def print_table(
    title: str, columns: Sequence[str], rows: Sequence[Sequence[object]], notes: Sequence[str] = ()
) -> None:
    """Plain text, columns padded to fit, numbers right-aligned; ``notes`` go under the table."""
    text = [[cell(v) for v in row] for row in rows]
    widths = [max(len(c), *(len(r[k]) for r in text)) if text else len(c) for k, c in enumerate(columns)]
    numeric = [all(_is_number(r[k]) for r in text) and bool(text) for k in range(len(columns))]

    def line(values: Sequence[str]) -> str:
        return "  ".join(v.rjust(w) if num else v.ljust(w) for v, w, num in zip(values, widths, numeric)).rstrip()

    print(f"\n{title}")
    print(line(columns))
    print("  ".join("-" * w for w in widths))
    for row in text:
        print(line(row))
    for note in notes:
        print(note)


def _is_number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return value == "-"
    return True


def print_failures(heading: str, failures: Sequence[tuple[str, str]], examples: int = 3) -> None:
    """``failures`` are (where, what) pairs; the same "what" is printed once, with a count and a few places."""
    if not failures:
        return
    places: dict[str, list[str]] = {}
    for where, what in failures:
        places.setdefault(what, []).append(where)
    print(f"\n{len(failures)} {heading}:")
    for what, where in places.items():
        more = f" and {len(where) - examples} more" if len(where) > examples else ""
        print(f"  {len(where)} x {what} ({', '.join(where[:examples])}{more})")
