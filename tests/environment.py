"""The environment of the test run: a developer's machine, served over plain HTTP (the live server of the browser
tests, the test client). Settings are computed from it at import, and every process a test starts inherits it.

Loaded as a plugin (`-p tests.environment` in pyproject.toml) because pytest-django imports the settings before
any conftest.py is read."""

import os

from hypothesis import settings as hypothesis_settings

os.environ["DEBUG"] = "true"
os.environ["SVERKA_HTTPS"] = "false"

# Property tests draw the same examples on every run, so a red run can be run again and the failure seen, and they
# keep no example database in the tree (.hypothesis/).
hypothesis_settings.register_profile("sverka", derandomize=True, database=None)
hypothesis_settings.load_profile("sverka")
