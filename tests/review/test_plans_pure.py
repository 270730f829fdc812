"""The plans of a correction stay pure Python, as the pipeline does: no Django and no database, so that they
can be reasoned about, and property-tested, over layouts alone. The rest of alignment.review is the database
side and may import Django; plans.py must not, not even through what it imports."""

import subprocess
import sys
from pathlib import Path

from tests.pipeline.test_pure import imported_modules

ROOT = Path(__file__).resolve().parents[2]
PLANS = ROOT / "alignment" / "review" / "plans.py"


def test_the_plans_module_imports_no_django():
    assert [m for m in imported_modules(PLANS) if m.split(".")[0] == "django"] == []


def test_loading_the_plans_loads_no_django_even_indirectly():
    # By its path: importing alignment.review.plans would run the package's __init__, which is the database side.
    code = (
        "import importlib.util, sys; "
        f"spec = importlib.util.spec_from_file_location('plans', {str(PLANS)!r}); "
        "module = importlib.util.module_from_spec(spec); sys.modules['plans'] = module; "
        "spec.loader.exec_module(module); module.plan_merge((module.Group((0,), (0,)), module.Group((1,))), 0); "
        "print(','.join(m for m in sys.modules if m.split('.')[0] == 'django'))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )
    assert out.stdout.strip() == ""
