# The two commands a newcomer needs: `make run` and `make test`. Both install everything first.
VENV ?= .venv
PY := $(VENV)/bin/python
PYTHON ?= python3.11
PORT ?= 8000
CHROMIUM := /usr/bin/chromium

.PHONY: install lock run test bench clean

install: $(VENV)/.installed

# Exactly the versions the suite was run with: every package pinned, and refused unless its file's hash is
# the locked one. The project itself comes last, without its dependencies, which the lock already holds.
$(VENV)/.installed: pyproject.toml requirements-dev.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements-dev.lock
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@

# The one command that refreshes both lock files from pyproject.toml, to the newest versions within its bounds
# (`make lock LOCK_ARGS=` keeps the pinned ones and adds only what is new). The production lock, the
# Dockerfile's, is the development one less the dev extra, version for version. uv reads no pip.conf, so it is
# handed pip's own sources and, like pip, takes the best version found in any of them: torch 2.13.0 is there
# as a local CPU wheel (PyPI's build brings CUDA, which the check below refuses).
LOCK_ARGS ?= --upgrade
UV_COMPILE = UV_FIND_LINKS="$$($(PY) -m pip config get global.find-links 2>/dev/null | xargs | tr " " ,)" \
	UV_EXTRA_INDEX_URL="$$($(PY) -m pip config get global.extra-index-url 2>/dev/null | xargs)" \
	$(VENV)/bin/uv pip compile pyproject.toml --quiet --generate-hashes --index-strategy unsafe-best-match \
	--python $(PY) --custom-compile-command 'make lock' $(LOCK_ARGS)

lock: $(VENV)/bin/uv
	$(UV_COMPILE) --extra dev -o requirements-dev.lock
	$(UV_COMPILE) --constraint requirements-dev.lock -o requirements.lock
	@if grep -E '^(nvidia-|triton)' requirements-dev.lock; then \
	  echo "The lock pulled the CUDA packages above: pip's sources lack the CPU wheel of torch 2.13.0."; \
	  echo "Restore the lock files (git checkout -- requirements.lock requirements-dev.lock)."; \
	  exit 1; \
	fi

# uv for `make lock` in a venv that lacks it (made before uv joined the dev extra); `make install` brings the
# locked one.
$(VENV)/bin/uv:
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet "$$(grep -o '"uv[^"]*"' pyproject.toml | tr -d '"')"

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
