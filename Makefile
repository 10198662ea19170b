# Two entry points (see README.md). Each creates .venv and installs what it needs first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt pyproject.toml | cksum | cut -d' ' -f1)
OUT ?= out/demo
JOBS ?= 2

.PHONY: demo test release lint clean

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

## demo: release the student notebooks and grade the demo class into $(OUT)
demo: $(STAMP)
	$(BIN)/python -m autograder demo $(OUT) --jobs $(JOBS)

## test: the whole test suite
test: $(STAMP)
	$(BIN)/python -m pytest

release: $(STAMP)
	$(BIN)/python -m autograder release

lint: $(STAMP)
	$(BIN)/python -m ruff check .

clean:
	rm -rf out .pytest_cache
