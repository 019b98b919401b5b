#!/bin/sh
# Every check of the project, in the order a reviewer would want them to fail.
# With CI=true nothing is skipped: a missing PostgreSQL or Chromium is a failure.
set -eu
BIN=.venv/bin
export PYTHONDONTWRITEBYTECODE=1
step() { printf '\n== %s\n' "$1"; }

step "ruff"
$BIN/ruff check .
$BIN/ruff format --check .

step "no private names of Django or other packages"
$BIN/python scripts/check_public_api.py

step "migrations are current"
$BIN/python manage.py makemigrations --check --dry-run

step "every interface string translated into Finnish and Swedish"
sh scripts/need.sh gettext xgettext
$BIN/python scripts/check_translations.py

step "deploy check with production settings"
DEBUG=0 SECRET_KEY="$($BIN/python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
    IDENTITY_DIGEST_KEY=ci-identity-key BALLOT_SEAL_KEY=ci-seal-key ALLOWED_HOSTS=osallistu.example \
    $BIN/python manage.py check --deploy --fail-level WARNING

step "suite on SQLite"
$BIN/pytest -q -m "not postgres and not browser" -n 2 -p no:cacheprovider

step "integrity and concurrency suite on PostgreSQL"
# What the database enforces or refuses (marker integrity) and what needs PostgreSQL
# itself (marker postgres). The rest of the suite does not depend on the database
# engine beyond what these cover, and ran on SQLite above.
DATABASE_URL=$(sh scripts/postgres.sh)
DATABASE_URL=$DATABASE_URL $BIN/pytest -q -m "(integrity or postgres) and not browser" -n 2 \
    -p no:cacheprovider --ignore=tests/budgeting/counting

step "browser suite in Chromium"
sh scripts/need.sh chromium /usr/bin/chromium
$BIN/pytest -q -m browser -n 2 -p no:cacheprovider
