from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "osallistu.feedback"
    verbose_name = _("Feedback")

    def ready(self):
        from django.apps import apps

        from osallistu.core import parts

        from . import permissions

        parts.register(
            parts.Part(
                key="feedback",
                title=_("Feedback to the city"),
                description=_(
                    "Tell the city what is broken or could be better, and follow how it is "
                    "handled. The city answers within a week."
                ),
                url_name="feedback:list",
                order=40,
            )
        )
        parts.register(
            parts.Part(
                key="feedback_staff",
                title=_("Feedback handling"),
                description=_(
                    "Moderate feedback, handle your division's feedback to the answer, merge "
                    "duplicates and issue keys to applications."
                ),
                url_name="feedback:staff_queue",
                order=40,
                staff_only=True,
                visible_to=permissions.may_use_feedback_desk,
            )
        )
        if apps.is_installed("osallistu.coaches"):
            from . import district

            district.register()
