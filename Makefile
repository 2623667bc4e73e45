# Two commands do everything on a fresh machine with Python 3.11 and PyPI:
#   make run    builds .venv from the pinned requirements (once), then runs the pipeline
#   make test   builds .venv (once), then runs the tests
PYTHON ?= python3.11
VENV := .venv
STAMP := $(VENV)/.installed-$(shell cat requirements.txt pyproject.toml | sha256sum | cut -c1-16)

.PHONY: run test setup system-deps clean-warehouse lock deploy bench prefect-postgres

run: system-deps $(STAMP)
	$(VENV)/bin/planwatch run

test: system-deps $(STAMP)
	$(VENV)/bin/python -m pytest

setup: system-deps $(STAMP)

# Benchmarks (README "Performance"): MB of plan text extracted per second per core, then the statistics load.
bench: $(STAMP)
	$(VENV)/bin/python benchmarks/extract_plans.py
	$(VENV)/bin/python benchmarks/load_statistics.py

# Deploy to the Prefect server at PREFECT_API_URL: work pool, the planwatch-warehouse global
# concurrency limit (1), every deployment of prefect.yaml (README "Scheduling").
deploy: $(STAMP)
	$(VENV)/bin/planwatch deploy

# A standing Prefect server on a PostgreSQL of its own, every deployment, and WORKERS process workers
# on the pool, in the foreground until Ctrl-C (scripts/prefect_server_postgres.sh says what it sets up).
WORKERS ?= 2
prefect-postgres: $(STAMP)
	scripts/prefect_server_postgres.sh --workers $(WORKERS)

# The report's browser test and its Chinese charts need Chromium, its driver and a CJK font
# (Debian packages; installed once, as root, when missing).
system-deps:
	@if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ] || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium chromium-driver fonts-noto-cjk fontconfig; \
	  else echo "planwatch needs: sudo apt-get install chromium chromium-driver fonts-noto-cjk"; exit 1; fi; fi

$(STAMP): requirements.txt pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "need $(PYTHON) (set PYTHON=/path/to/python3.11)"; exit 1; }
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "planwatch needs Python 3.11, found " + sys.version.split()[0]'
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --upgrade pip==26.3
	$(VENV)/bin/python -m pip install --quiet -r requirements.txt
	$(VENV)/bin/python -m pip install --quiet --no-deps -e .
	rm -f $(VENV)/.installed-*
	touch $@

clean-warehouse:
	rm -rf warehouse

# Regenerate the lock: install requirements.in into a scratch venv and freeze it. Packages that
# requirements.in does not name keep their locked versions (constraints from the current lock),
# so changing one pin moves only what it has to; `make lock FRESH=1` resolves everything anew.
lock:
	@set -e; tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	$(PYTHON) -m venv "$$tmp/venv"; \
	"$$tmp/venv/bin/python" -m pip install --quiet --upgrade pip==26.3; \
	if [ -z "$(FRESH)" ]; then \
	  "$$tmp/venv/bin/python" -c 'import re, sys; norm = lambda n: re.sub(r"[-_.]+", "-", n).lower(); direct = {norm(l.split("==")[0]) for l in open("requirements.in") if "==" in l and not l.startswith("#")}; [print(l, end="") for l in open("requirements.txt") if "==" in l and not l.startswith("#") and norm(l.split("==")[0]) not in direct]' > "$$tmp/constraints.txt"; \
	else : > "$$tmp/constraints.txt"; fi; \
	"$$tmp/venv/bin/python" -m pip install --quiet -r requirements.in -c "$$tmp/constraints.txt"; \
	"$$tmp/venv/bin/python" -m pip check; \
	{ echo "# Full lock: every package and version the project installs (pip freeze of requirements.in on Python 3.11)."; \
	  "$$tmp/venv/bin/python" -m pip freeze --all | grep -v -E '^(pip|setuptools|wheel)==' | LC_ALL=C sort -f; } > requirements.txt
