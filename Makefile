# BMN Learn: `make run` serves the demo, `make test` runs the whole suite.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
export FLASK_APP := wsgi
STAMP := $(VENV)/.installed

.PHONY: run test fuzz venv setup translations lint format chromium ffmpeg nginx media media-fonts bench lighthouse clean

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

venv: $(STAMP)

translations: $(STAMP)
	$(BIN)/pybabel compile --use-fuzzy -d app/translations 2>&1 | grep -v "^compiling" || true

# Migrate, load areas and content, create the demo logins (idempotent: fast the second time).
setup: venv translations
	APP_ENV=development $(BIN)/flask db upgrade
	APP_ENV=development $(BIN)/flask areas load
	APP_ENV=development $(BIN)/flask content load --skip-if-studio-changes
	APP_ENV=development $(BIN)/flask demo accounts
	APP_ENV=development $(BIN)/flask demo volunteers

# A job worker runs beside the web server (clip processing) and stops with it.
run: setup
	@echo "BMN Learn on http://127.0.0.1:$(PORT)"
	APP_ENV=development $(BIN)/flask media process-pending
	APP_ENV=development $(BIN)/flask jobs worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	APP_ENV=development $(BIN)/flask run --host 127.0.0.1 --port $(PORT)

# Debian's Chromium for the browser tests (never a tool's own browser download).
chromium:
	@command -v /usr/bin/chromium >/dev/null || { \
	  echo "installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# Debian's ffmpeg: the clip checks, posters and low-data versions run for real in the tests.
ffmpeg:
	@command -v ffmpeg >/dev/null && command -v ffprobe >/dev/null || { \
	  echo "installing Debian's ffmpeg for clip processing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ffmpeg >/dev/null; }

# Debian's nginx and openssl: tests/deploy runs the production layout (docs/deploy.md).
nginx:
	@{ command -v nginx || test -x /usr/sbin/nginx; } >/dev/null && command -v openssl >/dev/null || { \
	  echo "installing Debian's nginx and openssl for the production layout test"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx openssl >/dev/null; }

# Two test processes (pytest-xdist, see pyproject.toml); PYTEST_WORKERS=0 runs one.
PYTEST_WORKERS ?= 2
test: venv translations chromium ffmpeg nginx media-fonts
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# The fuzz tests with many more examples per target (the suite runs 25 per API operation and 5 per form): see README.
FUZZ_EXAMPLES ?= 500
fuzz: venv translations
	BMN_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m pytest -n 0 -s -p no:cacheprovider tests/fuzz

lint: venv
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

format: venv
	$(BIN)/ruff format . && $(BIN)/ruff check --fix .

# Regenerate clips and infographics (outputs are committed). Needs ffmpeg, Debian's Thai fonts and
# Noto Color Emoji (the pictograms; licence in LICENSES/noto-color-emoji.txt).
MEDIA_FONTS := /usr/share/fonts/truetype/tlwg/Loma.ttf /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf
media-fonts:
	@ls $(MEDIA_FONTS) >/dev/null 2>&1 || { \
	  echo "installing Debian's fonts-thai-tlwg and fonts-noto-color-emoji for the media"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	    apt-get install -y -qq fonts-thai-tlwg fonts-noto-color-emoji >/dev/null; }

media: venv ffmpeg media-fonts
	$(BIN)/python scripts/build_media.py

bench: setup
	$(BIN)/python bench/page_weight.py
	-$(BIN)/python bench/infographic_bytes.py
	$(BIN)/python bench/clip_upload.py
	$(BIN)/python bench/clip_renditions.py

# Lighthouse (npm, installed under bench/node_modules) with Debian's chromium: median of 3 runs
# per page, exits 1 below 100 in any category. About 4 minutes.
lighthouse: venv translations chromium
	$(BIN)/python bench/lighthouse.py

extract-messages: venv
	$(BIN)/pybabel extract -F babel.cfg -k _l -o app/translations/messages.pot .
	$(BIN)/pybabel update -i app/translations/messages.pot -d app/translations --no-fuzzy-matching

clean:
	rm -rf $(VENV) instance .pytest_cache
