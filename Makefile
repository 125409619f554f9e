# The two commands of the README: `make book` and `make test`. Both create the virtual
# environment .venv and install requirements.txt into it the first time (and again
# whenever requirements.txt or pyproject.toml change).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
VENDORED := assets/vendor/.versions.json
TEST_VENDORED := tests/vendor/.versions.json
WORKERS ?= 2

.PHONY: book book-student book-instructor pdf test lint execute benchmark clean

$(INSTALLED): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

# MathJax, require.js, anywidget and the book's widget embedder (tools/widget_embed), from
# the npm registry (tools/vendor_assets.py)
$(VENDORED): tools/vendor_assets.py | $(INSTALLED)
	$(BIN)/python tools/vendor_assets.py

# axe-core, for the browser test only (tests/axe_check.py): kept out of assets/, which
# every built book copies into its _static
$(TEST_VENDORED): tools/vendor_assets.py | $(INSTALLED)
	$(BIN)/python tools/vendor_assets.py --test

## book: the book to publish, the student edition (no solutions, no answers), into
## _build/html: every notebook re-executed, warnings are errors; its download buttons
## give the reader notebooks
book: $(INSTALLED) $(VENDORED) notebooks
	$(BIN)/python tools/make_edition.py student _editions/student
	$(BIN)/jupyter-book build _editions/student --path-output . -W -n --keep-going

## book-student: the same as `make book`
book-student: book

## book-instructor: the instructor edition (with every solution; never publish it for a
## class) into _editions/instructor/_build/html
book-instructor: $(INSTALLED) $(VENDORED) notebooks
	$(BIN)/python tools/make_edition.py instructor _editions/instructor
	$(BIN)/jupyter-book build _editions/instructor -W -n --keep-going

## pdf: the published book printed to A4 by Chromium: _build/pdf/<page>.pdf for every page
## (a handout numbered from 1)
## and _build/pdf/book.pdf, the whole book in the order of the table of contents, with a
## contents page, a bookmark per page and page numbers that run through
pdf: book
	$(BIN)/python tools/make_pdf.py _build/html _build/pdf

## test: lint, unit and property tests, nbval over every chapter notebook (and again under
## other BLAS kernels), both editions built and checked in Chromium, the reader notebooks
test: $(INSTALLED) $(VENDORED) $(TEST_VENDORED) lint notebooks
	node --test tests/explorers/
	$(BIN)/python -m pytest -n $(WORKERS) --dist loadfile --no-loadscope-reorder --nbval \
		--nbval-sanitize-with tests/nbval_sanitize.cfg

lint: $(INSTALLED)
	$(BIN)/ruff check src tests benchmarks tools

## execute: re-run every chapter notebook in place so its committed outputs are current
execute: $(INSTALLED)
	$(BIN)/python tools/execute_notebooks.py chapters

## benchmark: engine speed as ratios against a hand-written numpy reference
benchmark: $(INSTALLED)
	$(BIN)/python benchmarks/engine.py

clean:
	rm -rf _build _editions dist

# ---------------------------------------------------------------------------------------
# Reader notebooks and the package they install.
.PHONY: notebooks dist

## notebooks: the chapters as plain notebooks for readers (glue values pasted, references
## numbered, directives as Markdown, a setup cell) into _build/reader/{student,instructor},
## and _build/reader/branch: the branch reader-notebooks to publish (README, "Publishing")
notebooks: $(INSTALLED)
	$(BIN)/python tools/reader_notebooks.py _build/reader

## dist: the package backprop-course as wheel and sdist in dist/, checked by twine
dist: $(INSTALLED)
	rm -rf dist
	$(BIN)/python -m build --outdir dist .
	$(BIN)/twine check --strict dist/*
