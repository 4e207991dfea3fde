# The README's two commands. Each one sets up what it needs first (scripts/setup.sh), so a fresh clone works.
.PHONY: serve test lint bench

serve:
	scripts/setup.sh
	.venv/bin/python build.py serve

test:
	scripts/setup.sh test
	.venv/bin/ruff check .
	.venv/bin/python -m pytest

bench:
	scripts/setup.sh test
	.venv/bin/pip install --quiet --disable-pip-version-check mkdocs  # the peer the build benchmark runs beside
	.venv/bin/python bench/run_all.py $(BENCH_ARGS)
