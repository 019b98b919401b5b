"""Identity checks kept as history (see ``osallistu.core.personal_data``)."""

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from osallistu.accounts.personal_data import IDENTITY
from osallistu.core.personal_data import register_model, register_retention

from .models import IdentityVerification

register_model(
    IdentityVerification,
    personal={
        IDENTITY: [
            "user",
            "method",
            "verified_at",
            "verified_by",
            "document_type",
            "birth_date",
            "municipality_code",
        ]
    },
    of_person=lambda user: IdentityVerification.objects.filter(user=user),
)


def erase_earlier_identifications(*, before):
    """A person's latest identification says what is known of them; earlier ones are
    history that is erased once old."""
    newer = IdentityVerification.objects.filter(
        user=OuterRef("user"), verified_at__gt=OuterRef("verified_at")
    )
    return (
        IdentityVerification.objects.filter(verified_at__lt=before)
        .filter(Exists(newer))
        .delete()[0]
    )


register_retention(
    key="identity.earlier_identifications",
    title=_("Earlier identifications of a person"),
    setting="RETENTION_EARLIER_IDENTIFICATIONS_DAYS",
    default_days=3 * 365,
    apply=erase_earlier_identifications,
)
