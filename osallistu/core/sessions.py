"""Sessions in the database, as Django's ``db`` engine keeps them, read with one
hand-written query: every signed-in request reads its session, and the ORM's building of
that query cost more than the database took to answer it (see bench/voting.py)."""

from functools import cache

from django.contrib.sessions.backends import db
from django.utils import timezone

from .rows import Rows


@cache
def _rows():
    return Rows(db.SessionStore.get_model_class(), "s")


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        session = _rows().get(
            "s.session_key = %s AND s.expire_date > %s", [self.session_key, timezone.now()]
        )
        if session is None:
            self._session_key = None
        return session
