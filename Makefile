# The two commands of the README: `make demo` and `make test`. Both set up
# everything they need from nothing (see build/setup.sh).
PY := .venv/bin/python
PYTEST_ARGS ?=

.PHONY: setup bundle demo test check unit pyodide contract emulator browser bench bench-sdk bench-components bench-demo bench-emulator clean

setup:
	@bash build/setup.sh

bundle: setup
	@$(PY) build/build_bundle.py

demo: bundle
	@$(PY) build/demo.py

check: setup
	$(PY) -m ruff check .
	$(PY) -m mypy --strict clerk_frontend
	$(PY) -m mypy --strict upgrade/clerk_upgrade
	$(PY) -m mypy --strict emulator/clerk_emulator

test: check bundle
	$(PY) -m pytest $(PYTEST_ARGS)

# One layer alone.
unit: setup
	$(PY) -m pytest tests/unit $(PYTEST_ARGS)
pyodide: bundle
	$(PY) -m pytest tests/pyodide $(PYTEST_ARGS)
contract: setup
	$(PY) -m pytest tests/contract $(PYTEST_ARGS)
emulator: setup
	$(PY) -m pytest tests/emulator $(PYTEST_ARGS)
browser: bundle
	$(PY) -m pytest tests/browser $(PYTEST_ARGS)

bench: bundle
	$(PY) build/bench_boot.py
bench-sdk: bundle
	$(PY) build/bench_sdk.py
bench-components: bundle
	$(PY) build/bench_components.py
bench-demo: bundle
	$(PY) build/bench_demo.py
bench-emulator: setup
	$(PY) emulator/bench/bench_metadata.py

clean:
	rm -rf dist .cache .venv test-artifacts
