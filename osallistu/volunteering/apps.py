from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteeringConfig(AppConfig):
    name = "osallistu.volunteering"
    verbose_name = _("Volunteering")

    def ready(self):
        from osallistu.core import parts

        from . import permissions, tasks  # noqa: F401  (tasks register with the worker)

        parts.register(
            parts.Part(
                key="volunteering",
                title=_("Volunteer"),
                description=_(
                    "Find a volunteering task that suits you, sign up for a shift and have "
                    "your hours count. Or organise a talkoot in your neighbourhood."
                ),
                url_name="volunteering:search",
                order=40,
            )
        )
        parts.register(
            parts.Part(
                key="volunteering_staff",
                title=_("Volunteering"),
                description=_(
                    "Verify organisers, approve residents' talkoot and see the figures "
                    "of volunteering."
                ),
                url_name="volunteering:staff",
                order=40,
                staff_only=True,
                visible_to=permissions.may_use_desk,
            )
        )
