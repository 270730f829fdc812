# The two commands a newcomer needs: `make run` and `make test`. Both install everything first.
VENV ?= .venv
PY := $(VENV)/bin/python
PYTHON ?= python3.11

.PHONY: install run test bench clean

install: $(VENV)/.installed

# torch is pinned to 2.13.0 in pyproject.toml: that version installs from a local CPU wheel.
$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

# The web server and a worker (with the sweeper's schedule), on SQLite and a broker that needs no server.
run: install
	$(PY) manage.py migrate --no-input
	@echo
	@echo "Sverka is starting at http://127.0.0.1:8000/"
	@$(PY) manage.py first_user
	@echo "Stop with Ctrl-C."
	@echo
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(VENV)/bin/honcho start -f Procfile

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

bench: install
	$(PY) -m benchmarks

clean:
	rm -rf $(VENV) var .pytest_cache
