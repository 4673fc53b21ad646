# Two commands for a newcomer: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 5000

export FLASK_APP := app.py

.PHONY: run test install install-dev translations lint format clean

# A stamp per requirements set, so the virtualenv is rebuilt only when a pin changes.
$(VENV)/.installed: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# Compiled catalogues are built, never committed.
translations: $(VENV)/.installed
	$(BIN)/pybabel compile --use-fuzzy -d emulation/translations >/dev/null

run: install translations
	APP_ENV=development $(BIN)/flask db upgrade
	APP_ENV=development $(BIN)/flask demo load --if-empty
	APP_ENV=development $(BIN)/flask run --host $(HOST) --port $(PORT)

# Modules whose tests build phase windows, deadlines and years from today's date.
DATED_TESTS := tests/test_campaigns.py tests/test_registrations.py tests/test_progress.py \
	tests/test_meetings.py tests/test_nominations.py tests/test_standings.py tests/test_wrapup.py

# The whole suite on SQLite, its dated modules again with the clock stopped at 23:59 and
# 00:01 Vietnam time; the suite again on PostgreSQL when TEST_DATABASE_URL is set.
test: install-dev translations
	$(BIN)/pytest -q
	$(BIN)/pytest -q --clock 23:59 $(DATED_TESTS)
	$(BIN)/pytest -q --clock 00:01 $(DATED_TESTS)
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "== again on PostgreSQL: $$TEST_DATABASE_URL"; \
		TEST_DATABASE=postgresql $(BIN)/pytest -q; \
	fi

# Refresh the message catalogues after changing user-facing strings.
messages: install-dev
	$(BIN)/pybabel extract -F babel.cfg -k _l -o emulation/translations/messages.pot --no-location --sort-output app.py emulation forms templates
	$(BIN)/pybabel update -i emulation/translations/messages.pot -d emulation/translations --no-fuzzy-matching

# Style, then the import rules of README's Layout (contracts in pyproject.toml).
lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
