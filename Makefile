# mtqa — the two commands: `make demo` and `make test`. Both set up .venv on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip --disable-pip-version-check -q
PACK   := references/kyiv-air-defence
# torch comes from the CPU wheel on local disk: pin it before anything asks for torch.
TORCH  := torch==2.13.0

.PHONY: demo test bench clean venv grammalecte

# Grammalecte (GPL-3.0, run by Debian's python3 in a separate process: README "Grammar"). Installed
# with apt-get when missing and we are root; otherwise say how, and go on (the grammar checks skip).
GRAMMAR_PY ?= /usr/bin/python3
grammalecte:
	@if $(GRAMMAR_PY) -c "import grammalecte" 2>/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  apt-get update -qq && apt-get install -y -qq python3-grammalecte grammalecte-cli; \
	else echo "make: Grammalecte missing (grammar checks will skip): sudo apt-get install python3-grammalecte grammalecte-cli"; fi

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip

# core install (no torch): what `make demo` needs
$(VENV)/.core: pyproject.toml | $(BIN)/python
	$(PIP) install -e .
	touch $@

# neural extra + test tools + the cluster extra (Dask): what `make test` needs
$(VENV)/.test: pyproject.toml | $(BIN)/python
	$(PIP) install $(TORCH)
	$(PIP) install "setuptools<81" "sentencepiece==0.2.0"
	$(PIP) install -e ".[neural,test,cluster]"
	touch $@ $(VENV)/.core

venv: $(VENV)/.core

demo: $(VENV)/.core grammalecte
	@mkdir -p reports
	@$(BIN)/mtqa check -s $(PACK)/source.en.txt -t $(PACK)/mt.fr.txt -r $(PACK)/ref.fr.txt \
	  --glossary $(PACK)/glossary.csv \
	  -o reports/kyiv-air-defence.json -o reports/kyiv-air-defence.md -o reports/kyiv-air-defence.html \
	  -o reports/kyiv-air-defence.sarif -o reports/kyiv-air-defence.junit.xml -o reports/kyiv-air-defence.csv; \
	rc=$$?; \
	if [ $$rc -eq 1 ]; then echo "demo: the seed MT fails the quality gate, as it should (exit 1)."; \
	elif [ $$rc -ne 0 ]; then exit $$rc; fi; \
	echo "demo: reports written to reports/kyiv-air-defence.{json,md,html,sarif,junit.xml,csv}"

test: $(VENV)/.test grammalecte
	$(BIN)/ruff check mtqa
	$(BIN)/mypy
	$(BIN)/python -m pytest -q

# benchmarks (bench/README.md): `make bench`, or `make bench BENCH_ARGS=--quick`
bench: $(VENV)/.core
	$(BIN)/python bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) reports/*.json reports/*.md reports/*.html reports/*.sarif reports/*.xml reports/*.csv .pytest_cache
