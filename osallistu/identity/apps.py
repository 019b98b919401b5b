from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdentityConfig(AppConfig):
    name = "osallistu.identity"
    verbose_name = _("Identity and eligibility")

    def ready(self):
        from osallistu.core import parts

        from . import backends, permissions

        backends.register(backends.ElectronicIdentification())
        backends.register(backends.InPersonVerification())
        parts.register(
            parts.Part(
                key="identity_in_person",
                title=_("Check a person's identity"),
                description=_(
                    "A resident shows an ID document at the library or service point: "
                    "record that they are verified, with or without an account."
                ),
                url_name="identity:in_person",
                order=20,
                staff_only=True,
                visible_to=permissions.may_check_identity,
            )
        )
