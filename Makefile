# Coworking Visa Directory. `make run` serves the site; `make test` runs the whole suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000
PG_TEST_URL ?= postgresql://postgres@127.0.0.1:5432/test

.PHONY: install lock geodata translations new-language run test test-lint test-sqlite test-postgres lint bench messages clean

LOCK := requirements.lock

# Every dependency (runtime, test, bench and the build backend) comes from the hashed lock,
# so a fresh machine gets exactly the versions the suite passed with; the package itself
# is then installed without resolving anything again.
$(VENV)/.installed: $(LOCK) setup.cfg setup.py pyproject.toml
	@echo "==> Creating $(VENV) and installing the locked dependencies ($(LOCK))"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes --no-deps -r $(LOCK)
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	@touch $@

# Refresh the lock after changing setup.cfg's dependencies, or to take upgrades
# (make lock UPGRADE=1); then run make test before committing the new lock.
LOCK_VENV := .venv-lock
lock:
	@test -x $(LOCK_VENV)/bin/pip-compile || { $(PYTHON) -m venv $(LOCK_VENV) && $(LOCK_VENV)/bin/pip install --quiet "pip-tools==7.7.0"; }
	$(LOCK_VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --all-build-deps \
		--extra test --extra bench --no-emit-index-url --no-emit-find-links --no-emit-trusted-host \
		$(if $(UPGRADE),--upgrade) --output-file $(LOCK) setup.cfg

install: $(VENV)/.installed geodata translations

# Compiled catalogues (.mo) are build products: made here from the .po files, never committed.
translations: $(VENV)/.installed
	@if ls visa/translations/*/LC_MESSAGES/messages.po >/dev/null 2>&1; then \
		$(BIN)/pybabel compile --statistics -d visa/translations 2>&1 | grep -v "^compiling" || true; fi

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
	$(BIN)/ruff check visa geodata tests bench wsgi.py gunicorn.conf.py

# Where each run leaves its log and its one-line result; PYTEST_ARGS narrows the runs.
RESULTS ?= artifacts/test-results
PYTEST_ARGS ?=

# The whole suite: ruff, SQLite, PostgreSQL. Every part runs even when an earlier
# one failed; the last lines say how each went, and the target fails if any did.
test: install
	@mkdir -p $(RESULTS); rm -f $(RESULTS)/*.txt; status=0; \
	$(MAKE) --no-print-directory test-lint || status=1; \
	$(MAKE) --no-print-directory test-sqlite || status=1; \
	$(MAKE) --no-print-directory test-postgres || status=1; \
	echo "==> Summary"; cat $(RESULTS)/lint.txt $(RESULTS)/sqlite.txt $(RESULTS)/postgres.txt; \
	exit $$status

test-lint: $(VENV)/.installed
	@mkdir -p $(RESULTS); \
	if $(BIN)/ruff check visa geodata tests bench wsgi.py gunicorn.conf.py; then echo "ruff: passed" > $(RESULTS)/lint.txt; \
	else echo "ruff: FAILED" > $(RESULTS)/lint.txt; exit 1; fi

# pytest with its output kept in $(RESULTS)/NAME.log and "LABEL: passed (counts)" or
# "LABEL: FAILED (counts)" in $(RESULTS)/NAME.txt; fails as pytest does. $(1) NAME, $(2) LABEL, $(3) environment,
# $(4) pytest options of that pass.
pytest_run = mkdir -p $(RESULTS); set -o pipefail; \
	$(3) $(BIN)/python -m pytest $(4) $(PYTEST_ARGS) 2>&1 | tee $(RESULTS)/$(1).log; status=$$?; \
	counts=$$(tail -n 1 $(RESULTS)/$(1).log | sed -E 's/^=+ //; s/ =+$$//'); \
	if [ $$status -eq 0 ]; then echo "$(2): passed ($$counts)"; else echo "$(2): FAILED ($$counts)"; fi \
		> $(RESULTS)/$(1).txt; \
	exit $$status

# The two slow tests of the whole installation run once each: the wheel in a fresh venv in the SQLite
# pass, nginx with two app servers (which needs PostgreSQL) in the PostgreSQL pass.
test-sqlite: install
	@echo "==> Test suite on SQLite"; \
	$(call pytest_run,sqlite,SQLite,VISA_TEST_DATABASE_URL=,-m "not deployment")

# CI requires PostgreSQL; elsewhere its absence is reported, not hidden.
test-postgres: install
	@mkdir -p $(RESULTS); \
	if ! $(BIN)/python -c "import psycopg; psycopg.connect('$(PG_TEST_URL)', connect_timeout=3).close()" 2>/dev/null; then \
		if [ -n "$$CI" ]; then \
			echo "PostgreSQL: FAILED (not reachable at $(PG_TEST_URL), and CI requires it)" | tee $(RESULTS)/postgres.txt; \
			exit 1; \
		fi; \
		echo "PostgreSQL: SKIPPED (not reachable at $(PG_TEST_URL))" | tee $(RESULTS)/postgres.txt; \
		exit 0; \
	fi; \
	echo "==> Test suite on PostgreSQL ($(PG_TEST_URL))"; \
	$(call pytest_run,postgres,PostgreSQL,VISA_TEST_DATABASE_URL=$(PG_TEST_URL),-m "not packaging")

bench: install
	@missing=""; \
	 ls /usr/share/postgresql/*/extension/postgis.control >/dev/null 2>&1 || missing="$$missing postgresql-$$(ls /usr/lib/postgresql | sort -n | tail -n1)-postgis-3"; \
	 command -v wrk >/dev/null || missing="$$missing wrk"; \
	 if [ -n "$$missing" ]; then \
		echo "==> Installing$$missing for the peer app and the load test"; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null) || \
		echo "*** could not install$$missing: the bench's rows will say what was not measured ***"; \
	 fi
	$(BIN)/python -m bench $(BENCH_ARGS)

# Extract translatable texts into visa/translations/messages.pot (Flask-Babel), bring every
# language's catalogue up to date with it, compile them, and report what each language still
# lacks (untranslated, fuzzy, placeholders that differ): fails while anything is missing.
messages: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k lazy_ngettext:1,2 -k lazy_pgettext:1c,2 -k N_ -c Translators: \
		--sort-by-file --msgid-bugs-address="" --project="Coworking Visa Directory" \
		-o visa/translations/messages.pot .
	@if ls visa/translations/*/LC_MESSAGES/messages.po >/dev/null 2>&1; then \
		$(BIN)/pybabel update --ignore-obsolete -i visa/translations/messages.pot -d visa/translations; fi
	@$(MAKE) --no-print-directory translations
	$(BIN)/python -m visa.catalogs

# A new language for translators: make new-language CODE=nl (then make messages reports what to translate).
new-language: $(VENV)/.installed
	@test -n "$(CODE)" || { echo "Give the language: make new-language CODE=nl"; exit 2; }
	$(BIN)/pybabel init -i visa/translations/messages.pot -d visa/translations -l $(CODE)

clean:
	rm -rf $(VENV) geodata/build artifacts .pytest_cache .ruff_cache
