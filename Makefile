# Two commands do everything on a fresh machine with Python 3.11 and PyPI:
#   make run    builds .venv from the pinned requirements (once), then runs the pipeline
#   make test   builds .venv (once), then runs the tests
PYTHON ?= python3.11
VENV := .venv
STAMP := $(VENV)/.installed-$(shell cat requirements.txt pyproject.toml | sha256sum | cut -c1-16)

.PHONY: run test setup clean-warehouse

run: $(STAMP)
	$(VENV)/bin/planwatch run

test: $(STAMP)
	$(VENV)/bin/python -m pytest

setup: $(STAMP)

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
