"""Signing in with an e-mail address and a password."""

from django.contrib.auth import backends

from osallistu.core.sessions import person


class ModelBackend(backends.ModelBackend):
    """Django's, except that the signed-in person, needed on every request, is the one
    read together with the session, or else read with one hand-written query instead of
    the ORM's (``osallistu.core.sessions.person``)."""

    def get_user(self, user_id):
        user = person(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
