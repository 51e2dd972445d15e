# Quick start: `make run` (demo on SQLite) and `make test` (every test).
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app app
PYTEST_ARGS ?=
export FLASK_APP := app

.PHONY: run test install sysdeps test-sysdeps translations messages migrate demo lint clean screenshots

$(PY):
	python3 -m venv $(VENV)

# Reinstall only when the dependencies change.
$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

install: sysdeps $(VENV)/.installed translations

# WeasyPrint needs Pango; HarfBuzz's subsetting library makes font embedding fast.
sysdeps:
	@bash scripts/sysdeps.sh runtime

# Real-browser tests need Debian's Chromium; PDF text checks use poppler's pdftotext.
test-sysdeps:
	@bash scripts/sysdeps.sh test

translations: $(VENV)/.installed
	@$(VENV)/bin/pybabel compile -d hr_social/translations >/dev/null

# Babel skips directories starting with _ by default: templates/_macros holds strings too.
messages: $(VENV)/.installed
	$(VENV)/bin/pybabel extract -F babel.cfg -k _l -k lazy_gettext --ignore-dirs '.* __pycache__' -o hr_social/translations/messages.pot .
	$(VENV)/bin/pybabel update --no-fuzzy-matching -i hr_social/translations/messages.pot -d hr_social/translations

migrate: install
	$(FLASK) db upgrade

demo: migrate
	$(FLASK) demo seed --if-empty

run: demo
	@$(FLASK) demo logins
	$(FLASK) run --host 127.0.0.1 --port 5000

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .

# The main suite runs without the Playwright plugin (its event loop breaks pyHanko's
# synchronous API); the browser tests run in their own invocation, then coverage adds up.
test: install test-sysdeps lint
	$(VENV)/bin/pytest -p no:playwright -m "not browser" --cov=hr_social --cov-report= $(PYTEST_ARGS)
	$(VENV)/bin/pytest -m browser --cov=hr_social --cov-append --cov-report=term:skip-covered --cov-fail-under=90 $(PYTEST_ARGS)

# Every role's home at 1366 px and 390 px, on a fresh demo database, into screenshots/.
screenshots: install test-sysdeps
	$(PY) scripts/screenshots.py --out screenshots

clean:
	rm -rf $(VENV) .coverage
