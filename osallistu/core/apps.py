from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "osallistu.core"
    verbose_name = _("Core")

    def ready(self):
        from . import mail, own_data, tasks  # noqa: F401  jobs; core's own personal data

        # Each app's register of personal data (osallistu.core.personal_data); core
        # imports no app by name, so it finds them as the admin finds admin modules.
        autodiscover_modules("personal_data")
