# The two commands a newcomer needs: `make run` and `make test`.
.PHONY: install install-scaled install-tests setup run run-scaled test shell bench lint

# Each installs only what its command needs (see scripts/install.sh).
install:
	@scripts/install.sh

install-scaled:
	@scripts/install.sh scaled

install-tests:
	@scripts/install.sh tests

setup: install
	@.venv/bin/sayso setup

run: install
	@.venv/bin/sayso run

# PostgreSQL, Redis, nginx and two Rasa and action servers on this machine (see README).
run-scaled: install-scaled
	@.venv/bin/sayso run --scaled

test: install-tests setup
	@scripts/test.sh

shell:
	@.venv/bin/sayso shell

lint:
	@.venv/bin/ruff check . && .venv/bin/ruff format --check .

bench: setup
	@.venv/bin/python bench/rest_latency.py
