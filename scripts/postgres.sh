#!/bin/sh
# Make sure a local PostgreSQL server runs and has the osallistu role, then print
# its DATABASE_URL. Installs the server with apt-get when it is missing and we are root.
set -eu
PGUSER_NAME=osallistu
PGPASS=osallistu
if ! command -v pg_ctlcluster >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "Installing PostgreSQL..." >&2
        apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
    else
        echo "PostgreSQL is not installed: sudo apt-get install postgresql" >&2
        exit 1
    fi
fi
cluster=$(pg_lsclusters --no-header | head -n 1)
if [ -z "$cluster" ]; then
    echo "No PostgreSQL cluster exists: create one with pg_createcluster." >&2
    exit 1
fi
version=$(echo "$cluster" | awk '{print $1}')
name=$(echo "$cluster" | awk '{print $2}')
port=$(echo "$cluster" | awk '{print $3}')
if ! echo "$cluster" | grep -q online; then
    pg_ctlcluster --skip-systemctl-redirect "$version" "$name" start >&2
fi
as_postgres() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi
}
exists=$(as_postgres psql -p "$port" -tAc "SELECT 1 FROM pg_roles WHERE rolname='$PGUSER_NAME'")
if [ "$exists" != 1 ]; then
    as_postgres psql -p "$port" -qc "CREATE ROLE $PGUSER_NAME LOGIN CREATEDB PASSWORD '$PGPASS'" >&2
fi
dbexists=$(as_postgres psql -p "$port" -tAc "SELECT 1 FROM pg_database WHERE datname='$PGUSER_NAME'")
if [ "$dbexists" != 1 ]; then
    as_postgres createdb -p "$port" -O "$PGUSER_NAME" "$PGUSER_NAME" >&2
fi
echo "postgres://$PGUSER_NAME:$PGPASS@127.0.0.1:$port/$PGUSER_NAME"
