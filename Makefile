# The Makefile is the manual: what a person types is what CI runs.
SHELL := /bin/bash
PORT ?= 8000
UV := $(shell command -v uv 2>/dev/null || echo $(HOME)/.local/bin/uv)
export UV_LINK_MODE ?= copy

.PHONY: run test install install-system install-js lint format demo worker bench clean check vendor-charts visual-update

$(UV):
	@command -v uv >/dev/null 2>&1 || python3 -m pip install --user --quiet uv || python3 -m pip install --quiet uv

install: $(UV)
	@$(UV) sync --frozen --quiet

# System packages the real-part tests use (nginx for the card handshake, Chromium for journeys).
install-system:
	@bin/install-system

run: install
	@PORT=$(PORT) bin/run

demo: install
	@DJANGO_SETTINGS_MODULE=config.settings.dev $(UV) run python manage.py demo

worker: install
	@DJANGO_SETTINGS_MODULE=config.settings.dev $(UV) run python manage.py db_worker

# axe-core (npm) for the accessibility checks of the browser journeys; skipped when npm is absent.
install-js:
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --silent; \
	else echo "install-js: npm absent: the accessibility checks of the journeys will be skipped." >&2; fi

# @gouvfr/dsfr-chart (npm dependency) is vendored as static files of the observatoire (no CDN): after
# changing its version in package.json, `make vendor-charts` copies the built files and the commit carries them.
CHARTS := trajectoire/observatoire/static/observatoire/dsfr-chart
vendor-charts:
	npm ci --no-audit --no-fund --silent
	cp node_modules/@gouvfr/dsfr-chart/dist/DSFRChart/DSFRChart.js node_modules/@gouvfr/dsfr-chart/dist/DSFRChart/DSFRChart.css $(CHARTS)/
	cp node_modules/@gouvfr/dsfr-chart/LICENSE $(CHARTS)/LICENSE

test: install install-system install-js
	@$(UV) run pytest $(PYTEST_ARGS)

# Renew every reference image of the browser journeys (tests/visual/) from the pages as served now; review the
# changed images (git diff --stat tests/visual) before committing them.
visual-update: install install-system install-js
	@VISUAL_UPDATE=1 $(UV) run pytest -m browser $(PYTEST_ARGS)

lint: install
	@$(UV) run ruff check .
	@$(UV) run ruff format --check .

format: install
	@$(UV) run ruff format .
	@$(UV) run ruff check --fix .

check: lint test

# PostgreSQL bench database + national volume when absent (kept between runs), then the HTTP load.
# BENCH_SCALE=0.01 for a quicker volume (own database); BENCH_ARGS="--duration 30 --think 5".
bench: install
	@BENCH_SCALE="$(BENCH_SCALE)" BENCH_ARGS="$(BENCH_ARGS)" $(UV) run python bench/run.py

clean:
	rm -rf var/ .pytest_cache test-artefacts/
