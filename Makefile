# Werkbrug — two commands: `make demo` and `make test`. See README.md.
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
WERKBRUG := $(BIN)/werkbrug
DEMO_ENV := DJANGO_SETTINGS_MODULE=werkbrug.conf.demo

.PHONY: demo test test-quick stack-test lint schema messages bench clean up down

# The newest Python >= 3.12 on the machine (Django 6.1 needs it); else python3 (Django 5.2 LTS).
PYTHON ?= $(shell bin/find-python)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

demo: $(VENV)/.installed
	$(DEMO_ENV) $(WERKBRUG) migrate --no-input -v 0
	$(DEMO_ENV) $(WERKBRUG) demo
	@echo ""
	@echo "  Werkbrug demo: http://127.0.0.1:$(PORT)/   (stop with Ctrl+C)"
	@echo "  Scheduled tasks (sealing, escalations, reminders, digests) run in the same process."
	@echo ""
	WERKBRUG_BASE_URL=http://127.0.0.1:$(PORT) $(DEMO_ENV) $(WERKBRUG) demo_serve --noreload 127.0.0.1:$(PORT)

test: $(VENV)/.installed-dev
	$(BIN)/pytest -n 2 --dist loadfile

test-quick: $(VENV)/.installed-dev
	$(BIN)/pytest -n 2 --dist loadfile -m "not browser and not slow"

# The whole stack without containers (tests/stack): PostgreSQL (DATABASE_URL) and Redis needed.
stack-test: $(VENV)/.installed-dev
	WERKBRUG_REQUIRE_STACK=1 $(BIN)/pytest -p no:xdist -s tests/stack

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check src tests bench

schema: $(VENV)/.installed
	env -u DATABASE_URL DJANGO_SETTINGS_MODULE=werkbrug.conf.test $(WERKBRUG) spectacular --file docs/api/openapi.yaml --validate

messages: $(VENV)/.installed
	cd src/werkbrug && DJANGO_SETTINGS_MODULE=werkbrug.conf.test ../../$(WERKBRUG) makemessages -l nl -l en --no-obsolete
	cd src/werkbrug && DJANGO_SETTINGS_MODULE=werkbrug.conf.test ../../$(WERKBRUG) compilemessages

bench: $(VENV)/.installed-dev
	$(BIN)/python bench/load.py

# The production stack in containers, on loopback with TLS (compose.yaml, docs/operations.md).
COMPOSE := docker compose --env-file .env.compose
STACK_PORT ?= 8443

.env.compose:
	bin/compose-env > $@
	chmod 600 $@

up: .env.compose
	WERKBRUG_PORT=$(STACK_PORT) $(COMPOSE) up --detach --build --wait
	@echo ""
	@echo "  Werkbrug stack: https://localhost:$(STACK_PORT)/   (Caddy's internal CA; stop with make down)"
	@echo "  First account: $(COMPOSE) exec web1 werkbrug createsuperuser"
	@echo ""

down:
	$(COMPOSE) down

clean:
	rm -rf $(VENV) var
