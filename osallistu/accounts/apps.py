from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "osallistu.accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from osallistu.core import parts

        from . import services, signals  # noqa: F401  (signals: the authentication event log)

        parts.register(
            parts.Part(
                key="accounts_staff",
                title=_("Staff accounts"),
                description=_(
                    "Members of staff, their roles and two-step verification; reset it for "
                    "someone who lost their authenticator app."
                ),
                url_name="accounts:staff_accounts",
                order=90,
                staff_only=True,
                visible_to=services.is_city_admin,
            )
        )
