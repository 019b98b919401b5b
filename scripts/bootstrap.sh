#!/bin/sh
# Create .venv and install Osallistu with its test tools. Needs only Python 3.11+.
set -eu
PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    echo "Osallistu needs Python 3.11 or newer; $PYTHON is $("$PYTHON" --version 2>&1)." >&2
    exit 1
fi
if ! "$PYTHON" -m venv .venv 2>/dev/null; then
    # Debian and Ubuntu ship venv separately.
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv
        rm -rf .venv && "$PYTHON" -m venv .venv
    else
        echo "Install the venv module first: sudo apt-get install python3-venv" >&2
        exit 1
    fi
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[test]'
mkdir -p var/static
