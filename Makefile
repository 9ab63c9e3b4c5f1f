# The two front doors: `make demo` (set up, seed demo data, run the portal) and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
SCALE ?= demo
PORT ?= 8501

.PHONY: demo test setup setup-dev system-packages seed run bench lint

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

setup: $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt

setup-dev: $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt

# Debian's Chromium and CJK fonts for the browser tests (root, or sudo when present)
system-packages:
	@command -v chromium >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-noto-cjk; }

seed: setup
	$(BIN)/python -m warehouse migrate
	$(BIN)/python -m seed --scale $(SCALE) --if-empty

run:
	$(BIN)/streamlit run portal/app.py --server.port $(PORT) --server.headless true --browser.gatherUsageStats false

demo: seed run

test: system-packages setup-dev
	$(BIN)/python -m pytest -q

# every benchmark against the warehouse in EPI_WAREHOUSE_URL (seed it first: make seed SCALE=…)
bench: setup
	$(BIN)/python -m bench.cockpit
	$(BIN)/python -m bench.tracing
	$(BIN)/python -m bench.zones
	$(BIN)/python -m bench.appeals
	$(BIN)/python -m bench.person_file
	$(BIN)/python -m bench.briefing

lint: setup-dev
	$(BIN)/ruff check .
