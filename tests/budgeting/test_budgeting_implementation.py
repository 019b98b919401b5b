"""Following funded plans as they are carried out."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from osallistu.budgeting.models import PlanStatus, PlanUpdate
from osallistu.budgeting.services import ProgressError, record_plan_progress
from osallistu.core.models import AuditEntry
from tests.budgeting.factories import PlanFactory
from tests.budgeting.test_budgeting_views import login_staff_with_mfa, text, url
from tests.factories import StaffRoleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def funded(voting_round, helsinki):
    return PlanFactory(
        round=voting_round, area=helsinki["eastern"], code="I-010", status=PlanStatus.FUNDED
    )


@pytest.fixture
def staff():
    return StaffRoleFactory().user


def note(fi="Työt alkoivat.", sv="", en=""):
    return {"fi": fi, "sv": sv, "en": en}


def test_a_funded_plan_moves_forward_with_public_notes(funded, staff):
    record_plan_progress(plan=funded, status="in_progress", note=note(), actor=staff)
    record_plan_progress(
        plan=funded,
        status="implemented",
        note=note("Valmis.", "Klar.", "Done."),
        actor=staff,
        happened_on=datetime.date(2026, 6, 1),
    )
    funded.refresh_from_db()
    assert funded.status == PlanStatus.IMPLEMENTED
    latest = funded.updates.get(status="implemented")
    with translation.override("sv"):
        assert latest.note == "Klar."
    first = funded.updates.get(status="in_progress")
    with translation.override("en"):
        assert first.note == "Työt alkoivat."  # falls back to Finnish
    assert AuditEntry.objects.filter(action="budgeting.plan_progress").count() == 2


@pytest.mark.parametrize(
    ("plan_status", "new_status", "text_fi", "code"),
    [
        ("on_ballot", "in_progress", "x", "not_funded"),
        ("not_funded", "in_progress", "x", "not_funded"),
        ("implemented", "in_progress", "x", "backwards"),
        ("in_progress", "funded", "x", "backwards"),
        ("funded", "in_progress", "  ", "no_note"),
    ],
)
def test_progress_rules(voting_round, helsinki, staff, plan_status, new_status, text_fi, code):
    plan = PlanFactory(round=voting_round, area=helsinki["eastern"], status=plan_status)
    with pytest.raises(ProgressError) as refused:
        record_plan_progress(plan=plan, status=new_status, note=note(text_fi), actor=staff)
    assert refused.value.code == code
    assert not PlanUpdate.objects.exists()
    plan.refresh_from_db()
    assert plan.status == plan_status


def test_implementation_pages(client, voting_round, funded, plans, staff, helsinki):
    record_plan_progress(
        plan=funded, status="in_progress", note=note(en="Work began."), actor=staff
    )
    page = text(client.get(url("implementation", "omastadi")))
    assert "I-010" in page
    assert "Being carried out" in page
    assert "Work began." in page
    assert "I-001" not in page  # only on the ballot, not funded
    detail = text(client.get(url("plan", "omastadi", "I-010")))
    assert "Work began." in detail

    for _ in range(20):
        plan = PlanFactory(round=voting_round, area=helsinki["western"], status="funded")
        record_plan_progress(plan=plan, status="funded", note=note(), actor=staff)
    with CaptureQueriesContext(connection) as queries:
        client.get(url("implementation", "omastadi"))
    assert len(queries) <= 4


def test_staff_add_an_update(client, voting_round, funded):
    login_staff_with_mfa(client)
    form_url = url("staff_plan_progress", "omastadi", "I-010")
    assert "What happened (in Finnish)" in text(client.get(form_url))
    response = client.post(
        form_url,
        {"status": "in_progress", "happened_on": "2026-05-02", "note_fi": "Aloitettu."},
    )
    assert response["Location"] == url("implementation", "omastadi")
    funded.refresh_from_db()
    assert funded.status == PlanStatus.IN_PROGRESS

    response = client.post(
        form_url, {"status": "funded", "happened_on": "2026-05-03", "note_fi": "x"}
    )
    assert response.status_code == 200  # funded is no longer a choice
    assert PlanUpdate.objects.count() == 1
