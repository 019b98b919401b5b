from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "osallistu.accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from osallistu.core import parts

        from . import selectors, services, signals  # noqa: F401  (signals: the event log)

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
        parts.register(
            parts.Part(
                key="accounts_person_data",
                title=_("A person's data"),
                description=_(
                    "Download the data Osallistu keeps about a resident who asks for it in person."
                ),
                url_name="accounts:staff_person_data",
                order=91,
                staff_only=True,
                visible_to=lambda user: selectors.may_export_for(user, None),
            )
        )
