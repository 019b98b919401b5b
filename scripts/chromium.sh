#!/bin/sh
# Browser tests drive Debian's Chromium (Playwright cannot download its own here).
set -eu
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing Chromium..." >&2
    apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >&2
else
    echo "Chromium is not installed: sudo apt-get install chromium" >&2
    exit 1
fi
