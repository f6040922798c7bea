# Two commands do all set-up on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PORT ?= 8000
export DJANGO_SETTINGS_MODULE := config.settings

.PHONY: install run test test-all messages lint bench audit clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Potrzebny $(PYTHON)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[dev]"
	touch $(STAMP)

install: $(STAMP) messages node_modules

# axe-core for the browser tests' accessibility gate (package.json, pinned in package-lock.json).
# Without npm the e2e tests fail with a hint; nothing the users see comes from node_modules.
node_modules: package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --loglevel=error && touch node_modules; \
	else echo "npm not found: apt-get install nodejs npm (the e2e accessibility gate needs axe-core)"; fi

messages: $(STAMP)
	@if command -v msgfmt >/dev/null; then $(PY) manage.py compilemessages -v0 --ignore=.venv; \
	else $(PY) -m config.i18n_compile; fi

# Embedded default: SQLite in var/, Celery in-process, runserver. With DATABASE_URL and REDIS_URL:
# web (gunicorn) + Celery worker + beat through honcho (Procfile).
run: install
	DEBUG=$${DEBUG:-true} $(PY) manage.py migrate --noinput
	DEBUG=$${DEBUG:-true} $(PY) manage.py seed_demo
	$(PY) manage.py collectstatic --noinput -v0
	@if [[ -n "$$DATABASE_URL" && -n "$$REDIS_URL" ]]; then \
		echo "Pełny stos: web + worker + beat (Procfile)"; \
		DEBUG=$${DEBUG:-true} $(VENV)/bin/honcho start -f Procfile -p $(PORT); \
	else \
		echo "Tryb wbudowany: SQLite (var/db.sqlite3), zadania Celery w procesie. http://127.0.0.1:$(PORT)"; \
		DEBUG=$${DEBUG:-true} $(PY) manage.py runserver 127.0.0.1:$(PORT); \
	fi

# The whole suite (PostgreSQL when DATABASE_URL is set). The slow fault tests (tests/faults: they
# start their own Redis, PostgreSQL cluster, gunicorn and Celery workers) run in CI — .ci/run sets
# CI=true — and in `make test-all`; a local `make test` leaves them out.
ifneq ($(filter true 1 yes,$(CI)),)
TEST_SELECTION :=
else
TEST_SELECTION := -m "not slow"
endif

# The suite runs in TEST_WORKERS processes (pytest-xdist; `auto` = one per core, 0 = in this one),
# each with its own test database and Redis database (tests/environment.py).
TEST_WORKERS ?= auto

# Searches must ignore case and diacritics on both databases: after a PostgreSQL run their tests
# run once more on SQLite (the embedded default of `make run`).
BOTH_DATABASES := tests/families/test_search_folded.py tests/reporting/test_participant_search.py \
	tests/reporting/test_budget.py tests/support_network/test_catalogue.py

test: install
	$(PY) -m pytest -q -n $(TEST_WORKERS) $(TEST_SELECTION) $(PYTEST_ARGS)
	@if [[ -n "$$DATABASE_URL" ]]; then echo "The searches again on SQLite:"; \
		env -u DATABASE_URL -u REDIS_URL $(PY) -m pytest -q -n 0 $(BOTH_DATABASES); fi

test-all: install
	$(PY) -m pytest -q -n $(TEST_WORKERS) $(PYTEST_ARGS)

# The house's habits (docs/development.md), in order, stopping at the first failure.
lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check --output-format concise .
	$(VENV)/bin/djlint templates --lint
	$(VENV)/bin/mypy
	$(PY) scripts/deadcode.py
	$(PY) scripts/check_docs.py

clean:
	rm -rf $(VENV) var/static

# Dependency vulnerabilities (pip-audit, PyPI advisory data) and high-severity code findings (bandit).
# Prints how many packages were really audited: where the package index does not serve the
# vulnerability data, none are, and it says so (scripts/audit.py; AUDIT_STRICT=1 makes that fail).
audit: $(STAMP)
	$(PY) scripts/audit.py

# City-scale benchmark against PostgreSQL + Redis (generates or reuses scale L in app_bench).
bench: install
	$(PY) bench/run.py
