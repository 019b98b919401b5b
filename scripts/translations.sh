#!/bin/sh
# Extract every app's strings into its own locale/ and compile them.
set -eu
top=$(pwd)
for app in osallistu/*/; do
    [ -d "$app/locale" ] || continue
    (cd "$app" && "$top/.venv/bin/django-admin" makemessages -l fi -l sv --no-obsolete --no-location)
done
.venv/bin/python manage.py compilemessages --ignore=.venv
