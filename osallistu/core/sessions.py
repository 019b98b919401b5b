"""Sessions in the database, as Django's ``db`` engine keeps them, with the person each
is signed in as: every signed-in request reads its session and its person in one
hand-written query instead of two (see bench/voting.py); the ORM's building of such a
query costs more than the database takes to answer it.

``SessionStore`` keeps the person read with the session; ``person_read_with(session)``
lends them, while Django's ``auth.get_user`` runs, to ``person(user_id)``, which
``accounts.backends.ModelBackend.get_user`` calls; Django checks them as it checks any
person it is given.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache

from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.sessions.backends import db
from django.db import connection
from django.utils import timezone

from .rows import Rows, prepared_cursor

_lent = ContextVar("the person read with the session in use", default=None)


@cache
def _person_rows():
    return Rows(get_user_model(), "u")


@cache
def _reading():
    """The person's ``Rows`` and the query that reads a session's data and its person."""
    person = _person_rows()
    quote = connection.ops.quote_name
    sql = (
        f"SELECT s.session_data, {', '.join(person.columns())}"
        f" FROM {quote(SessionStore.get_model_class()._meta.db_table)} s"
        f" LEFT JOIN {person.table} ON u.{quote(person.model._meta.pk.column)} = s.user_id"
        " WHERE s.session_key = %s AND s.expire_date > %s"
    )
    return person, sql


class SessionStore(db.SessionStore):
    person = None  # who the session was signed in as when read, if anybody

    @classmethod
    def get_model_class(cls):
        from .models import Session

        return Session

    def create_model_instance(self, data):
        instance = super().create_model_instance(data)
        user_id = data.get(SESSION_KEY)
        instance.user_id = None if user_id is None else get_user_model()._meta.pk.to_python(user_id)
        return instance

    def load(self):
        person, sql = _reading()
        with prepared_cursor() as cursor:
            cursor.execute(sql, [self.session_key, timezone.now()])
            row = cursor.fetchone()
        if row is None:  # unknown or expired: a new key when saved
            self._session_key = None
            return {}
        self.person = None if row[1] is None else person.make(row[1:])
        return self.decode(row[0])


@contextmanager
def person_read_with(session):
    """Within the block, ``person(user_id)`` is the person read with ``session``
    (loading it), if they are ``user_id``."""
    session.get(SESSION_KEY)
    token = _lent.set(getattr(session, "person", None))
    try:
        yield
    finally:
        _lent.reset(token)


def person(user_id):
    """The person ``user_id``: the one read with the session in use if that is them,
    else read now with one hand-written query; None if there is no such person."""
    lent = _lent.get()
    if lent is not None and str(lent.pk) == str(user_id):
        return lent
    return _person_rows().get("u.id = %s", [user_id])
