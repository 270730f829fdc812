"""Accuracy and speed benchmarks over ../shared/data. They print tables and never assert.

Run one as ``python -m benchmarks.<name>`` from the project root: ``accuracy``, ``divergences``, ``speed``;
``python -m benchmarks`` runs all three with their defaults.
"""
