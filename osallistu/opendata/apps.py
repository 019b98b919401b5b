from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpendataConfig(AppConfig):
    name = "osallistu.opendata"
    verbose_name = _("Open data")

    def ready(self):
        from osallistu.core import parts

        # datasets declares the resources; tasks, the nightly export.
        from . import datasets, tasks  # noqa: F401

        parts.register(
            parts.Part(
                key="opendata",
                title=_("Open data"),
                description=_(
                    "Budgets, votes, results, surveys, initiatives, premises, feedback, "
                    "volunteering and the figures of participation as open data anyone "
                    "may reuse: an API and downloads."
                ),
                url_name="opendata:page",
                order=90,
                in_footer=True,
            )
        )
