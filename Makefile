# Entry points for a newcomer: `make run` and `make test` do the whole set-up.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000
# pytest-xdist workers; "auto" uses every core
WORKERS ?= auto

.PHONY: help install run test lint audit format messages compilemessages bench prodcheck reliability worker beat clean

help:
	@echo "make run     - set up everything and serve on http://$(HOST):$(PORT) (SQLite, Celery in-process)"
	@echo "make test    - run the test suite"
	@echo "make lint    - ruff check and format check, bandit (security lint)"
	@echo "make audit   - pip-audit: known vulnerabilities in requirements.txt (needs the advisory database online)"
	@echo "make bench   - list/dashboard benchmark with many companies"
	@echo "make prodcheck - DEBUG off: collectstatic, check --deploy, gunicorn serves the login page and a static file"
	@echo "make reliability - fault scenarios on throw-away servers: worker killed, Redis down, PostgreSQL restarted"
	@echo "make messages - extract new translatable strings into locale/es (needs GNU gettext)"

$(STAMP): requirements.txt requirements-dev.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

.env:
	cp .env.example .env

compilemessages: install .env
	$(PY) manage.py compilecatalogues

run: install .env compilemessages
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install compilemessages
	$(BIN)/pytest -n $(WORKERS) $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/bandit -q -c pyproject.toml -r .

# Fails on a known vulnerability. Offline (no PyPI JSON API or OSV) it can audit nothing and says which
# packages it skipped; --strict would turn that into a failure.
audit: install
	$(BIN)/pip-audit -r requirements.txt

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

messages: install .env
	$(PY) manage.py makemessages -l es --no-location --ignore=.venv --ignore=staticfiles --ignore=static
	$(PY) manage.py compilecatalogues

# Its own SQLite files under bench-results/ (or BENCH_DATABASE_URL); knobs in bench/run.py and the README.
bench: install .env compilemessages
	$(PY) bench/run.py

# The production shape starts (CI runs it after the tests); temporary database and STATIC_ROOT.
prodcheck: install
	$(PY) .ci/prodcheck.py

# The three fault scenarios against its own PostgreSQL 15, redis-server, gunicorn and Celery workers,
# all on free loopback ports and stopped at the end (needs redis-server and PostgreSQL 15; CI runs it).
reliability: install
	$(PY) reliability/run.py

# Production shape: run each in its own terminal (or as services) with the environment set.
worker: install
	$(BIN)/celery -A cat_center worker --loglevel=INFO

beat: install
	$(BIN)/celery -A cat_center beat --loglevel=INFO

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
