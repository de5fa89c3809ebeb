# Quick start: `make demo` opens the app on a demo school, `make test` runs every test.
# Both create the virtual environment in .venv on first use (needs python3 with venv).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DB ?= demo/journal.db
DEMO_URL := sqlite:///$(DEMO_DB)
PYTEST_ARGS ?=

.PHONY: demo test test-fast lint venv clean-demo bench constraints snapshots

EXTRAS ?= dev,postgres,ssh

# constraints.txt pins every package the test suite last ran with (school servers install
# the same versions); refresh it with `make constraints` after changing dependencies.
$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -m venv $(VENV) || { echo "python3 -m venv failed: install python3-venv (apt-get install python3-venv)"; exit 1; }
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -c constraints.txt -e '.[$(EXTRAS)]'
	@touch $(STAMP)

venv: $(STAMP)

$(DEMO_DB): | $(STAMP)
	$(BIN)/tui-journal demo --db $(DEMO_URL) --size school

demo: $(STAMP) $(DEMO_DB)
	@$(BIN)/tui-journal demo-logins --db $(DEMO_URL)
	$(BIN)/tui-journal run --db $(DEMO_URL)

test: $(STAMP)
	$(BIN)/pytest -n auto -q $(PYTEST_ARGS)

# Domain and services on SQLite only: the minute-long loop while changing rules.
test-fast: $(STAMP)
	TUI_JOURNAL_TEST_PG= $(BIN)/pytest -n auto -q tests/domain tests/services $(PYTEST_ARGS)

# Regenerate the 80x24 screenshots of every screen (tests/ui/snapshots) after a deliberate
# change of a screen; look at the changed SVGs before committing them.
snapshots: $(STAMP)
	$(BIN)/pytest -n 2 -q -p no:randomly tests/ui/snapshots --snapshot-update

constraints: $(STAMP)
	$(BIN)/pip freeze --exclude-editable | grep -v '^-e ' > constraints.txt

# ruff, mypy over the package, the tests and the benches (pyproject.toml [tool.mypy] files),
# the import contracts.
lint: $(STAMP)
	$(BIN)/ruff check tui_journal tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

clean-demo:
	rm -rf demo
