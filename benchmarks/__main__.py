"""Run every benchmark with its defaults: python -m benchmarks [--limit N] (the limit applies where it can)."""

import argparse
import subprocess
import sys

from . import (
    accuracy, adversarial, anchored, combination, divergences, furniture, ingest, learned_furniture, moved, speed,
)

parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
parser.add_argument(
    "--limit", type=int, help="only the first N stories in accuracy, divergences, moved, furniture, combination and ingest"
)
args = parser.parse_args()
limit = ["--limit", str(args.limit)] if args.limit else []
accuracy.main(limit)
divergences.main(limit)
moved.main(limit)
furniture.main(limit)
learned_furniture.main([])
combination.main(limit)
ingest.main(limit)
speed.main([])
anchored.main([])
adversarial.main([])
# These two start servers of their own and set Django up on them: each runs in a process of its own.
subprocess.run([sys.executable, "-m", "benchmarks.load"], check=False)
subprocess.run([sys.executable, "-m", "benchmarks.reliability", "--skip-load"], check=False)
