"""Who may record that a person's identity was checked in person.

Only service point staff (and superusers): a check makes a person eligible to vote, so
it is a permission of its own, not something every staff role can do. Each check is
in the audit log and counted per member of staff on the round's staff page.
"""

from osallistu.accounts.models import StaffRole


def may_check_identity(user):
    return (
        user.is_authenticated
        and user.is_staff
        and (user.is_superuser or user.has_role(StaffRole.Role.SERVICE_POINT))
    )
