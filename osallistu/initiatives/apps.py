from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InitiativesConfig(AppConfig):
    name = "osallistu.initiatives"
    verbose_name = _("Residents' initiatives")

    def ready(self):
        from osallistu.core import parts

        # tasks: the background tasks of this app.
        from . import permissions, tasks  # noqa: F401

        parts.register(
            parts.Part(
                key="initiatives",
                title=_("Residents' initiatives"),
                description=_(
                    "Make an initiative to the city, gather support for it and follow how "
                    "the city prepares and answers it."
                ),
                url_name="initiatives:list",
                order=25,
            )
        )
        parts.register(
            parts.Part(
                key="initiatives_staff",
                title=_("Residents' initiatives"),
                description=_(
                    "Register and prepare initiatives, record the city's answers, enter "
                    "paper supports and help authors as a city coach."
                ),
                url_name="initiatives:staff_queue",
                order=25,
                staff_only=True,
                visible_to=permissions.may_use_initiatives_desk,
            )
        )
