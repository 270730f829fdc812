# The two commands a newcomer needs: `make run` and `make test`. Both install everything first.
VENV ?= .venv
PY := $(VENV)/bin/python
PYTHON ?= python3.11
PORT ?= 8000
CHROMIUM := /usr/bin/chromium

.PHONY: install run test bench clean

install: $(VENV)/.installed

# torch is pinned to 2.13.0 in pyproject.toml: that version installs from a local CPU wheel.
$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

# The web server and a worker (with the sweeper's schedule), on SQLite and a broker that needs no server, in
# development mode: DEBUG is off unless asked for, and with it the development SECRET_KEY is refused.
run: export DEBUG = true
run: install
	$(PY) manage.py migrate --no-input
	@echo
	@echo "Sverka is starting at http://127.0.0.1:$(PORT)/"
	@$(PY) manage.py first_user
	@echo "Stop with Ctrl-C."
	@echo
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(VENV)/bin/honcho start -f Procfile -p $(PORT)

test: install $(CHROMIUM)
	$(PY) -m pytest $(PYTEST_ARGS)

# The browser tests drive Debian's chromium through Playwright (whose own browser download is never used).
# Without it they are skipped, and on CI (CI=true) they fail.
$(CHROMIUM):
	@echo "Installing chromium for the browser tests (apt-get)..."
	@if [ "$$(id -u)" != 0 ]; then \
	  echo "Not root: install it with 'sudo apt-get install -y chromium'. Until then the browser tests skip (on CI, fail)."; \
	elif ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null 2>&1 \
	  && ! { apt-get update -qq >/dev/null 2>&1 \
	         && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null 2>&1; }; then \
	  echo "apt-get could not install chromium. Until it is, the browser tests skip (on CI, fail)."; \
	fi

bench: install
	$(PY) -m benchmarks

clean:
	rm -rf $(VENV) var .pytest_cache
