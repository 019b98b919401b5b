from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "osallistu.core"
    verbose_name = _("Core")

    def ready(self):
        from . import mail  # noqa: F401  registers the e-mail job
