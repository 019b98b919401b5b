from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "osallistu.monitoring"
    verbose_name = _("Monitoring participation")

    def ready(self):
        from osallistu.core import parts

        # tasks: the background tasks of this app.
        from . import permissions, tasks  # noqa: F401

        parts.register(
            parts.Part(
                key="monitoring",
                title=_("Monitoring participation"),
                description=_(
                    "Who takes part, where and in which ways, against the population: "
                    "figures by district and age group, and the groups that are missing."
                ),
                url_name="monitoring:dashboard",
                order=90,
            )
        )
        parts.register(
            parts.Part(
                key="monitoring_staff",
                title=_("Monitoring and committee reports"),
                description=_(
                    "Every figure of your areas, the divisions' participation plans and "
                    "the reports to the committees."
                ),
                url_name="monitoring:staff",
                order=90,
                staff_only=True,
                visible_to=permissions.may_use_monitoring_desk,
            )
        )
