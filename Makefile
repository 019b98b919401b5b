# The two commands a newcomer needs: `make demo` and `make test`.
PYTHON ?= python3
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test setup translations clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml scripts/bootstrap.sh
	PYTHON=$(PYTHON) sh scripts/bootstrap.sh
	touch $@

## Set up, build the demo Helsinki on SQLite and serve it at http://127.0.0.1:$(PORT)/
demo: setup
	PORT=$(PORT) sh scripts/demo.sh

## Set up and run every check: lint, migrations, deploy check, SQLite, PostgreSQL, browser
test: setup
	sh scripts/test.sh

## Re-extract interface strings and compile them (needs GNU gettext).
translations: setup
	sh scripts/translations.sh

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
