from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PremisesConfig(AppConfig):
    name = "osallistu.premises"
    verbose_name = _("City premises")

    def ready(self):
        from osallistu.core import parts

        from . import selectors

        parts.register(
            parts.Part(
                key="premises",
                title=_("Book city premises"),
                description=_(
                    "Find a free room, hall or court for your meeting, hobby or party "
                    "and book it at once."
                ),
                url_name="premises:search",
                order=30,
            )
        )
        parts.register(
            parts.Part(
                key="premises_staff",
                title=_("City premises"),
                description=_(
                    "Handle bookings and free-of-charge applications, see a unit's day "
                    "and block time."
                ),
                url_name="premises:staff",
                order=30,
                staff_only=True,
                visible_to=selectors.may_manage_premises,
            )
        )
