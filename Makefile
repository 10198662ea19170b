# Two entry points (see README.md). Each creates .venv and installs what it needs first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt pyproject.toml | cksum | cut -d' ' -f1)
OUT ?= out/demo
JOBS ?= 2
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

.PHONY: demo test browser sandbox postgresql release lint clean

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

## demo: release the student notebooks and grade the demo class into $(OUT)
demo: $(STAMP) sandbox
	$(BIN)/python -m autograder demo $(OUT) --jobs $(JOBS)

## test: the whole test suite
test: $(STAMP) browser sandbox postgresql
	$(BIN)/python -m pytest

## browser: Debian's chromium for the browser test (tests/test_browser.py); never `playwright install`
browser:
	test -x /usr/bin/chromium || ($(SUDO) apt-get update -qq && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)

## sandbox: Debian's bubblewrap, the sandbox every submission's kernel runs in
sandbox:
	test -x /usr/bin/bwrap || ($(SUDO) apt-get update -qq && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq bubblewrap)

## postgresql: Debian's PostgreSQL server, which tests/test_postgres_gradebook.py starts (grade --db)
postgresql:
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || ($(SUDO) apt-get update -qq && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql)

release: $(STAMP)
	$(BIN)/python -m autograder release

lint: $(STAMP)
	$(BIN)/python -m ruff check .

clean:
	rm -rf out .pytest_cache
