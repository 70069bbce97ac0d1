# policykg — `make run` builds the sample corpus graph and its views; `make test` runs the tests.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip
PKG    := $(VENV)/bin/policykg
CORPUS := data/corpus
OUT    := out
SHARED := ../shared

.PHONY: run test unit eval install clean bench

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -e '.[test]'
	touch $@

install: $(VENV)/.installed

run: install
	$(PKG) build $(CORPUS) --out $(OUT)
	$(PKG) export --graph $(OUT)/graph.json --format csv --out $(OUT)/csv
	$(PKG) view defaults --graph $(OUT)/graph.json --out-dir $(OUT)/views

test: install
	$(PY) -m pytest -q

unit: install
	$(PY) -m pytest -q tests/unit

eval: run
	@if [ -f $(SHARED)/eval.py ]; then $(PY) $(SHARED)/eval.py $(OUT)/graph.json $(SHARED)/gold; \
	else echo "no $(SHARED)/eval.py: nothing to score against"; fi

clean:
	rm -rf $(OUT) .pytest_cache

# ---- views (viz/): the default HTML views of a built graph, and their browser benchmark
.PHONY: views bench-views
views: install
	$(PKG) view defaults --graph $(OUT)/graph.json --out-dir $(OUT)/views

bench-views: install
	$(PY) tests/bench/bench_views.py --out $(OUT)/bench_views.json
