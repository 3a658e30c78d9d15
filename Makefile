# Darkroom — the two commands: `make run` and `make test`. Everything else supports them.
VENV   ?= .venv
PY     := $(VENV)/bin/python
DR     := $(VENV)/bin/darkroom
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 8000
PYTEST_ARGS ?=

.PHONY: run test install browser loadtool bench lint format migrate demo screenshots clean

$(STAMP): pyproject.toml requirements.lock
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check "uv==0.13.9"
	$(VENV)/bin/uv pip sync -q --python $(PY) requirements.lock
	$(VENV)/bin/uv pip install -q --python $(PY) --no-deps -e .
	touch $@

install: $(STAMP)

# Browser tests drive Debian's Chromium (Playwright cannot download its own browser here).
browser:
	@test -x /usr/bin/chromium || { \
	  echo "Installing Chromium for the browser tests (apt-get)…"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends \
	    chromium zbar-tools poppler-utils fonts-dejavu-core >/dev/null; }

# The hub's HTTP benchmark drives the server with Debian's wrk (it falls back to Python threads).
loadtool:
	@command -v wrk >/dev/null || { \
	  echo "Installing wrk for the HTTP benchmark (apt-get)…"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends \
	    wrk >/dev/null; }

migrate: install
	$(DR) migrate --no-input -v0

demo: migrate
	$(DR) demo --url http://$(HOST):$(PORT)/

# A laptop has no mail server or SMS gateway: unless told otherwise, `make run` keeps messages in
# Darkroom (marked sent, "not delivered") instead of retrying them for days.
run: export DARKROOM_EMAIL_URL ?= keep:
run: export DARKROOM_SMS_URL ?= keep:
run: demo
	@$(DR) worker & worker=$$!; trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
	$(DR) serve --host $(HOST) --port $(PORT)

# The user guide's pictures of the reports (docs/images/), taken from the demo studio.
screenshots: demo browser
	@$(DR) serve --host $(HOST) --port $(PORT) & server=$$!; trap "kill $$server 2>/dev/null" EXIT INT TERM; \
	$(PY) docs/screenshots.py http://$(HOST):$(PORT)/

test: install browser
	$(PY) -m pytest -n auto $(PYTEST_ARGS)

bench: install loadtool
	$(PY) bench/run.py $(BENCH)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) var
