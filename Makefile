# Oncoreach: the one entry point for people and CI. `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
# Management commands read the same per-machine secret key the production server uses.
MANAGE := SECRET_KEY_FILE=var/secret_key $(PY) manage.py
PORT ?= 8000
# Where links in e-mails, PDFs, feeds and calendars point (and Wagtail's Site record): this machine
# on PORT unless SITE_URL is set. Only the targets that serve or write data get it (below).
SITE_URL ?= http://127.0.0.1:$(PORT)
SEED_PEOPLE ?= 6000
ARGS ?=
# The project is installed into .venv (editable); src stays on the path too, so a .venv made
# before that step still finds it.
export PYTHONPATH := src

.DEFAULT_GOAL := help
.PHONY: help install system-deps browser apt-install run serve worker test test-fast test-e2e test-api lint fmt typecheck imports check \
        migrate seed seed-full site-address reference-data messages translations bench-web bench-messages bench-mentoring bench-matching bench-review bench-conference bench-staffing clean \
        cluster-deps cluster test-faults
# Targets added later declare themselves phony next to their rule (fewer merge conflicts here).

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements/lock.txt
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed ($(PYTHON) not found)."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements/lock.txt
	$(VENV)/bin/pip install --quiet --no-deps --editable .
	touch $@

install: $(VENV)/.installed var/secret_key ## Create .venv with the pinned dependencies and the project (editable)

system-deps: ## Debian packages pip cannot bring: gettext (translations), Pango (PDF documents)
	@$(MAKE) --no-print-directory apt-install PACKAGES="gettext libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0"

browser: ## Debian's chromium, for the real-browser tests (never a downloaded browser)
	@$(MAKE) --no-print-directory apt-install PACKAGES="chromium"

apt-install:
	@missing=""; for package in $(PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$package 2>/dev/null | grep -q "ok installed" || missing="$$missing $$package"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO="sudo"; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

messages: install ## Compile translations (.po -> .mo)
	@if command -v msgfmt >/dev/null && [ -d src/oncoreach/locale ]; then cd src/oncoreach && SECRET_KEY_FILE=../../var/secret_key ../../$(PY) ../../manage.py compilemessages --verbosity 0; fi

translations: install ## Extract UI strings into the es/fr/pt/ar catalogues (then translate the new entries)
	cd src/oncoreach && PATH=$(CURDIR)/$(VENV)/bin:$$PATH DJANGO_SETTINGS_MODULE= django-admin makemessages \
	  -l es -l fr -l pt -l ar --no-obsolete --no-location -i 'migrations/*' -i 'static/*' -i 'data/*'
	@# msgfmt counts every entry, also those whose msgid wraps onto several lines.
	@for lang in es fr pt ar; do stats="$$(LC_ALL=C msgfmt --statistics -o /dev/null src/oncoreach/locale/$$lang/LC_MESSAGES/django.po 2>&1)"; \
	  printf '%s: %s untranslated, %s fuzzy\n' $$lang \
	  "$$(echo "$$stats" | grep -oE '[0-9]+ untranslated' | grep -oE '[0-9]+' || echo 0)" \
	  "$$(echo "$$stats" | grep -oE '[0-9]+ fuzzy' | grep -oE '[0-9]+' || echo 0)"; done
	@echo "To translate the missing entries as JSON: $(MANAGE) translation_todo ar export todo.json (then import)"

migrate: install
	$(MANAGE) migrate --noinput --verbosity 0

reference-data: migrate ## Load countries and World Bank income groups (idempotent)
	$(MANAGE) load_reference_data

# The site's address for everything that serves, seeds or sends mail (and their prerequisites).
run serve worker seed seed-full site-address: export SITE_URL := $(SITE_URL)

site-address: migrate ## Point Wagtail's Site record at SITE_URL (http://127.0.0.1:$(PORT) by default)
	$(MANAGE) sync_site_address

seed: reference-data ## Build demo data if the database is empty (SEED_PEOPLE=45000 for full size)
	$(MANAGE) seed_demo --if-empty --people $(SEED_PEOPLE)

seed-full: reference-data ## Build the full-size demo data (45,000 people, 2,000 organizations, 1,500 stories)
	$(MANAGE) seed_demo --if-empty --full

run: install system-deps messages seed site-address ## Install, migrate, seed demo data when empty, and serve on 127.0.0.1:$(PORT) with the worker
	@DEBUG=1 $(MANAGE) print_demo_logins
	@trap 'kill 0' EXIT INT TERM; \
	DEBUG=1 $(MANAGE) worker --periodic 60 & \
	DEBUG=1 $(MANAGE) runserver 127.0.0.1:$(PORT) --noreload

var/secret_key: | $(VENV)/.installed
	@mkdir -p var/static var/media var/mail var/cache
	@$(PY) -c "import secrets; print(secrets.token_urlsafe(50))" > $@ && chmod 600 $@

serve: install migrate site-address ## Serve with the production configuration (gunicorn, DEBUG off, caching on)
	$(MANAGE) collectstatic --noinput --verbosity 0
	SECRET_KEY_FILE=var/secret_key $(VENV)/bin/gunicorn oncoreach.wsgi:application --config deploy/gunicorn.conf.py --bind 127.0.0.1:$(PORT)

worker: install ## Run background jobs (Django Tasks, database backend)
	$(MANAGE) worker

test: install system-deps browser messages ## Run the whole test suite (ARGS are passed to pytest)
	$(PY) -m pytest -n 2 --dist loadfile $(ARGS)

test-fast: install system-deps messages ## The suite without the browser tests (the PostgreSQL pass)
	$(PY) -m pytest -n 2 -m "not e2e" $(ARGS)

test-api: install ## schemathesis against the served API (loopback, small seeded database); fails on any finding
	API_TEST_PORT=$${API_TEST_PORT:-8601} bash tests/api/contract/run.sh

lint: install ## ruff format --check and ruff check
	$(VENV)/bin/ruff format --check src tests benchmarks deploy
	$(VENV)/bin/ruff check src tests benchmarks deploy

fmt: install ## Format and autofix
	$(VENV)/bin/ruff format src tests benchmarks deploy
	$(VENV)/bin/ruff check --fix src tests benchmarks deploy

typecheck: install ## mypy (strict on the matching engine)
	$(VENV)/bin/mypy --strict src/matching
	$(VENV)/bin/mypy src/oncoreach

imports: install ## import-linter contracts (layering, pure engine)
	$(VENV)/bin/lint-imports

check: lint typecheck imports ## What CI runs besides the tests
	$(MANAGE) makemigrations --check --dry-run
	SECRET_KEY=ci-check-$$RANDOM-not-a-real-secret-but-long-enough-for-the-deploy-check-0123456789 \
	  SECURE_SSL_REDIRECT=1 SESSION_COOKIE_SECURE=1 CSRF_COOKIE_SECURE=1 SECURE_HSTS_SECONDS=31536000 \
	  SECURE_HSTS_INCLUDE_SUBDOMAINS=1 SECURE_HSTS_PRELOAD=1 ALLOWED_HOSTS=oncoreach.example.org \
	  $(MANAGE) check --deploy --fail-level WARNING

cluster-deps: ## Debian's PostgreSQL 15 and Redis, for the local multi-node deployment
	@$(MAKE) --no-print-directory apt-install PACKAGES="postgresql-15 redis-server"

cluster: install cluster-deps ## A multi-node deployment on loopback: PostgreSQL, Redis, fake SMTP, 2 app servers, 2 workers, periodic job
	$(PY) deploy/localcluster.py

test-faults: install cluster-deps ## Fault experiments on that deployment: DB restart, worker SIGKILL, SMTP down, Redis down
	$(PY) benchmarks/faults/run.py $(ARGS)

bench-web: install system-deps ## Web benchmark: full-size data, production server, load from a second process
	$(PY) benchmarks/web/run.py

bench-messages: install ## Cohort messages: time to queue and to render 10,000 mails (goals 10 s and 60 s)
	$(PY) benchmarks/messages/run.py $(ARGS)

bench-matching: install ## Matching engine benchmark on the shared matchbench instances
	$(PY) benchmarks/matching/run.py

bench-review: install ## Reviewer assignment from the database: 3,000 applications x 600 reviewers x 3, end to end, checked against the engine CLI
	$(PY) benchmarks/matching/review.py

bench-conference: install ## Reviewer assignment at conference scale: 20,000 x 15,000, 3 each, engine CLI (ARGS=--verify-lp)
	$(PY) benchmarks/matching/conference.py $(ARGS)

bench-staffing: install ## Season staffing: 40 courses x 6 slots x 3,000 volunteers
	$(PY) benchmarks/matching/staffing.py

BENCH_DB := sqlite:////tmp/oncoreach-bench-mentoring.sqlite3
bench-mentoring: install ## Mentoring round 20,000 mentees x 5,000 mentors from the database, then a cascade after 5% decline (half mentors, half mentees), checked
	rm -f /tmp/oncoreach-bench-mentoring.sqlite3*
	DATABASE_URL=$(BENCH_DB) TASKS_BACKEND=django_tasks.backends.dummy.DummyBackend $(MANAGE) migrate -v0
	printf '\n## Mentoring round (make bench-mentoring) — %s\n\n| step | wall s | cpu s | peak MB | notes |\n|---|---|---|---|---|\n' "$$(date -u '+%Y-%m-%d %H:%M UTC')" >> benchmarks/RESULTS.md
	DATABASE_URL=$(BENCH_DB) TASKS_BACKEND=django_tasks.backends.dummy.DummyBackend $(MANAGE) bench_mentoring build --record $(ARGS)
	DATABASE_URL=$(BENCH_DB) TASKS_BACKEND=django_tasks.backends.dummy.DummyBackend $(MANAGE) bench_mentoring round --record
	DATABASE_URL=$(BENCH_DB) TASKS_BACKEND=django_tasks.backends.dummy.DummyBackend $(MANAGE) bench_mentoring cascade --record

clean: ## Remove the database, media, mail and caches under var/ (keeps .venv and var/secret_key)
	rm -rf var/oncoreach.sqlite3* var/cache var/media var/mail var/static
