# Coworking Visa Directory. `make run` serves the site; `make test` runs the whole suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000
PG_TEST_URL ?= postgresql://postgres@127.0.0.1:5432/test

.PHONY: install geodata run test test-sqlite test-postgres lint bench messages clean

$(VENV)/.installed: setup.cfg pyproject.toml
	@echo "==> Creating $(VENV) and installing the package"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test,bench]"
	@touch $@

install: $(VENV)/.installed geodata

# Gazetteer index and country outlines; skipped when already built.
geodata: $(VENV)/.installed
	@$(BIN)/python -m geodata.build

run: install
	@echo "==> Applying migrations"
	$(FLASK) db upgrade
	$(FLASK) visa seed-demo --if-empty
	@echo "==> Serving http://$(HOST):$(PORT) (Ctrl-C stops)"
	$(BIN)/gunicorn --bind $(HOST):$(PORT) --workers 2 --threads 4 --access-logfile - wsgi:app

lint: $(VENV)/.installed
	$(BIN)/ruff check visa geodata tests bench wsgi.py

test: install lint test-sqlite test-postgres

test-sqlite: install
	@echo "==> Test suite on SQLite"
	$(BIN)/python -m pytest

# CI requires PostgreSQL; elsewhere its absence is reported, not hidden.
test-postgres: install
	@if $(BIN)/python -c "import psycopg; psycopg.connect('$(PG_TEST_URL)', connect_timeout=3).close()" 2>/dev/null; then \
		echo "==> Test suite on PostgreSQL ($(PG_TEST_URL))"; \
		VISA_TEST_DATABASE_URL=$(PG_TEST_URL) $(BIN)/python -m pytest; \
	elif [ -n "$$CI" ]; then \
		echo "PostgreSQL at $(PG_TEST_URL) is not reachable and CI requires it"; exit 1; \
	else \
		echo "*** PostgreSQL at $(PG_TEST_URL) is not reachable: the PostgreSQL run was SKIPPED ***"; \
	fi

bench: install
	@command -v pg_config >/dev/null && ls /usr/share/postgresql/*/extension/postgis.control >/dev/null 2>&1 || \
		(echo "==> Installing PostGIS for the reference query" && apt-get update -qq && \
		 DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15-postgis-3 >/dev/null) || \
		echo "*** PostGIS could not be installed: its row will say so ***"
	$(BIN)/python -m bench

# Extract translatable texts into visa/translations/messages.pot (Flask-Babel).
messages: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k N_ -o visa/translations/messages.pot .

clean:
	rm -rf $(VENV) geodata/build artifacts .pytest_cache .ruff_cache
