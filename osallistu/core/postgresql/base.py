"""Django's PostgreSQL backend, with the health of a connection that was just used
taken for granted, and prepared statements for the queries of every request.

With ``CONN_HEALTH_CHECKS`` Django sends ``SELECT 1`` before the first query of every
request, so that a connection the server dropped (a restart, a failover) is replaced
instead of failing the request. Under load that round trip is a sixth of a Vote
press's trips to the database, for connections that answered a moment ago. Here a
connection used in the last ``TRUSTED_FOR`` seconds is not checked; one that sat
idle longer is, as Django checks every connection. A connection that fails anyway
is closed at the end of its request, as Django closes any connection that erred.

``prepared_cursor()`` gives a cursor that sends its parameters apart from the SQL
(server-side binding): psycopg then has PostgreSQL prepare a statement the connection
ran five times, and neither side parses, plans or quotes it again. Only for the
statements of every request, written with every parameter typed; the rest of Django
keeps its client-side binding. A pooler between the app and PostgreSQL must keep
prepared statements (PgBouncer 1.21+ with ``max_prepared_statements``).
"""

import time

from django.db.backends.postgresql import base, operations


class DatabaseOperations(operations.DatabaseOperations):
    def last_executed_query(self, cursor, sql, params):
        # psycopg gives no text for a statement it ran prepared: log it as written.
        return super().last_executed_query(cursor, sql, params) or sql


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
    TRUSTED_FOR = 2.0  # seconds
    _used_at = float("-inf")
    _binding_on_server = False

    def prepared_cursor(self):
        self._binding_on_server = True
        try:
            return self.cursor()
        finally:
            self._binding_on_server = False

    def create_cursor(self, name=None):
        if not self._binding_on_server:
            return super().create_cursor(name)
        factory = self.connection.cursor_factory
        self.connection.cursor_factory = base.ServerBindingCursor
        try:
            return super().create_cursor(name)
        finally:
            self.connection.cursor_factory = factory

    def close_if_health_check_failed(self):
        if self.connection is not None and time.monotonic() - self._used_at < self.TRUSTED_FOR:
            self.health_check_done = True
        super().close_if_health_check_failed()

    def _cursor(self, name=None):
        cursor = super()._cursor(name)
        self._used_at = time.monotonic()
        return cursor
