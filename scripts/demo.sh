#!/bin/sh
# Build the demo Helsinki and serve it as production runs (scripts/demo.env), with a
# local OpenID Connect provider standing in for the national identification service,
# so "Identify yourself" works end to end.
set -eu
PORT=${PORT:-8000}
OIDC_PORT=${OIDC_PORT:-9400}
BIN=.venv/bin
mkdir -p var
set -a
. ./scripts/demo.env
set +a
export OIDC_ISSUER="http://127.0.0.1:$OIDC_PORT"

$BIN/python manage.py migrate --noinput
$BIN/python manage.py createcachetable
$BIN/python manage.py collectstatic --noinput --verbosity 0
$BIN/python manage.py demo --url "http://127.0.0.1:$PORT/"
# The open data downloads, which the worker otherwise makes at night.
$BIN/python manage.py export_open_data >/dev/null

# Test people the provider can identify: type one of these at its login page.
$BIN/python -m oidc_provider_mock --port "$OIDC_PORT" --require-nonce true \
    --user-claims '{"sub": "teini", "name": "Demo Teini", "birthdate": "2013-05-02", "municipality_code": "091", "national_id": "020513A123M"}' \
    --user-claims '{"sub": "aikuinen", "name": "Demo Aikuinen", "birthdate": "1990-03-15", "municipality_code": "091", "national_id": "150390-234V"}' \
    --user-claims '{"sub": "espoolainen", "name": "Demo Espoo", "birthdate": "1985-11-24", "municipality_code": "049", "national_id": "241185-345D"}' \
    >var/oidc-provider.log 2>&1 &
provider=$!
# Background jobs: e-mails (written to var/worker.log in the demo) and vote counts.
$BIN/python manage.py worker >var/worker.log 2>&1 &
worker=$!
trap 'kill $provider $worker 2>/dev/null' EXIT INT TERM
echo "  Identification test provider at $OIDC_ISSUER: identify as 'teini' (13),"
echo "  'aikuinen' (36) or 'espoolainen' (lives in Espoo) after logging in as e.g. olli.laine@example.fi."
$BIN/python manage.py runserver "127.0.0.1:$PORT"
