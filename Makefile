# assist: set up, run, test and benchmark.
#
#   make run      set everything up, then serve on http://127.0.0.1:$(PORT)/
#   make test     set everything up, then run the tests
#   make bench    set everything up, then run the benchmark
#   make mutate   mutation testing of the core (docs/testing.md); not part of make test
#
# Every step is recorded with a stamp file, so running make again is quick.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

PY ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV ?= .venv
PORT ?= 5000
HOST ?= 127.0.0.1
PYTEST_WORKERS ?= 2
TESTS ?= tests
CONFIG_FILE := $(or $(ASSIST_CONFIG),config.toml)
STAMPS := .make

VENV_STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
DIST := assist/static/dist
ASSET_SOURCES := $(shell find assist/static/src -type f 2>/dev/null) scripts/build_assets.mjs
PO_FILES := $(wildcard translations/*/LC_MESSAGES/*.po)
MO_FILES := $(PO_FILES:.po=.mo)
CHROMIUM ?= $(shell command -v chromium 2>/dev/null || command -v chromium-browser 2>/dev/null)

.PHONY: help setup system-deps venv assets translations compile-translations db run lint test mutate bench clean distclean

help:
	@echo "make run      set up and serve assist on http://$(HOST):$(PORT)/ (PORT=5000)"
	@echo "make test     set up and run the tests"
	@echo "make bench    set up and run the benchmark"
	@echo "make mutate   mutation testing of routing, conditions, validation, references, encryption, attempts (MUTATE='routing crypto' for some)"
	@echo "make lint     security checks: bandit on assist/, pip-audit on the virtual environment (make test runs it)"
	@echo "Steps: system-deps venv assets compile-translations db; make translations extracts and updates catalogues; clean removes built files (not data/)."

# Everything run, test and bench need.
setup: system-deps venv assets compile-translations

## System packages (Debian): installed when root, otherwise explained.
system-deps: $(STAMPS)/system-deps

$(STAMPS)/system-deps: scripts/system_deps.sh
	@scripts/system_deps.sh $@

## Python virtual environment with assist installed in editable mode.
venv .venv: $(VENV_STAMP)

$(VENV_STAMP): setup.cfg pyproject.toml
	@test -x $(VENV)/bin/python || $(PY) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip==26.3 setuptools==80.9.0 wheel==0.45.1
	$(VENV)/bin/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $@

## CSS, JavaScript and images in assist/static/dist (brand colour from $(CONFIG_FILE)).
assets: $(DIST)/assist.css

$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm (Node.js 20 or later) is needed to build the stylesheet" >&2; exit 1; }
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	@touch $@

$(DIST)/assist.css: $(NODE_STAMP) $(ASSET_SOURCES) $(CONFIG_FILE)
	ASSIST_CONFIG=$(CONFIG_FILE) node scripts/build_assets.mjs

## Compiled translation catalogues (.mo) for every .po file; nothing to do if there are none.
compile-translations: $(MO_FILES)

translations/%.mo: translations/%.po $(VENV_STAMP)
	$(VENV)/bin/pybabel compile --statistics -i $< -o $@

## Translators' workflow (docs/translating.md): extract every message (code, templates, printouts
## and form definitions) into translations/messages.pot, then update each language's .po file.
## Run it after changing interface text or a form; then translate what is new and `make test`.
translations: $(VENV_STAMP)
	$(VENV)/bin/pybabel --quiet extract -F babel.cfg -k _l -k lazy_gettext -k 'lazy_ngettext:1,2' \
	  --add-comments=Translators: --ignore-dirs='.* _* node_modules data test-output build dist' --sort-by-file --width=100 --project=assist --version=$$($(VENV)/bin/python -c 'import assist; print(assist.__version__)') \
	  --msgid-bugs-address=forms@demo-borough.example.gov.uk --copyright-holder='' -o translations/messages.pot .
	$(VENV)/bin/pybabel --quiet update -i translations/messages.pot -d translations --width=100 --ignore-obsolete --no-fuzzy-matching
	@for po in translations/*/LC_MESSAGES/messages.po; do msgfmt --check -o /dev/null $$po; done
	@$(VENV)/bin/python -m assist.i18n.catalogues --summary

## The database (created or migrated) and the demo data.
db: $(VENV_STAMP)
	$(VENV)/bin/assist init-db
	@if $(VENV)/bin/assist demo-data --help >/dev/null 2>&1; then $(VENV)/bin/assist demo-data; fi

run: setup db
	$(VENV)/bin/assist serve --host $(HOST) --port $(PORT)

## Security checks (docs/security.md): bandit on the code that ships, pip-audit on this venv's packages.
lint: $(VENV_STAMP)
	$(VENV)/bin/bandit --quiet -c pyproject.toml -r assist -x assist/storage
	$(VENV)/bin/bandit --quiet -c pyproject.toml -r assist/storage --skip B608
	@mkdir -p $(STAMPS)
	@$(VENV)/bin/pip-audit --skip-editable --progress-spinner off >$(STAMPS)/pip-audit.log 2>&1 \
	  || { cat $(STAMPS)/pip-audit.log; exit 1; }
	@skipped=$$(grep -c 'could not be audited' $(STAMPS)/pip-audit.log || true); \
	  if [ "$$skipped" = 0 ]; then echo "pip-audit: no known vulnerabilities"; \
	  else echo "pip-audit: no known vulnerabilities found, but $$skipped packages could not be looked up on pypi.org and were NOT audited (see $(STAMPS)/pip-audit.log)"; fi

test: setup lint
	@test -n "$(CHROMIUM)" || { echo "chromium is needed for the browser tests: run 'make system-deps' as root" >&2; exit 1; }
	ASSIST_CHROMIUM=$(CHROMIUM) $(VENV)/bin/python -m pytest -n $(PYTEST_WORKERS) $(TESTS)

## Mutation testing (docs/testing.md#mutation-testing): mutmut on the modules whose mistakes hurt residents
## most, each with only its own tests, one after another; prints mutants, killed and survived per module.
## MUTATE="routing crypto" runs some of them (scripts/mutate.py --list names them). Not part of make test.
MUTATE ?=
mutate: $(VENV_STAMP) compile-translations
	$(VENV)/bin/python scripts/mutate.py --max-children $(PYTEST_WORKERS) $(MUTATE)

bench: setup db
	$(VENV)/bin/python -m bench

clean:
	rm -rf $(DIST) $(STAMPS) build dist *.egg-info .pytest_cache .hypothesis test-output
	find translations -name '*.mo' -delete
	find . -name __pycache__ -type d -not -path './$(VENV)/*' -not -path './node_modules/*' -prune -exec rm -rf {} +

# Also the virtual environment and node_modules; data/ (residents' answers) is never touched.
distclean: clean
	rm -rf $(VENV) node_modules
