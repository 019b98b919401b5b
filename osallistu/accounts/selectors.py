"""Reads for accounts."""

from django.db.models import Count, Prefetch, Q

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
