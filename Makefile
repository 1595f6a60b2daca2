# GreenDesk developer commands. See README.md.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEMO   := demo/demo.greendesk

.PHONY: run test bench dist lint setup demo clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); scripts/sysdeps.sh venv && $(PYTHON) -m venv $(VENV); }
	$(BIN)/python -m pip install -q --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e ".[dev]"
	touch $(STAMP)

setup: $(STAMP)

$(DEMO): | $(STAMP)
	mkdir -p demo
	$(BIN)/greendesk demo $(DEMO)

demo: $(DEMO)

run: $(STAMP)
	scripts/sysdeps.sh run
	$(MAKE) --no-print-directory demo
	$(BIN)/greendesk open $(DEMO)

test: $(STAMP)
	scripts/sysdeps.sh test
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check greendesk tests bench

bench: $(STAMP)
	scripts/sysdeps.sh test
	$(BIN)/python -m bench

dist: $(STAMP)
	scripts/sysdeps.sh run
	$(BIN)/pyinstaller --noconfirm --clean build.spec

clean:
	rm -rf build dist demo .pytest_cache
