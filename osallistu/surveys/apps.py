from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "osallistu.surveys"
    verbose_name = _("Surveys and hearings")

    def ready(self):
        from osallistu.core import parts

        from . import permissions

        parts.register(
            parts.Part(
                key="surveys",
                title=_("Surveys"),
                description=_(
                    "Answer the city's surveys on plans and services, and see what others answered."
                ),
                url_name="surveys:list",
                order=20,
            )
        )
        parts.register(
            parts.Part(
                key="surveys_staff",
                title=_("Survey results and hearing moderation"),
                description=_(
                    "Results of the surveys in your care with charts, a breakdown by district "
                    "and age group, free-text answers, and exports to CSV and Excel; "
                    "moderation and official answers of hearing comments."
                ),
                url_name="surveys:staff_list",
                order=20,
                staff_only=True,
                visible_to=permissions.may_use_desk,
            )
        )
        parts.register(
            parts.Part(
                key="surveys_builder",
                title=_("Build surveys"),
                description=_(
                    "Create surveys and edit their pages, questions, options and display "
                    "conditions; preview them as residents see them, open, close and copy "
                    "them. For city administrators, district moderators and city coaches."
                ),
                url_name="surveys:builder_list",
                order=21,
                staff_only=True,
                visible_to=permissions.may_build,
            )
        )
