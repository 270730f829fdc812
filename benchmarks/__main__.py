"""Run every benchmark with its defaults: python -m benchmarks [--limit N] (the limit applies where it can)."""

import argparse

from . import accuracy, divergences, speed

parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
parser.add_argument("--limit", type=int, help="only the first N stories in accuracy and divergences")
args = parser.parse_args()
limit = ["--limit", str(args.limit)] if args.limit else []
accuracy.main(limit)
divergences.main(limit)
speed.main([])
