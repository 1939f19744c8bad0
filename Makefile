# ITB Care: `make run` serves the site, `make test` runs every check. Both set up what they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PYTEST_ARGS ?=
# Two pytest-xdist workers (the machine has 2 cores): the browser tests on one, the rest shared
# (tests/conftest.py groups them). `make test PYTEST_WORKERS=0` runs everything in one process.
PYTEST_WORKERS ?= 2
CHROMIUM ?= /usr/bin/chromium
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: messages translations-todo compilemessages run test install migrate check-browser lint bench bench-imports loadtest faulttest prodcheck prodstack clean

$(STAMP): requirements.txt pyproject.toml package.json package-lock.json
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -r requirements.txt 2>&1 | grep -v "^WARNING: Location 'file:" || true
	$(BIN)/python -c "import django, psycopg, playwright" # fail here, loudly, if the install did not work
	npm ci --silent --no-audit --no-fund
	touch $(STAMP)

install: $(STAMP)

# Development server on SQLite (no DATABASE_URL needed), with the import worker beside it (it reads
# uploaded training files; stopped with the server).
run: export DEBUG ?= 1
run: $(STAMP) compilemessages
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_exercises
	$(BIN)/python manage.py import_worker & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/python manage.py runserver 127.0.0.1:8000

check-browser:
	@test -x $(CHROMIUM) || { \
	  echo ""; \
	  echo "Browser tests need Debian's Chromium at $(CHROMIUM), which is missing."; \
	  echo "Install it with:  sudo apt-get install -y chromium"; \
	  echo "(or run the rest now with:  make test PYTEST_ARGS='-m \"not browser\"')"; \
	  echo ""; \
	  case '$(PYTEST_ARGS)' in *"not browser"*) ;; *) exit 1 ;; esac; }

# manage.py during tests uses the test settings (a throwaway SECRET_KEY; production refuses to
# start without one).
TEST_MANAGE := DJANGO_SETTINGS_MODULE=tests.settings $(BIN)/python manage.py

# Translations (README, "Languages"): `make messages` brings every locale/<lang>/.../django.po up
# to date with the code (makemessages, then the clinical-draft note on clinical entries);
# `make translations-todo` lists what is untranslated, fuzzy or has a broken placeholder. The
# compiled .mo files are built here, never committed (gettext's msgfmt: `apt-get install gettext`).
messages: $(STAMP)
	$(BIN)/python -m kit.translations update

translations-todo: $(STAMP)
	$(BIN)/python -m kit.translations todo

compilemessages: $(STAMP)
	$(TEST_MANAGE) compilemessages --ignore='.venv' --ignore='node_modules' --verbosity 0

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(TEST_MANAGE) makemigrations --check --dry-run

# Everything: lint, migrations check, static files, the whole pytest suite (browser tests included).
# SQLite by default; set DATABASE_URL=postgres://... to run the same suite on PostgreSQL.
test: $(STAMP) check-browser lint compilemessages
	$(TEST_MANAGE) collectstatic --noinput --verbosity 0
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) staticfiles node_modules .run artifacts db.sqlite3

# Benchmarks, load and fault tests (not part of `make test`). Each one creates, starts and stops
# its own PostgreSQL cluster (port BENCH_PG_PORT, default 5433; never the shared 5432) and serves
# the app with gunicorn and production settings; results go to artifacts/bench/. See bench/README.md.
bench: $(STAMP)
	$(BIN)/python -m bench bench
	$(BIN)/python -m bench imports

# Reading a synthetic 1,000-activity Strava export: time per 1,000 activities and peak memory.
bench-imports: $(STAMP)
	$(BIN)/python -m bench imports

loadtest: $(STAMP)
	$(BIN)/python -m bench loadtest

faulttest: $(STAMP)
	$(BIN)/python -m bench faulttest

# The production setup of deploy/ on this machine (not part of `make test`; ~2 minutes): a private
# PostgreSQL (BENCH_PG_PORT), two app servers with deploy/gunicorn.conf.py, Debian's nginx with
# deploy/nginx/itbcare.conf and a self-signed certificate; then a person's whole journey over
# HTTPS across both, the production headers, a rolling restart under load (0 errors, 0 lost
# writes), send_reminders on both at once (each reminder once), health checks, rate limits, logs,
# a backup restored. Prints PASS/FAIL with the figures. `prodstack` starts the same stack with a
# signed-in person and leaves it running for a scanner until Ctrl-C.
prodcheck: $(STAMP)
	$(BIN)/python -m bench prodcheck

prodstack: $(STAMP)
	$(BIN)/python -m bench prodstack
