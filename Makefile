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

run: install
	$(PY) manage.py migrate --no-input
	@echo
	@echo "Sverka is starting at http://127.0.0.1:8000/admin/"
	@echo "Log in with the account you create with: $(PY) manage.py createsuperuser"
	@echo "Align two files from the command line:   $(PY) manage.py align EN_FILE RU_FILE"
	@echo
	$(PY) manage.py runserver 127.0.0.1:8000

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

bench: install
	$(PY) -m benchmarks

clean:
	rm -rf $(VENV) var .pytest_cache
