# The two commands the README promises, plus the pieces they are made of.
# Everything the tests need is installed from here, so a fresh machine needs only Python 3.11+.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
EXAMPLE ?= examples/msp-operations.yaml

.PHONY: demo test lint typecheck check clean graphviz browser

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

## docs: the documentation site (mkdocs.yml, pages in docs/) into site/; warnings are errors
DOCS_STAMP := $(VENV)/.installed-docs
.PHONY: docs

$(DOCS_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[docs]'
	touch $(DOCS_STAMP)

docs: $(DOCS_STAMP)
	PYTHONPATH=$(CURDIR):$(CURDIR)/cli $(BIN)/mkdocs build --strict --site-dir $(CURDIR)/site

## graphviz: the `dot` binary diagrams need (installed from Debian's packages when missing)
graphviz:
	@tools/install-graphviz.sh

## browser: Debian's chromium + chromedriver, for the review-pack browser tests
browser:
	@tools/install-chromium.sh

## demo: the main job on the embedded in-memory store, for one example portfolio
demo: $(STAMP) graphviz
	$(BIN)/stakemap validate $(EXAMPLE)
	$(BIN)/stakemap show $(EXAMPLE)
	$(BIN)/stakemap gaps $(EXAMPLE) --playbook msp-account-team --as-of 2026-11-01 --fail-on never
	@mkdir -p out
	$(BIN)/stakemap render $(EXAMPLE) --customer northwind --playbook msp-account-team --as-of 2026-11-01 -o out/northwind.svg
	$(BIN)/stakemap report $(EXAMPLE) --customer northwind --playbook msp-account-team --as-of 2026-11-01 -o out/northwind-review.html
	@echo "diagram:     $(CURDIR)/out/northwind.svg"
	@echo "review pack: $(CURDIR)/out/northwind-review.html (open it in a browser, or mail it)"

## test: the whole suite, on both backends: starts a throwaway Neo4j and stops it afterwards
## (set STAKEMAP_TEST_NEO4J_URL to use a server of your own instead)
test: $(STAMP) graphviz browser
	STAKEMAP_PYTHON=$(BIN)/python tools/neo4j/neo4j.sh run $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .

typecheck: $(STAMP)
	$(BIN)/mypy

check: test lint typecheck

clean:
	rm -rf $(VENV) site .pytest_cache .mypy_cache .ruff_cache .hypothesis

## neo4j / neo4j-stop: a throwaway Neo4j 5.26 LTS in the background (needs Java 17 and Maven)
.PHONY: neo4j neo4j-stop
neo4j: $(STAMP)
	@STAKEMAP_PYTHON=$(BIN)/python tools/neo4j/neo4j.sh start

neo4j-stop:
	tools/neo4j/neo4j.sh stop

## assets: re-fetch the JavaScript the HTML explorer inlines, at the versions package.json pins
## (needs npm); commit the result: the package ships it, nothing is fetched at install or run time
ASSETS := stakemap/render/assets
.PHONY: assets
assets:
	@version=$$($(PYTHON) -c 'import json; print(json.load(open("package.json"))["dependencies"]["cytoscape"])') && \
	tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	(cd "$$tmp" && npm pack --silent "cytoscape@$$version" >/dev/null && tar xzf "cytoscape-$$version.tgz") && \
	cp "$$tmp/package/dist/cytoscape.min.js" $(ASSETS)/cytoscape.min.js && \
	cp "$$tmp/package/LICENSE" $(ASSETS)/cytoscape.LICENSE && \
	echo "cytoscape $$version -> $(ASSETS)/cytoscape.min.js"

## bench: every scale target of BENCHMARKS.md on a generated L portfolio (memory and Neo4j;
## starts and stops a throwaway Neo4j). BENCH_ARGS="--only load,help --customers 100" for less.
.PHONY: bench
bench: $(STAMP) graphviz
	STAKEMAP_PYTHON=$(BIN)/python tools/neo4j/neo4j.sh run $(BIN)/python benchmarks/suite.py $(BENCH_ARGS)
