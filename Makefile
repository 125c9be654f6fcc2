# Two commands set everything up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench lint venv browser clean-test-data core-strings

venv: $(STAMP)

$(STAMP): requirements/ckan.txt requirements/run.txt requirements/test.txt setup.py
	@command -v gcc >/dev/null || { echo "gcc is missing: install it (apt-get install gcc) and run again"; exit 1; }
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 10), "Python 3.10+ needed"' \
	  || { echo "Python 3.10 or newer is needed (found $$($(PYTHON) --version))"; exit 1; }
	@$(PYTHON) -c 'import sysconfig, os; p = sysconfig.get_paths()["include"]; assert os.path.exists(os.path.join(p, "Python.h"))' \
	  || { echo "Python headers are missing: install python3-dev (Debian) and run again"; exit 1; }
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip setuptools wheel
	$(BIN)/pip install -q -r requirements/test.txt
	$(BIN)/pip install -q --no-deps -e .
	touch $(STAMP)

# `make run MODE=prod` (or WEB_WORKERS=4 JOB_WORKERS=2 make run): gunicorn with WEB_WORKERS
# processes (WEB_THREADS threads each), JOB_WORKERS RQ workers; see docs/deployment.md.
run: venv
	$(BIN)/python -m devstack.run

# Debian's chromium for the browser tests: installed when missing and we are root.
browser:
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; \
	  else echo "chromium is missing: install Debian's chromium package (browser tests need it)"; fi; }
	@# axe-core (accessibility checks injected into pages): npm, pinned in tests/browser/package-lock.json
	@test -f tests/browser/node_modules/axe-core/axe.min.js || { \
	  if command -v npm >/dev/null; then npm ci --prefix tests/browser --no-audit --no-fund -q; \
	  else echo "npm is missing: install Debian's npm package (the accessibility checks need axe-core)"; fi; }

test: venv browser lint
	$(BIN)/python -m devstack.testrun $(ARGS)

lint: venv
	$(BIN)/ruff check ckanext devstack tests bench

bench: venv
	$(BIN)/python -m bench $(ARGS)

# CKAN core's messages still untranslated (Indonesian) on the pages citizens and officers meet.
core-strings: venv
	$(BIN)/python -m devstack.core_strings $(ARGS)

clean-test-data:
	rm -rf .data/test
