"""Companies and the contacts business coaches log with them."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from osallistu.core import audit

from .. import business_id, permissions
from ..models import CITY_TZ, CoachKind, Company, CompanyContact, ContactChannel, Sector
from .errors import check_length, refuse

NAME_LENGTH = 200
NOTES_LENGTH = 4000


def company_for(*, name, business_id_value, sector, district):
    """The company with this business ID: the one already known (its details are kept
    as they are), or a new one. Refused: ``invalid_business_id``,
    ``company_name_required``, ``company_name_too_long``, ``invalid_sector``,
    ``company_district_required``. Call it inside the transaction of what the company
    is for, so that a refused booking or question leaves no company behind."""
    normalised = business_id.normalise(business_id_value)
    if normalised is None:
        refuse(
            "invalid_business_id",
            _(
                "A business ID is seven digits, a hyphen and a check digit, for example "
                "0112038-9. Please check the number."
            ),
        )
    known = Company.objects.filter(business_id=normalised).first()
    if known is not None:
        return known
    name = (name or "").strip()
    if not name:
        refuse("company_name_required", _("Please give the company's name."))
    check_length(
        name,
        NAME_LENGTH,
        "company_name_too_long",
        _("A name can be at most %(count)s characters."),
    )
    if sector not in Sector.values:
        refuse("invalid_sector", _("Please choose the sector."))
    if district is None or district.kind != district.Kind.DISTRICT:
        refuse("company_district_required", _("Please choose a district."))
    try:
        with transaction.atomic():
            company = Company.objects.create(
                name=name, business_id=normalised, sector=sector, district=district
            )
    except IntegrityError:
        # Someone added the same company a moment ago.
        return Company.objects.get(business_id=normalised)
    audit.record(action="coaches.company_added", target=company)
    return company


def log_company_contact(
    *, coach, company_details, topic, channel, happened_on, notes="", request=None, now=None
):
    """Log a contact of ``coach`` on ``happened_on`` (not in the future, at most a year
    ago) with the company of ``company_details`` (the arguments of ``company_for``: a
    company met for the first time is added)."""
    now = now or timezone.now()
    notes = (notes or "").strip()
    check_length(
        notes, NOTES_LENGTH, "notes_too_long", _("Please write at most %(count)s characters.")
    )
    if not permissions.may_log_company_contacts(coach):
        refuse("not_allowed", _("Only business coaches log contacts with companies."))
    if topic is None or topic.audience != CoachKind.BUSINESS:
        refuse("topic_not_offered", _("Please choose one of the topics listed."))
    if channel not in ContactChannel.values:
        refuse("invalid_channel", _("Please choose how you were in contact."))
    today = timezone.localtime(now, CITY_TZ).date()
    if happened_on > today:
        refuse("in_future", _("The date cannot be in the future."))
    if happened_on < today - datetime.timedelta(days=366):
        refuse("too_old", _("Contacts can be logged for the past year."))
    with transaction.atomic():
        company = company_for(**company_details)
        contact = CompanyContact.objects.create(
            coach=coach,
            company=company,
            district=company.district,
            topic=topic,
            channel=channel,
            happened_on=happened_on,
            notes=notes,
            request=request,
        )
        audit.record(
            action="coaches.company_contact_logged",
            actor=coach,
            target=contact,
            data={"company": company.business_id, "topic": topic.slug},
        )
    return contact
