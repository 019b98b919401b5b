"""Sessions in the database, as Django's ``db`` engine keeps them, with the person each
is signed in as, so that a person's sessions can be found and end with their account."""

from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.sessions.backends import db


class SessionStore(db.SessionStore):
    @classmethod
    def get_model_class(cls):
        from .models import Session

        return Session

    def create_model_instance(self, data):
        instance = super().create_model_instance(data)
        user_id = data.get(SESSION_KEY)
        instance.user_id = None if user_id is None else get_user_model()._meta.pk.to_python(user_id)
        return instance
