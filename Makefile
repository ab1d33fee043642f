# Relance - `make demo` runs the product locally, `make test` runs every test.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export PYTHONPATH := .:shared

.DEFAULT_GOAL := help
.PHONY: help demo serve test unit lint bench clean browser build lock openapi

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP) ## simulate a week of a shop on embedded AWS; emails in out/outbox, reports in out/reports
	$(BIN)/python -m infra.local demo

serve: $(STAMP) ## serve the API on 127.0.0.1:8080 for manual tries (see README)
	$(BIN)/python -m infra.local serve

test: $(STAMP) browser ## the whole suite: lint, format, types, template lint, unit, integration, end-to-end
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy shared functions infra tests
	$(BIN)/python -m pytest -n 2

# The email rendering test drives Debian's Chromium (tests/browser); install it when missing.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "Installing Chromium for the email rendering test (apt)..."; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; }

BUILD_DIR ?= .aws-sam/build
build: $(STAMP) ## sam build: python3.13/arm64 Lambda artifacts in .aws-sam/build (no Docker needed)
	SAM_CLI_TELEMETRY=0 PYTHON="$(CURDIR)/$(BIN)/python" $(BIN)/sam build --build-dir "$(BUILD_DIR)"

lock: $(STAMP) ## pin the layer's dependencies, with hashes, for Lambda's python3.13 on arm64
	$(BIN)/uv pip compile shared/requirements.txt --python-platform aarch64-manylinux_2_28 \
		--python-version 3.13 --generate-hashes --quiet -o shared/requirements.lock

openapi: $(STAMP) ## regenerate docs/openapi.json from the routes' models (a test fails when it is stale)
	$(BIN)/python -m relance.http.app > docs/openapi.json

unit: $(STAMP) ## the pure core's tests only (seconds)
	$(BIN)/python -m pytest tests/unit

lint: $(STAMP) ## ruff and cfn-lint
	$(BIN)/ruff check .
	$(BIN)/cfn-lint template.yaml

bench: $(STAMP) ## benchmarks, run apart from the suite (figures in docs/benchmarks.md)
	PYTHONPATH=.:shared $(BIN)/python -m tests.benchmarks.costs
	PYTHONPATH=.:shared $(BIN)/python -m tests.benchmarks.ingest
	$(BIN)/python tests/benchmarks/report_bench.py
	$(BIN)/python tests/benchmarks/fuzz_api.py

clean: ## remove the virtualenv and outputs
	rm -rf $(VENV) out .aws-sam .pytest_cache .mypy_cache .ruff_cache
