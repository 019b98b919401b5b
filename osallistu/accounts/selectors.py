"""Reads for accounts."""

from django.db.models import Count, Prefetch, Q

from osallistu.areas.models import Area

from .models import StaffRole, User


def staff_accounts():
    """Members of staff, by name, with their roles and how many authenticator apps each
    has turned on (``apps``)."""
    return (
        User.objects.filter(is_staff=True)
        .annotate(apps=Count("totpdevice", filter=Q(totpdevice__confirmed=True)))
        .prefetch_related(
            Prefetch("roles", queryset=StaffRole.objects.select_related("area").order_by("role"))
        )
        .order_by("full_name", "email")
    )


def may_export_for(staff, person):
    """Whether ``staff`` may download ``person``'s data for them at a service point (with
    ``person`` None: whether they may do so for anyone). City administrators may for
    anyone; service point staff for residents of their district (city-wide: anyone)."""
    if not (staff.is_authenticated and staff.is_staff):
        return False
    if staff.is_superuser or staff.has_role(StaffRole.Role.CITY_ADMIN):
        return True
    roles = staff.roles.filter(role=StaffRole.Role.SERVICE_POINT)
    if person is None:
        return roles.exists()
    if person.is_staff:
        return False
    citywide = Q(area__isnull=True) | Q(area__kind=Area.Kind.CITY)
    if person.district_id is None:
        return roles.filter(citywide).exists()
    return roles.filter(citywide | Q(area_id=person.district_id)).exists()
