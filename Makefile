# Oversight Desk — set-up, run and test. `make run` and `make test` are all a fresh machine needs.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 8000

# htmx comes from the npm registry at a pinned version, checked against the registry's sha512.
HTMX_VERSION   := 2.0.11
HTMX_INTEGRITY := sha512-Thx/WtpeOQqSrqBCw/A1cwGJGg4UrVa3+sW0GmrM3p4gJgO89ecH4qtbnyzDDWFvBTqjnIMCgELTNt636dtamA==
HTMX_JS        := app/static/vendor/htmx-$(HTMX_VERSION).min.js

# axe-core (the accessibility checker the browser tests inject into pages) comes the same way, into
# the test-only cache: it is never served by the app.
AXE_VERSION   := 4.14.1
AXE_INTEGRITY := sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ==
AXE_JS        := .cache/axe/axe-$(AXE_VERSION).min.js

.PHONY: run test test-sqlite test-postgres setup assets clean

run: setup
	$(BIN)/oversight db upgrade
	$(BIN)/oversight demo load --if-empty
	$(BIN)/oversight serve --host 127.0.0.1 --port $(PORT)

# The whole suite on SQLite, then on PostgreSQL (a server the tests start in a temporary folder,
# tests/postgres.py); both run even if the first fails, and `make test` fails if either does.
test: setup
	@status=0; \
	$(MAKE) --no-print-directory test-sqlite || status=1; \
	$(MAKE) --no-print-directory test-postgres || status=1; \
	exit $$status

test-sqlite: setup $(AXE_JS)
	OVERSIGHT_TEST_DATABASE=sqlite $(BIN)/pytest $(PYTEST_ARGS)

test-postgres: setup $(AXE_JS)
	OVERSIGHT_TEST_DATABASE=postgresql $(BIN)/pytest $(PYTEST_ARGS)

setup: $(VENV)/.installed assets

# Reinstalled only when the lock file or the project metadata changes.
$(VENV)/.installed: requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

assets: $(HTMX_JS)

$(HTMX_JS):
	@mkdir -p $(dir $@) .cache/npm
	cd .cache/npm && rm -f htmx.org-*.tgz && npm pack --silent htmx.org@$(HTMX_VERSION) >/dev/null
	@test "sha512-$$(openssl dgst -sha512 -binary .cache/npm/htmx.org-$(HTMX_VERSION).tgz | openssl base64 -A)" = "$(HTMX_INTEGRITY)" \
		|| { echo "htmx tarball does not match its pinned integrity"; exit 1; }
	tar -xzf .cache/npm/htmx.org-$(HTMX_VERSION).tgz -C .cache/npm package/dist/htmx.min.js
	rm -f app/static/vendor/htmx-*.min.js
	cp .cache/npm/package/dist/htmx.min.js $@

# The tests find it at .cache/axe/axe.min.js (tests/browser/accessibility.py).
$(AXE_JS):
	@mkdir -p .cache/axe .cache/npm
	cd .cache/npm && rm -f axe-core-*.tgz && npm pack --silent axe-core@$(AXE_VERSION) >/dev/null
	@test "sha512-$$(openssl dgst -sha512 -binary .cache/npm/axe-core-$(AXE_VERSION).tgz | openssl base64 -A)" = "$(AXE_INTEGRITY)" \
		|| { echo "axe-core tarball does not match its pinned integrity"; exit 1; }
	rm -rf .cache/npm/axe-core && mkdir -p .cache/npm/axe-core
	tar -xzf .cache/npm/axe-core-$(AXE_VERSION).tgz -C .cache/npm/axe-core package/axe.min.js
	rm -f .cache/axe/axe-*.min.js
	cp .cache/npm/axe-core/package/axe.min.js $@
	cp $@ .cache/axe/axe.min.js

# Lock file regeneration (maintainers): exact versions with hashes for every dependency.
lock:
	$(BIN)/python -m pip install --quiet uv==0.13.9
	$(BIN)/uv pip compile pyproject.toml --extra test --extra tools --python-version 3.11 --generate-hashes -o requirements.lock

clean:
	rm -rf $(VENV) .cache app/static/vendor
