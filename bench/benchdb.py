"""The PostgreSQL database of a benchmark: on the server ``scripts/postgres.sh``
starts (or the one of ``DATABASE_URL``, kept as it is), created when missing and
dropped at the end, with Django set up and migrated on it."""

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def server_url(database):
    """(url, whether the benchmark owns the database and may drop it)."""
    url = os.environ.get("DATABASE_URL")
    if url:
        return url, False
    base = subprocess.run(
        ["sh", "scripts/postgres.sh"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()
    return base.rsplit("/", 1)[0] + f"/{database}", True


def admin(url):
    import psycopg

    return psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True)


def create_database(url, database):
    with admin(url) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [database]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{database}"')


def drop_database(url, database):
    with admin(url) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def setup_django(url, *, database_cache=False):
    """Django on ``url``, migrated; with ``database_cache``, the shared cache production
    has (``CACHE_BACKEND`` unless set), in the database, instead of the process's own."""
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if database_cache:
        os.environ.setdefault("CACHE_BACKEND", "django.core.cache.backends.db.DatabaseCache")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if database_cache:
        call_command("createcachetable", verbosity=0)
