# The README's two commands. Each one sets up what it needs first (scripts/setup.sh), so a fresh clone works.
.PHONY: serve test lint bench

serve:
	scripts/setup.sh
	.venv/bin/python build.py serve

# The suite runs on every core (pytest-xdist), a test file to a worker so each file's built sites are made once;
# the time of the whole command, setup included, is printed at the end.
test:
	@started=$$(date +%s); \
	scripts/setup.sh test && .venv/bin/ruff check . && .venv/bin/python -m pytest -n auto --dist loadfile; \
	status=$$?; echo "make test: $$(( $$(date +%s) - started )) s in all, setup included"; exit $$status

bench:
	scripts/setup.sh test
	.venv/bin/pip install --quiet --disable-pip-version-check mkdocs  # the peer the build benchmark runs beside
	.venv/bin/python bench/run_all.py $(BENCH_ARGS)
