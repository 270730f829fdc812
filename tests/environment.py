"""The environment of the test run: a developer's machine, served over plain HTTP (the live server of the browser
tests, the test client). Settings are computed from it at import, and every process a test starts inherits it.

Loaded as a plugin (`-p tests.environment` in pyproject.toml) because pytest-django imports the settings before
any conftest.py is read."""

import os

os.environ["DEBUG"] = "true"
os.environ["SVERKA_HTTPS"] = "false"
