"""Whole rows read with hand-written SQL and made into model instances as the ORM makes
them.

Only for reads made on (nearly) every request or on every ballot, where building the
query costs the ORM several times what the database takes to answer it (see
bench/voting.py): the signed-in person and their session, and a round's money and plans.

It leans on Django internals (``signals._live_receivers`` and the descriptor classes
below); ``tests/core/test_rows.py`` compares what it makes with what the ORM makes, and
it has to be checked again on every Django upgrade.
"""

from django.db import connection
from django.db.models import signals
from django.db.models.base import ModelState
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.query_utils import DeferredAttribute
from modeltranslation.fields import TranslationFieldDescriptor

# Descriptors of field attributes whose setting while Model.__init__ runs only puts the
# value in the instance's __dict__.
_STORING_DESCRIPTORS = {DeferredAttribute, ForeignKeyDeferredAttribute, TranslationFieldDescriptor}


def prepared_cursor():
    """A cursor whose statements the database keeps prepared where it can (our
    PostgreSQL backend's ``prepared_cursor``), else an ordinary one. For the statements
    of every request, which then have every parameter typed."""
    make = getattr(connection, "prepared_cursor", None)
    return make() if make is not None else connection.cursor()


class Rows:
    """Every concrete column of ``model`` under the table alias ``alias``, converted as
    the ORM converts it."""

    def __init__(self, model, alias):
        self.model = model
        self.alias = alias
        self.fields = model._meta.concrete_fields
        self.names = [field.attname for field in self.fields]
        self.table = f"{model._meta.db_table} {alias}"
        self._converters = {}
        self._is_plain = None

    def columns(self):
        quote = connection.ops.quote_name
        return [f"{self.alias}.{quote(field.column)}" for field in self.fields]

    def select(self, where):
        """``SELECT`` every column ``FROM`` the table ``WHERE`` ``where``."""
        return f"SELECT {', '.join(self.columns())} FROM {self.table} WHERE {where}"

    def get(self, where, params):
        """The one instance the query ``select(where)`` finds, or None."""
        with prepared_cursor() as cursor:
            cursor.execute(self.select(where), params)
            row = cursor.fetchone()
        return None if row is None else self.make(row)

    def make(self, values):
        converters = self._converters.get(connection.vendor)
        if converters is None:
            converters = self._converters[connection.vendor] = [
                (
                    column,
                    connection.ops.get_db_converters(column) + column.get_db_converters(connection),
                )
                for column in (field.get_col(self.alias) for field in self.fields)
            ]
        values = list(values)
        for index, (column, functions) in enumerate(converters):
            for convert in functions:
                values[index] = convert(values[index], column, connection)
        if not self._plain():
            return self.model.from_db(connection.alias, self.names, values)
        # What Model.__init__ leaves when the fields' descriptors merely store their
        # values, without its per-field work, which took a tenth of a Vote POST's CPU.
        instance = self.model.__new__(self.model)
        instance.__dict__.update(zip(self.names, values, strict=True))
        instance._state = ModelState()
        instance._state.adding = False
        instance._state.db = connection.alias
        return instance

    def _plain(self):
        """Whether an instance is only its field values: nothing listens for its
        creation but modeltranslation's clean-up, and every field's descriptor stores
        what it is given while the instance is made."""
        if self._is_plain is None:
            receivers = [
                receiver
                for signal in (signals.pre_init, signals.post_init)
                for receivers in signal._live_receivers(self.model)  # (sync, async)
                for receiver in receivers
            ]
            self._is_plain = all(
                getattr(receiver, "__module__", "").startswith("modeltranslation.")
                for receiver in receivers
            ) and all(
                type(getattr(self.model, name, None)) in _STORING_DESCRIPTORS for name in self.names
            )
        return self._is_plain
