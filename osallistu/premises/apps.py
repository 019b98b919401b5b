from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PremisesConfig(AppConfig):
    name = "osallistu.premises"
    verbose_name = _("City premises")
