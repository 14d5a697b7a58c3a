# The two commands a newcomer needs: `make run` and `make test`.
.PHONY: install setup run run-scaled test shell bench lint

install:
	@scripts/install.sh

setup: install
	@.venv/bin/sayso setup

run: install
	@.venv/bin/sayso run

# PostgreSQL, Redis, nginx and two Rasa and action servers on this machine (see README).
run-scaled: install
	@.venv/bin/sayso run --scaled

test: setup
	@scripts/test.sh

shell:
	@.venv/bin/sayso shell

lint:
	@.venv/bin/ruff check . && .venv/bin/ruff format --check .

bench: setup
	@.venv/bin/python bench/rest_latency.py
