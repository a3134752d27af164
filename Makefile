# sbtext: one place for every routine command. `make help` lists them.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
OUT    ?= out/sample
SAMPLE := corpora/sample
# A small trained Dutch pipeline kept beside the project where one exists (never copied into it):
# the suite runs a second time on it so that the trained-pipeline code paths are tested too.
STAND_IN ?= ../shared/models/nl_ud_lassysmall_sm
# The section of bench/INGEST.md that `make ingest-quality` (re)writes; the others stay.
INGEST_SECTION ?= after

.DEFAULT_GOAL := help
.PHONY: help venv demo test check lint typecheck format train evaluate learning-curve bench ingest-quality clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-15s %s\n", $$1, $$2}'

$(BIN)/sbtext: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $@

venv: $(BIN)/sbtext ## create .venv and install sbtext with its development tools

demo: venv ## analyse the sample corpus into out/sample (tries nl_core_news_sm first)
	@timeout 120 $(BIN)/python -m spacy download nl_core_news_sm >/dev/null 2>&1 \
		&& echo "nl_core_news_sm installed" \
		|| echo "nl_core_news_sm could not be downloaded (offline?): the offline fallback will run"
	$(BIN)/sbtext analyze $(SAMPLE) --out $(OUT) --force
	@echo "results: $(OUT)/ (open $(OUT)/report.html or $(OUT)/sbtext.xlsx)"

test: venv ## run the test suite (on the offline fallback, then on the trained stand-in if present)
	$(BIN)/python -m pytest
	@if [ -d "$(STAND_IN)" ]; then \
		echo "== the same suite on the trained pipeline $(STAND_IN)"; \
		SBTEXT_SPACY_MODEL="$(abspath $(STAND_IN))" $(BIN)/python -m pytest; \
	else echo "== $(STAND_IN) not found: the trained-pipeline run is skipped"; fi

lint: venv ## ruff lint and format check
	$(BIN)/ruff check sbtext tests bench
	$(BIN)/ruff format --check sbtext tests bench

typecheck: venv ## mypy on the package
	$(BIN)/mypy

format: venv ## apply ruff's formatting and safe fixes
	$(BIN)/ruff check --fix sbtext tests bench
	$(BIN)/ruff format sbtext tests bench

check: test lint typecheck ## every check: tests, ruff, mypy

REAL  := $(sort $(wildcard annotations/real/*.jsonl))
CURATED := annotations/seeds.jsonl annotations/verwey_jonker_2023.jsonl annotations/constructed.jsonl
FOLDS ?= 0

train: venv ## retrain the shipped models from annotations/ and annotations/real/ (writes sbtext/models)
	$(BIN)/sbtext train $(REAL) $(CURATED) --out sbtext/models --force

evaluate: venv ## leave-one-document-out on whole real documents into annotations/EVALUATION.md (FOLDS=N: N groups)
	$(BIN)/sbtext evaluate --cross-validate $(REAL) $(foreach f,$(CURATED),--train-only $(f)) \
		$(if $(filter-out 0,$(FOLDS)),--folds $(FOLDS)) --out annotations/EVALUATION.md

SEEDS ?= 3

learning-curve: venv ## the expectation model's learning curve and the human ceiling into annotations/LEARNING_CURVE.md (SEEDS=N)
	$(BIN)/python bench/learning_curve.py --seeds $(SEEDS) --out annotations/LEARNING_CURVE.md

bench: venv ## throughput, memory and scaling benchmark into bench/RESULTS.md
	$(BIN)/python bench/run.py --out bench/RESULTS.md

ingest-quality: venv ## reading quality on the real and sample documents into bench/INGEST.md (INGEST_SECTION=after)
	$(BIN)/python bench/ingest_quality.py --out bench/INGEST.md --section $(INGEST_SECTION)

clean: ## remove outputs and caches (keeps .venv)
	rm -rf out .pytest_cache .mypy_cache .ruff_cache
