"""What the resources of feedback, coaches, volunteering, monitoring, neighbourhoods
and plan pictures publish, and what of each they leave out, beyond the allow-list walk
of test_privacy."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.opendata.world import SECRET

pytestmark = pytest.mark.django_db


def data(client, path, **query):
    response = client.get(f"/api/v1/{path}/", query)
    assert response.status_code == 200, response.content
    return response.json()["data"]


def ids(client, path, **query):
    return {row["id"] for row in data(client, path, **query)}


def test_plans_link_their_neighbourhood_and_pictures_only_of_public_plans(client, world):
    plan = client.get(
        f"/api/v1/budgeting/plans/{world['funded'].pk}/", {"include": "neighbourhood"}
    )
    neighbourhood = plan.json()["neighbourhood"]
    assert neighbourhood["district"]["@id"].endswith("/api/v1/areas/eastern/")
    assert neighbourhood["id"] in ids(client, "neighbourhoods", district="eastern")
    assert neighbourhood["id"] not in ids(client, "neighbourhoods", district="western")
    pictures = data(client, "budgeting/plan-images")
    assert [picture["plan"]["@id"].rstrip("/").rsplit("/", 1)[-1] for picture in pictures] == [
        str(world["funded"].pk)
    ]
    assert pictures[0]["alt_text"]["sv"] == "A playground (sv)"
    assert pictures[0]["thumbnail"].startswith("http://testserver/")


def test_feedback_as_moderated_with_its_public_history(client, world):
    public = world["public_feedback"]
    [feedback] = data(client, "feedback/feedback")
    assert feedback["id"] == public.pk
    assert feedback["public_title"] == "Broken swing"
    assert feedback["answer"] == "We fix it next week."
    assert feedback["service"]["@id"].endswith("/api/v1/feedback/categories/211/")
    events = data(client, "feedback/events", feedback=public.pk)
    assert [(event["kind"], event["note"]) for event in events] == [
        ("submitted", None),
        ("status", "Ordered the part"),
        ("reopened", None),
    ]
    assert [photo["description"] for photo in data(client, "feedback/photos")] == ["The swing"]
    assert ids(client, "feedback/feedback", bbox="25.0,60.1,25.2,60.3") == {public.pk}
    assert ids(client, "feedback/feedback", bbox="24.0,60.1,24.5,60.3") == set()
    assert ids(client, "feedback/feedback", service="211", district="eastern") == {public.pk}
    assert ids(client, "feedback/feedback", status="done") == set()
    questions = data(client, "feedback/attributes", service="211")
    assert [question["code"] for question in questions] == ["equipment", "since"]
    choices = data(client, "feedback/attribute-values", service="211")
    assert {choice["key"] for choice in choices} == {"swing", "slide"}


def test_coaches_show_their_public_channels_never_their_login(client, world):
    [coach] = data(client, "coaches/coaches")
    assert coach["id"] == "kaarina"
    assert coach["name"] == "Kaarina Coach"
    assert coach["email"] == "coaches@hel.example.fi"
    assert [district["@id"] for district in coach["districts"]] == [
        "http://testserver/api/v1/areas/eastern/"
    ]
    hours = data(client, "coaches/office-hours", include="coach,place")
    assert [row["coach"]["id"] for row in hours] == ["kaarina"]
    exceptions = data(client, "coaches/office-hours-exceptions", coach="kaarina")
    assert [(row["date"], row["begins"]) for row in exceptions] == [
        ("2026-12-24", None),
        ("2026-12-30", "12:00"),
    ]
    [event] = data(client, "coaches/events", district="eastern")
    assert (event["capacity"], event["places_left"]) == (20, 19)


def test_a_coach_without_a_name_is_not_shown_by_the_address_they_log_in_with(client, world):
    user = world["coach_event"].organiser
    user.full_name = ""
    user.save(update_fields=["full_name"])
    coach = client.get("/api/v1/coaches/coaches/kaarina/").json()
    assert coach["name"] is None
    assert "coach.login@example.fi" not in str(coach)


def test_volunteering_of_verified_organisers_and_places_left(client, world):
    assert ids(client, "volunteering/organisers") == {"kumppanit"}
    [opportunity] = data(client, "volunteering/opportunities", include="themes")
    assert opportunity["id"] == world["opportunity"].pk
    assert len(opportunity["themes"]) == 1 and opportunity["themes"][0]["name"]["fi"]
    theme = opportunity["themes"][0]["id"]
    assert ids(client, "volunteering/opportunities", theme=theme) == {opportunity["id"]}
    assert ids(client, "volunteering/opportunities", organiser="unverified") == set()
    [shift] = data(client, "volunteering/shifts")
    assert (shift["capacity"], shift["places_left"]) == (
        3,
        3 - world["opportunity"].shifts.get().taken,
    )
    assert ids(client, "volunteering/talkoot", district="eastern") == {world["talkoot"].pk}
    assert ids(client, "volunteering/talkoot", district="western") == set()


def test_monitoring_plans_reports_and_figures_with_small_cells_suppressed(client, world):
    assert ids(client, "monitoring/plans") == {world["plan"].pk}
    assert ids(client, "monitoring/plans", year=2026) == {world["plan"].pk}
    assert ids(client, "monitoring/plans", year=2030) == set()
    assert {goal["plan"]["@id"] for goal in data(client, "monitoring/goals")} == {
        f"http://testserver/api/v1/monitoring/plans/{world['plan'].pk}/"
    }
    [report] = data(client, "monitoring/reports")
    assert report["figures"] == world["report"].figures
    assert report["pdf"] == (
        f"http://testserver/fi/monitoring/reports/{world['report'].pk}/report.pdf"
    )

    city = client.get("/api/v1/monitoring/figures/helsinki/").json()
    indicators = {indicator["key"]: indicator for indicator in city["indicators"]}
    voters = indicators["budgeting-voters"]
    assert voters["title"]["fi"] and voters["title"]["fi"] != voters["title"]["en"]
    assert voters["total"]["people"] == 6
    eastern = next(cell for cell in voters["by_district"] if cell["group"] == "eastern")
    assert eastern["people"] == 6
    supporters = indicators["initiative-supporters"]["total"]
    assert supporters["suppressed"] is True
    assert supporters["people"] is None and supporters["value"] is None
    assert city["year"] in city["years"]

    earlier = client.get("/api/v1/monitoring/figures/helsinki/", {"year": 1990}).json()
    assert earlier["year"] == 1990
    assert {indicator["total"]["people"] for indicator in earlier["indicators"]} <= {0, None}
    refused = client.get("/api/v1/monitoring/figures/", {"year": "twenty"})
    assert refused.status_code == 400
    assert "year" in refused.json()["errors"]


def test_committee_reports_of_approved_plans_are_published_as_pdf(client, world):
    page = client.get("/en/monitoring/reports/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Participation plan" in text and "Urban environment committee" in text
    assert f"/en/monitoring/reports/{world['report'].pk}/report.pdf" in text
    assert SECRET not in text
    pdf = client.get(f"/fi/monitoring/reports/{world['report'].pk}/report.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content == b"%PDF-1.4" and pdf["Content-Language"] == "fi"
    # Neither a report still being made nor one of a plan not approved.
    for hidden in (world["queued_report"], world["draft_report"]):
        assert client.get(f"/fi/monitoring/reports/{hidden.pk}/report.pdf").status_code == 404


def test_monitoring_figures_are_counted_once_in_a_few_minutes(client, world):
    """An area's figures are kept in the shared cache for LIVE_SECONDS: a second client
    gets them without the monitoring queries."""
    first = client.get("/api/v1/monitoring/figures/helsinki/").json()
    with CaptureQueriesContext(connection) as again:
        second = client.get("/api/v1/monitoring/figures/helsinki/").json()
    assert second == first
    asked = " ".join(query["sql"] for query in again)
    assert "budgeting_participation" not in asked and "areas_population" not in asked


def test_population_of_a_small_group_is_not_published_in_the_figures():
    """As the population dataset does, the figures leave out a group of 1–4 residents."""
    from osallistu.monitoring.selectors import Cell
    from osallistu.opendata.datasets.monitoring import cell_data

    assert cell_data(Cell("0-17", "under 18", population=3))["population"] is None
    assert cell_data(Cell("18-29", "18-29", population=80_000))["population"] == 80_000


def test_a_new_unverified_organiser_and_a_draft_opportunity_stay_out(client, world):
    from tests.volunteering.factories import OpportunityFactory, OrganiserFactory

    waiting = OrganiserFactory(slug="waiting", status="pending")
    OpportunityFactory(organiser=waiting)
    OpportunityFactory(organiser=world["organiser"], status="closed")
    assert ids(client, "volunteering/organisers") == {"kumppanit"}
    assert ids(client, "volunteering/opportunities") == {world["opportunity"].pk}
