from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoachesConfig(AppConfig):
    name = "osallistu.coaches"
    verbose_name = _("City coaches and business coaches")

    def ready(self):
        from osallistu.core import parts

        # contributions: what budgeting, surveys and premises show on district pages and
        # coaches' desks (registry); tasks: reminders and released holds.
        from . import contributions, permissions, tasks  # noqa: F401

        parts.register(
            parts.Part(
                key="districts",
                title=_("Your district and its coaches"),
                description=_(
                    "Find your district by postal code, see what is going on there, ask "
                    "your city coach or business coach and book a meeting."
                ),
                url_name="districts:index",
                order=5,
            )
        )
        parts.register(
            parts.Part(
                key="coaches_desk",
                title=_("Coach's desk"),
                description=_(
                    "Contact requests and appointments, office hours, events, companies "
                    "and the district's proposals waiting for advice."
                ),
                url_name="coaches:desk",
                order=15,
                staff_only=True,
                visible_to=permissions.may_use_desk,
            )
        )
        parts.register(
            parts.Part(
                key="coaches_activity",
                title=_("Activity of coaches"),
                description=_(
                    "Contacts, meetings, events and participants per coach, district and "
                    "month, and the companies business coaches reached."
                ),
                url_name="coaches:desk_activity",
                order=16,
                staff_only=True,
                visible_to=permissions.reports_without_desk,
            )
        )
        contributions.register_all()
