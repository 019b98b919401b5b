"""Django's PostgreSQL backend, with the health of a connection that was just used
taken for granted.

With ``CONN_HEALTH_CHECKS`` Django sends ``SELECT 1`` before the first query of every
request, so that a connection the server dropped (a restart, a failover) is replaced
instead of failing the request. Under load that round trip is a sixth of a Vote
press's trips to the database, for connections that answered a moment ago. Here a
connection used in the last ``TRUSTED_FOR`` seconds is not checked; one that sat
idle longer is, as Django checks every connection. A connection that fails anyway
is closed at the end of its request, as Django closes any connection that erred.
"""

import time

from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    TRUSTED_FOR = 2.0  # seconds
    _used_at = float("-inf")

    def close_if_health_check_failed(self):
        if self.connection is not None and time.monotonic() - self._used_at < self.TRUSTED_FOR:
            self.health_check_done = True
        super().close_if_health_check_failed()

    def _cursor(self, name=None):
        cursor = super()._cursor(name)
        self._used_at = time.monotonic()
        return cursor
