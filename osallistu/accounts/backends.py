"""Signing in with an e-mail address and a password."""

from functools import cache

from django.contrib.auth import backends, get_user_model

from osallistu.core.rows import Rows
from osallistu.core.sessions import lent_person


@cache
def _rows():
    return Rows(get_user_model(), "u")


class ModelBackend(backends.ModelBackend):
    """Django's, except that the signed-in person, needed on every request, is the one
    read together with the session (``osallistu.core.sessions``) or else read with one
    hand-written query instead of the ORM's (see ``osallistu.core.rows``)."""

    def get_user(self, user_id):
        user = lent_person(user_id) or _rows().get("u.id = %s", [user_id])
        return user if user is not None and self.user_can_authenticate(user) else None
