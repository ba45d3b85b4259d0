# Only chains commands; everything real lives in the `pipeline` package.
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin
DEMO_DIR = build/demo

.PHONY: demo test install model clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[test]"
	touch $@

install: $(BIN)/.installed

demo: install
	$(BIN)/moderate train --config configs/demo.toml --out models/demo
	$(BIN)/moderate score data/exports --model models/demo --out $(DEMO_DIR)/scored.csv \
		--queue $(DEMO_DIR)/queue.csv --report $(DEMO_DIR)/report.html
	@echo "MLflow runs: $(BIN)/mlflow ui --backend-store-uri sqlite:///mlruns/mlflow.db  (then open http://127.0.0.1:5000)"

test: install
	$(BIN)/python -m pytest -q

# The shipped model: trained on our corpus plus the public corpora in ../shared/corpora.
model: install
	$(BIN)/moderate train --config configs/default.toml --set-default

clean:
	rm -rf build models/demo
