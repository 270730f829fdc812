"""Sverka's alignment core: pure Python, no Django import anywhere below this package.

The command line, the Celery worker and the benchmarks all call :func:`align_texts`.
"""

from .errors import PipelineError
from .types import AlignConfig, AlignmentResult, Bead, Divergence, DocumentStats, Kind, Lang, Sentence

__all__ = [
    "AlignConfig",
    "AlignmentResult",
    "Bead",
    "Divergence",
    "DocumentStats",
    "Kind",
    "Lang",
    "PipelineError",
    "Sentence",
    "align_texts",
]


def __getattr__(name):
    # Imported on first use, so that importing the types does not pull in numpy and the models' code.
    if name == "align_texts":
        from .run import align_texts

        return align_texts
    raise AttributeError(name)
