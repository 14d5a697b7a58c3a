# The two commands a newcomer needs: `make run` and `make test`.
.PHONY: install setup run test shell bench lint

install:
	@scripts/install.sh

setup: install
	@.venv/bin/sayso setup

run: install
	@.venv/bin/sayso run

test: setup
	@scripts/test.sh

shell:
	@.venv/bin/sayso shell

lint:
	@.venv/bin/ruff check . && .venv/bin/ruff format --check .

bench: setup
	@.venv/bin/python bench/rest_latency.py
