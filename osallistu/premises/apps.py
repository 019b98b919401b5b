from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def may_manage_premises(user):
    """City administrators and premises managers (of a district or the whole city)."""
    from osallistu.accounts.models import StaffRole

    roles = [StaffRole.Role.CITY_ADMIN, StaffRole.Role.PREMISES_MANAGER]
    return user.is_superuser or user.roles.filter(role__in=roles).exists()


class PremisesConfig(AppConfig):
    name = "osallistu.premises"
    verbose_name = _("City premises")

    def ready(self):
        from osallistu.core import parts

        parts.register(
            parts.Part(
                key="premises",
                title=_("Book city premises"),
                description=_(
                    "Find a free room, hall or court for your meeting, hobby or party "
                    "and book it at once."
                ),
                url_name="premises:search",
                order=30,
            )
        )
        parts.register(
            parts.Part(
                key="premises_staff",
                title=_("City premises"),
                description=_(
                    "Handle bookings and free-of-charge applications, see a unit's day "
                    "and block time."
                ),
                url_name="premises:staff",
                order=30,
                staff_only=True,
                visible_to=may_manage_premises,
            )
        )
