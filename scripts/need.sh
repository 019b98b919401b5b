#!/bin/sh
# need.sh PACKAGE COMMAND: make sure COMMAND exists, installing Debian's PACKAGE when
# we are root (as in CI); otherwise say exactly what to install.
set -eu
package=$1
command=$2
if command -v "$command" >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing $package..." >&2
    apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package" >&2
else
    echo "$command is missing: sudo apt-get install $package" >&2
    exit 1
fi
