# The two front doors: `make demo` (set up, seed demo data, run the portal) and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
SCALE ?= demo
PORT ?= 8501

.PHONY: demo test setup setup-dev system-packages seed users run bench lint

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

# one demo user per role, with random passwords printed once, only while the user store is empty
users: setup
	$(BIN)/python -m portal.auth demo-users

run:
	$(BIN)/streamlit run portal/app.py --server.port $(PORT) --server.headless true --browser.gatherUsageStats false

demo: seed users run

test: system-packages setup-dev
	$(BIN)/python -m pytest -q

# every benchmark against the warehouse in EPI_WAREHOUSE_URL (seed it first: make seed SCALE=…)
bench: setup
	$(BIN)/python -m bench
	$(BIN)/python -m bench.adhoc

lint: setup-dev
	$(BIN)/ruff check .
