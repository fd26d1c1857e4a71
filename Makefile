# IMS Scan: `make run` to try it, `make test` to check it. Both install what they need.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
IMSCAN := $(PY) -m imscan
PO_FILES := $(wildcard src/imscan/locale/*/LC_MESSAGES/django.po)
MO_FILES := $(PO_FILES:.po=.mo)
CHROMIUM := /usr/bin/chromium
PYTEST_ARGS ?=

.PHONY: install run test lint bench messages makemessages browser clean openapi

install: $(VENV)/.installed node_modules/.installed $(MO_FILES) var/static

var/static:
	mkdir -p $@

# Re-installs only when pyproject.toml changes, so a second `make install` takes a second.
$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "IMS Scan needs Python 3.11 or newer; set PYTHON=python3.x"; exit 1; }
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[dev]'
	touch $@

# The NL Design System component CSS, served by Django from node_modules (no build step).
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

%.mo: %.po | msgfmt
	msgfmt --check --output-file=$@ $<

.PHONY: msgfmt
msgfmt:
	@command -v msgfmt >/dev/null || { [ "$$(id -u)" = 0 ] && \
		apt-get install -y -qq gettext >/dev/null; } || \
		{ echo "msgfmt is missing: install GNU gettext (apt-get install gettext)"; exit 1; }

messages: $(MO_FILES)

# Refresh the .po files from the code and templates (then translate, then `make messages`).
makemessages: install
	cd src/imscan && ../../$(PY) -m imscan makemessages --locale nl --locale en --no-obsolete --no-location

# Debian's Chromium for the browser tests (Playwright cannot download browsers here).
browser:
	@test -x $(CHROMIUM) || { [ "$$(id -u)" = 0 ] && \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }; } || \
		echo "Chromium is missing and cannot be installed (not root): browser tests will be skipped"
	@command -v pdftotext >/dev/null || { [ "$$(id -u)" = 0 ] && \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null; }; } || \
		echo "pdftotext (poppler-utils) is missing and cannot be installed (not root): PDF text checks will be skipped"

# The API's OpenAPI schema, committed; tests/api/test_openapi.py fails when it is stale.
openapi: install
	$(IMSCAN) openapi --output docs/openapi.json

run: install
	$(IMSCAN) migrate --noinput
	$(IMSCAN) loadmodels
	$(IMSCAN) runserver 127.0.0.1:8000

test: install browser
	$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/ruff format --check src tests bench
	$(VENV)/bin/mypy src

# wrk, the HTTP load generator of `make bench` (Debian's package).
.PHONY: wrk
wrk:
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && \
		{ DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null 2>&1 || \
		  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }; }; } || \
		{ echo "wrk (the benchmark's load generator) is missing and could not be installed: run 'apt-get install wrk' as root"; exit 1; }

bench: install wrk
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) node_modules var/*.sqlite3* .pytest_cache .mypy_cache .ruff_cache
