# GreenDesk developer commands. See README.md.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# Two install stamps: `make run` needs only the app and its runtime libraries; tests, lint, bench and
# dist also need the developer tools (pytest, ruff, pyinstaller: the `dev` extra).
RUN_STAMP := $(VENV)/.installed-run
DEV_STAMP := $(VENV)/.installed-dev
DEMO   := demo/demo.greendesk
# -qq: errors only (the build backend's deprecation notes and pip's index notes are not for the user)
PIP    := $(BIN)/python -m pip install -qq --disable-pip-version-check
FUZZ_N ?= 3000

.PHONY: run test fuzz bench dist lint setup demo clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); scripts/sysdeps.sh venv && $(PYTHON) -m venv $(VENV); }
	$(PIP) --upgrade pip

$(RUN_STAMP): pyproject.toml | $(BIN)/python
	@echo "installing GreenDesk into $(VENV) ..."
	$(PIP) -e .
	touch $(RUN_STAMP)

$(DEV_STAMP): pyproject.toml | $(BIN)/python
	@echo "installing GreenDesk with the developer tools into $(VENV) ..."
	$(PIP) -e ".[dev]"
	touch $(RUN_STAMP) $(DEV_STAMP)

setup: $(DEV_STAMP)

$(DEMO): | $(RUN_STAMP)
	mkdir -p demo
	$(BIN)/greendesk demo $(DEMO) >/dev/null

demo: $(DEMO)

run: $(RUN_STAMP)
	@scripts/sysdeps.sh run
	@$(MAKE) --no-print-directory demo
	$(BIN)/greendesk open $(DEMO)

test: $(DEV_STAMP)
	scripts/sysdeps.sh test
	$(BIN)/python -m pytest -q

# Fuzz tests (marked fuzz) with many examples; `make test` runs them with a small count.
fuzz: $(DEV_STAMP)
	scripts/sysdeps.sh test
	GREENDESK_FUZZ_N=$(FUZZ_N) $(BIN)/python -m pytest -q -m fuzz

lint: $(DEV_STAMP)
	$(BIN)/ruff check greendesk tests bench

bench: $(DEV_STAMP)
	scripts/sysdeps.sh test
	$(BIN)/python -m bench

dist: $(DEV_STAMP)
	scripts/sysdeps.sh run
	$(BIN)/pyinstaller --noconfirm --clean build.spec

clean:
	rm -rf build dist demo .pytest_cache
