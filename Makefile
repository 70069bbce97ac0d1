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
	$(PKG) report --graph $(OUT)/graph.json --engine embedded

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

# Property-based fuzzing of the outline, clause and target parsers: 10,000 generated inputs each
# (`make test` runs the same properties on a small fixed sample). FUZZ_N=… to change the count.
FUZZ_N ?= 10000
.PHONY: fuzz fixtures-bad
fuzz: install
	$(PY) tests/fuzz/run_fuzz.py $(FUZZ_N)

# Remake tests/fixtures/bad/ (needs fpdf2, reportlab and Debian's fonts-wqy-microhei; the output is committed).
fixtures-bad: install
	$(PIP) install -q fpdf2==2.8.9 reportlab==5.1.0
	$(PY) tests/fixtures/make_bad_fixtures.py

# ---- benchmarks: `make bench` runs the build benchmark, then every other bench-* target that
# exists, and collects their $(OUT)/bench_*.json files into $(OUT)/bench.json
.PHONY: bench-build
$(VENV)/.bench: $(VENV)/.installed
	$(PIP) install -q -e '.[test,bench]'
	touch $@

bench-build: $(VENV)/.bench
	$(PY) tests/bench/bench_build.py --out $(OUT)/bench_build.json

bench: bench-build
	@for t in bench-load bench-queries bench-views; do \
	  if $(MAKE) -n $$t >/dev/null 2>&1; then \
	    $(MAKE) --no-print-directory $$t || echo "make bench: $$t failed; its figures are missing from $(OUT)/bench.json"; \
	  else echo "make bench: no $$t target (yet)"; fi; \
	done
	$(PY) tests/bench/collect.py $(OUT) $(OUT)/bench.json

# ---- Neo4j (graph_build/neo4j_*.py, schema/): a local Neo4j 5.26 community server whose jars Maven
# fetches from Maven Central into .cache/neo4j/lib (tools/neo4j-launcher/pom.xml); data, config and
# password in .cache/neo4j/server. `make neo4j` starts it and prints the bolt URI; `policykg load`
# and `policykg schema --apply` find it by themselves (else NEO4J_URI/NEO4J_USERNAME/NEO4J_PASSWORD).
NEO4J_LIB := .cache/neo4j/lib
.PHONY: neo4j neo4j-stop neo4j-status neo4j-fetch load bench-load
neo4j-fetch: install
	$(PY) -c "from policykg.graph_build.neo4j_server import fetch_artifacts; print('Neo4j jars in', fetch_artifacts())"

neo4j: neo4j-fetch
	$(PKG) neo4j start

neo4j-stop: install
	$(PKG) neo4j stop

neo4j-status: install
	$(PKG) neo4j status

load: install
	$(PKG) load $(OUT)/graph.json

# Load throughput (relationships/s) of >= 1,000,000 synthetic relationships: online loader and bulk
# import side by side, each on its own fresh server; writes $(OUT)/bench_load.json.
bench-load: neo4j-fetch
	$(PY) tests/bench/bench_load.py --out $(OUT)/bench_load.json

# ---- queries (queries/): p50/p95 of every named query on a synthetic graph of >= 100k nodes and
# >= 1M relationships, on the embedded FalkorDB and on Neo4j; writes $(OUT)/bench_queries.json.
.PHONY: bench-queries
bench-queries: neo4j-fetch
	$(PY) tests/bench/bench_queries.py --out $(OUT)/bench_queries.json
