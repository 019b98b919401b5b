"""The admin never offers what the product's rules forbid.

Every registered ModelAdmin, of our apps and of the libraries we install, has a decision
here; a model registered later without one fails the first test. Each decision is then
held: read-only admins write nothing, admins through services have no save or delete of
their own, no page shows a job's payload, and voters' personal data is not editable.
"""

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.test import RequestFactory
from django.utils import timezone

from osallistu.accounts.admin import PERSONAL_FIELDS
from osallistu.accounts.models import User
from osallistu.core.admin import AdminPolicy, AuditedAdminMixin
from osallistu.core.mail import send_later
from osallistu.core.models import Job
from tests.factories import UserFactory, sign_in_past_second_factor

pytestmark = pytest.mark.django_db

READ_ONLY, THROUGH_SERVICES, ADMIN_EDITS = (
    AdminPolicy.READ_ONLY,
    AdminPolicy.THROUGH_SERVICES,
    AdminPolicy.ADMIN_EDITS,
)

DECISIONS = {
    # The audit log is append-only; jobs are the worker's (a failed one can be queued again).
    "core.auditentry": READ_ONLY,
    "core.job": READ_ONLY,
    # Reference data that no service writes.
    "areas.area": ADMIN_EDITS,
    "areas.postalcode": ADMIN_EDITS,
    "areas.population": ADMIN_EDITS,
    "areas.entitledvoters": ADMIN_EDITS,
    "areas.neighbourhood": ADMIN_EDITS,
    # Accounts, roles and their closing go through accounts.services.
    "accounts.user": THROUGH_SERVICES,
    # The city's divisions: reference data of initiatives, feedback and monitoring.
    "accounts.division": ADMIN_EDITS,
    "identity.identityverification": READ_ONLY,
    # Round settings and plans through budgeting.services; who voted is only shown.
    "budgeting.round": THROUGH_SERVICES,
    "budgeting.plan": THROUGH_SERVICES,
    "budgeting.participation": READ_ONLY,
    # Surveys have their builder; hearings and polls are made in the admin.
    "surveys.survey": READ_ONLY,
    "surveys.question": READ_ONLY,
    "surveys.hearing": ADMIN_EDITS,
    "surveys.section": ADMIN_EDITS,
    "surveys.poll": ADMIN_EDITS,
    # Premises and their terms are made in the admin; bookings are handled by services.
    "premises.purpose": ADMIN_EDITS,
    "premises.equipment": ADMIN_EDITS,
    "premises.unit": ADMIN_EDITS,
    "premises.space": ADMIN_EDITS,
    "premises.booking": READ_ONLY,
    "premises.bookingseries": READ_ONLY,
    "premises.calendarfeed": READ_ONLY,
    # Initiatives and paper supports go through services.
    "initiatives.initiative": READ_ONLY,
    "initiatives.papersupportbatch": READ_ONLY,
    # Categories are made in the admin; feedback, its handling and the API keys go
    # through feedback.services (the staff pages), as do the members of divisions.
    "feedback.servicecategory": ADMIN_EDITS,
    "feedback.serviceattribute": ADMIN_EDITS,
    "feedback.feedback": READ_ONLY,
    "feedback.apikey": READ_ONLY,
    # The city's topics and meeting places, and the settings of coaches' pages (the coach
    # makes the page at the desk); hours, meetings, requests, events and companies are
    # the desk's, through coaches.services.
    "coaches.topic": ADMIN_EDITS,
    "coaches.place": ADMIN_EDITS,
    "coaches.coachprofile": ADMIN_EDITS,
    "coaches.officehours": READ_ONLY,
    "coaches.officehoursexception": READ_ONLY,
    "coaches.appointment": READ_ONLY,
    "coaches.contactrequest": READ_ONLY,
    "coaches.event": READ_ONLY,
    "coaches.company": READ_ONLY,
    "coaches.companycontact": READ_ONLY,
    # The lists the volunteering search offers; everything else has its own pages.
    "volunteering.theme": ADMIN_EDITS,
    "volunteering.language": ADMIN_EDITS,
}

# Actions of read-only admins, each a service of its own that writes the audit log.
READ_ONLY_ACTIONS = {"core.job": {"run_again"}}


def registered():
    return {
        model._meta.label_lower: admin.site.get_model_admin(model)
        for model in apps.get_models()
        if admin.site.is_registered(model)
    }


@pytest.fixture
def request_of_superuser():
    request = RequestFactory().get("/fi/admin/")
    request.user = UserFactory(is_staff=True, is_superuser=True)
    request.user.is_verified = lambda: True
    return request


def test_every_registered_model_has_a_decision():
    admins = registered()
    assert set(admins) == set(DECISIONS), (
        "A model is registered in the admin without a decision (or a decided one is gone): "
        "give its ModelAdmin an admin_policy and add it to DECISIONS."
    )
    for label, model_admin in admins.items():
        assert getattr(model_admin, "admin_policy", None) == DECISIONS[label], label


def test_libraries_admins_that_would_undo_our_rules_are_not_registered():
    from axes.models import AccessAttempt
    from django.contrib.auth.models import Group
    from django_otp.plugins.otp_totp.models import TOTPDevice

    for model in (Group, TOTPDevice, AccessAttempt, LogEntry):
        assert not admin.site.is_registered(model), model


def _inlines(model_admin):
    return [inline(model_admin.model, admin.site) for inline in model_admin.inlines]


def test_read_only_admins_add_change_and_delete_nothing(request_of_superuser):
    request = request_of_superuser
    for label, model_admin in registered().items():
        if DECISIONS[label] is not READ_ONLY:
            continue
        assert not model_admin.has_add_permission(request), label
        assert not model_admin.has_change_permission(request), label
        assert not model_admin.has_delete_permission(request), label
        for inline in _inlines(model_admin):
            assert not inline.has_add_permission(request, None), (label, inline)
            assert not inline.has_change_permission(request, None), (label, inline)
            assert not inline.has_delete_permission(request, None), (label, inline)
        actions = set(model_admin.get_actions(request))
        assert actions <= READ_ONLY_ACTIONS.get(label, set()), (label, actions)


def _own(model_admin, name):
    """Whether the admin saves or deletes in a way of its own (through a service),
    rather than Django's or the audit mixin's plain write."""
    method = getattr(type(model_admin), name)
    return method not in (getattr(admin.ModelAdmin, name), getattr(AuditedAdminMixin, name))


def test_admins_through_services_have_no_plain_writes(request_of_superuser):
    request = request_of_superuser
    for label, model_admin in registered().items():
        if DECISIONS[label] is not THROUGH_SERVICES:
            continue
        if model_admin.has_add_permission(request) or model_admin.has_change_permission(request):
            assert _own(model_admin, "save_model"), label
        assert not model_admin.has_delete_permission(request), label
        writing_inlines = [
            inline
            for inline in _inlines(model_admin)
            if inline.has_add_permission(request, None)
            or inline.has_change_permission(request, None)
            or inline.has_delete_permission(request, None)
        ]
        if writing_inlines:
            assert _own(model_admin, "save_formset"), label
        assert "delete_selected" not in model_admin.get_actions(request), label


def test_no_admin_page_shows_a_job_payload(client):
    secret = "https://example.invalid/register/confirm/SECRET-LINK/"
    job = send_later(to=["x@example.fi"], subject="Registration", body=secret)
    Job.objects.filter(pk=job.pk).update(state=Job.State.FAILED, finished_at=timezone.now())
    sign_in_past_second_factor(client, UserFactory(is_staff=True, is_superuser=True))
    for label in registered():
        app_label, model_name = label.split(".")
        page = client.get(f"/en/admin/{app_label}/{model_name}/")
        assert page.status_code == 200, label
        assert "SECRET-LINK" not in page.content.decode(), label
    page = client.get(f"/en/admin/core/job/{job.pk}/change/")
    assert page.status_code == 200
    assert "core.send_mail" in page.content.decode()
    assert "SECRET-LINK" not in page.content.decode()


def test_no_admin_form_edits_a_person_or_points_at_one(request_of_superuser):
    """Who a booking, vote or comment is by, and what a person told or proved about
    themselves, is never edited in the admin."""
    request = request_of_superuser
    for label, model_admin in registered().items():
        if not model_admin.has_change_permission(request):
            continue
        form = model_admin.get_form(request, None)
        for name, field in form.base_fields.items():
            queryset = getattr(field, "queryset", None)
            assert queryset is None or queryset.model is not User, (label, name)
    person = UserFactory()
    user_admin = admin.site.get_model_admin(User)
    editable = set(user_admin.get_form(request, person).base_fields)
    assert editable == {"is_active"}
    assert set(PERSONAL_FIELDS) <= set(user_admin.get_readonly_fields(request, person))
