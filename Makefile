# Two commands for a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DEMO_DB := demo/demo-school.sqlite

.PHONY: run test check demo lint typecheck bench bundle clean

$(VENV)/.installed: pyproject.toml
	PYTHON=$(PYTHON) ./scripts/system-deps.sh venv
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $@

.sysdeps-run:
	./scripts/system-deps.sh run
	touch $@

.sysdeps-test:
	./scripts/system-deps.sh test
	touch $@

$(DEMO_DB): | $(VENV)/.installed
	mkdir -p demo
	$(VENV)/bin/schoolvault-cli --db $(DEMO_DB) init --school 서울예시초등학교 --level 초 --district 동부 --year 2026 --code B100000001
	$(VENV)/bin/schoolvault-cli --db $(DEMO_DB) demo --seed 7

demo: $(DEMO_DB)

run: .sysdeps-run $(VENV)/.installed $(DEMO_DB)
	$(VENV)/bin/schoolvault --db $(DEMO_DB)

# `make test` is `make check`: ruff, mypy on the typed core, then the whole suite.
test: .sysdeps-test $(VENV)/.installed lint typecheck
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -p no:cacheprovider

check: test

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check schoolvault tests bench scripts installer

# The whole core (pyproject's [tool.mypy] excludes ui/ only).
typecheck: $(VENV)/.installed
	$(VENV)/bin/mypy schoolvault

# Not part of `make test`: builds dist/SchoolVault (both executables) and smoke-tests it outside the venv.
$(VENV)/.bundle-installed: pyproject.toml | $(VENV)/.installed
	$(PY) -m pip install -q -e '.[test,bundle]'
	touch $@

.sysdeps-bundle:
	./scripts/system-deps.sh bundle
	touch $@

bundle: .sysdeps-bundle $(VENV)/.bundle-installed
	$(PY) installer/build_bundle.py

bench: $(VENV)/.installed
	for b in bench/bench_*.py; do $(PY) $$b || exit 1; done

clean:
	rm -rf $(VENV) demo build dist .sysdeps-run .sysdeps-test .sysdeps-bundle
