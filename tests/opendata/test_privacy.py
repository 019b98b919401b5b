"""Privacy by construction: every model is published or says why not, every endpoint
publishes exactly the fields allowed here, and what a visitor cannot see on the site
never appears."""

import json

import pytest
from django.apps import apps

from osallistu.opendata import resources
from tests.opendata.world import SECRET

pytestmark = pytest.mark.django_db

LINKED_DATA = {"@id", "@type", "id"}

# Every field each resource may publish. A field added to a declaration fails the walk
# below until it is added here, after someone has asked whether it is personal data.
ALLOWED = {
    "areas": {"slug", "kind", "number", "name"},
    "neighbourhoods": {
        "slug",
        "number",
        "latitude",
        "longitude",
        "approximate",
        "name",
        "district",
    },
    "postal-codes": {"code", "approximate", "name", "district"},
    "population": {
        "year",
        "age_from",
        "age_to",
        "gender",
        "approximate",
        "source",
        "count",
        "area",
    },
    "entitled-voters": {"year", "count", "source"},
    "budgeting/rounds": {
        "slug",
        "name",
        "description",
        "proposals_start",
        "proposals_end",
        "co_creation_start",
        "co_creation_end",
        "cost_estimates_start",
        "cost_estimates_end",
        "voting_starts_at",
        "voting_ends_at",
        "results_on",
        "implementation_start",
        "implementation_end",
        "minimum_voting_age",
        "age_rule",
        "counting_rule",
        "ballot_changeable",
        "min_plans_per_area",
        "max_plans_per_area",
    },
    "budgeting/budgets": {"amount", "round", "area"},
    "budgeting/plans": {
        "code",
        "theme",
        "cost_low",
        "cost_high",
        "status",
        "title",
        "description",
        "feasibility",
        "round",
        "area",
        "neighbourhood",
    },
    "budgeting/plan-images": {
        "position",
        "image",
        "thumbnail",
        "thumbnail_width",
        "thumbnail_height",
        "alt_text",
        "plan",
    },
    "budgeting/plan-updates": {"status", "happened_on", "recorded_at", "note", "plan"},
    "budgeting/proposals": {
        "title",
        "description",
        "language",
        "theme",
        "status",
        "decision_reason",
        "place_text",
        "latitude",
        "longitude",
        "submitted_at",
        "edited_at",
        "decided_at",
        "round",
        "area",
        "plan",
    },
    "budgeting/proposal-images": {"image", "description", "added_at", "proposal"},
    "budgeting/proposal-comments": {"text", "written_at", "proposal"},
    "budgeting/results": {
        "rule",
        "budget",
        "ballots_counted",
        "published_at",
        "selected",
        "plans",
        "pabulib",
        "round",
        "area",
    },
    "budgeting/turnout": {
        "slug",
        "voting_starts_at",
        "voting_ends_at",
        "voters",
        "by_channel",
        "by_district",
        "by_age",
    },
    "surveys/surveys": {
        "slug",
        "opens_at",
        "closes_at",
        "audience",
        "results_published",
        "created_at",
        "title",
        "description",
        "districts",
    },
    "surveys/results": {"slug", "title", "respondents", "questions"},
    "surveys/hearings": {
        "slug",
        "opens_at",
        "closes_at",
        "commenting",
        "map_comments",
        "created_at",
        "title",
        "lead",
        "districts",
    },
    "surveys/sections": {"position", "kind", "title", "content", "hearing"},
    "surveys/section-images": {"image", "position", "alt_text", "caption", "section"},
    "surveys/section-attachments": {"file", "position", "title", "section"},
    "surveys/polls": {
        "kind",
        "position",
        "voting",
        "results_shown",
        "text",
        "voters",
        "results",
        "section",
    },
    "surveys/comments": {
        "text",
        "geojson",
        "address",
        "is_official",
        "created_at",
        "support_count",
        "hearing",
        "section",
        "parent",
    },
    "initiatives/initiatives": {
        "category",
        "title",
        "proposal",
        "rationale",
        "language",
        "place_text",
        "latitude",
        "longitude",
        "state",
        "published_at",
        "sent_at",
        "diary_number",
        "registered_at",
        "decision_maker",
        "decision_date",
        "answer",
        "answer_language",
        "decision_url",
        "end_reason",
        "closed_at",
        "deadline",
        "council_threshold_reached_on",
        "referendum_threshold_reached_on",
        "edited_at",
        "supports_online",
        "supports_counting_online",
        "paper_valid",
        "area",
        "division",
    },
    "divisions": {"slug", "position", "is_active", "name"},
    "initiatives/transitions": {"from_state", "to_state", "at", "reason", "by_city", "initiative"},
    "initiatives/attachments": {"title", "file", "size", "added_at", "initiative"},
    "premises/units": {
        "slug",
        "type",
        "postal_code",
        "accessible_entrance",
        "accessible_toilet",
        "accessible_parking",
        "name",
        "description",
        "street_address",
        "terms",
        "accessibility_notes",
        "district",
    },
    "premises/spaces": {
        "slug",
        "capacity",
        "step_free_access",
        "induction_loop",
        "min_minutes",
        "max_minutes",
        "slot_minutes",
        "buffer_before_minutes",
        "buffer_after_minutes",
        "max_days_ahead",
        "max_active_bookings",
        "cancellable_hours_before",
        "price_kind",
        "price",
        "free_for_associations",
        "confirmation",
        "authentication",
        "name",
        "description",
        "terms",
        "accessibility_notes",
        "unit",
        "purposes",
        "equipment",
    },
    "premises/purposes": {"slug", "position", "name"},
    "premises/equipment": {"slug", "position", "name"},
    "premises/unit-photos": {"image", "position", "alt_text", "unit"},
    "premises/space-photos": {"image", "position", "alt_text", "space"},
    "premises/opening-hours": {"weekday", "opens", "closes", "space"},
    "premises/opening-exceptions": {"date", "opens", "closes", "reason", "unit", "space"},
    "premises/busy-times": {"occupied_from", "occupied_until", "space"},
    "feedback/categories": {
        "code",
        "position",
        "is_active",
        "name",
        "description",
        "group",
        "keywords",
        "division",
    },
    "feedback/attributes": {
        "code",
        "variable",
        "datatype",
        "required",
        "order",
        "description",
        "datatype_description",
        "service",
    },
    "feedback/attribute-values": {"key", "position", "name", "attribute"},
    "feedback/feedback": {
        "public_title",
        "public_description",
        "public_address",
        "latitude",
        "longitude",
        "status",
        "requested_at",
        "updated_at",
        "expected_at",
        "closed_at",
        "answer",
        "answered_at",
        "service",
        "district",
        "duplicate_of",
    },
    "feedback/photos": {"image", "description", "position", "feedback"},
    "feedback/events": {"kind", "status", "created_at", "note", "feedback"},
    "coaches/topics": {"slug", "audience", "position", "name"},
    "coaches/places": {
        "kind",
        "postal_code",
        "step_free",
        "induction_loop",
        "name",
        "street_address",
        "accessibility_notes",
        "district",
    },
    "coaches/coaches": {
        "slug",
        "kind",
        "languages",
        "phone",
        "email",
        "photo",
        "introduction",
        "reach",
        "photo_alt",
        "name",
        "districts",
    },
    "coaches/office-hours": {
        "weekday",
        "begins",
        "ends",
        "slot_minutes",
        "valid_from",
        "valid_until",
        "place",
        "coach",
    },
    "coaches/office-hours-exceptions": {"date", "begins", "ends", "slot_minutes", "place", "coach"},
    "coaches/events": {
        "kind",
        "begins_at",
        "ends_at",
        "languages",
        "step_free",
        "induction_loop",
        "signup_required",
        "capacity",
        "published_at",
        "cancelled_at",
        "cancel_reason",
        "title",
        "description",
        "accessibility_notes",
        "places_left",
        "district",
        "place",
        "space",
    },
    "volunteering/organisers": {
        "slug",
        "name",
        "kind",
        "description",
        "website",
        "created_at",
        "district",
    },
    "volunteering/themes": {"slug", "position", "name"},
    "volunteering/languages": {"slug", "position", "name"},
    "volunteering/opportunities": {
        "kind",
        "offers_training",
        "offers_insurance",
        "offers_certificate",
        "place_text",
        "latitude",
        "longitude",
        "remote",
        "accessible",
        "under_18_allowed",
        "youth_min_age",
        "cancel_hours_before",
        "published_at",
        "updated_at",
        "title",
        "description",
        "tasks",
        "benefits",
        "accessibility_notes",
        "organiser",
        "district",
        "themes",
        "languages",
    },
    "volunteering/shifts": {
        "starts_at",
        "ends_at",
        "place_text",
        "capacity",
        "status",
        "places_left",
        "opportunity",
    },
    "volunteering/talkoot": {
        "title",
        "description",
        "place_text",
        "latitude",
        "longitude",
        "starts_on",
        "ends_on",
        "expected_participants",
        "equipment",
        "equipment_notes",
        "district",
    },
    "monitoring/plans": {
        "title",
        "committee",
        "first_year",
        "last_year",
        "approved_on",
        "division",
    },
    "monitoring/goals": {"indicator", "measure", "target", "description", "plan", "district"},
    "monitoring/reports": {
        "period_start",
        "period_end",
        "language",
        "commentary",
        "scheduled",
        "made_at",
        "figures",
        "pdf",
        "plan",
    },
    "monitoring/figures": {"slug", "name", "year", "years", "indicators"},
}

# What the world holds that may identify a person: none of it may appear anywhere.
PERSONAL = [
    SECRET,
    "proposer@example.fi",
    "Pirjo",
    "booker@example.fi",
    "caretaker@example.fi",
    # feedback: its sender and the member of staff who handled it
    "sender@example.fi",
    "Sakari",
    "+358401234567",
    "handler@example.fi",
    "Hannu",
    # coaches: the addresses they log in with
    "coach.login@example.fi",
    "hidden.coach@example.fi",
    # volunteering: an organiser's own address and phone, contact people, proposers
    "organiser@example.fi",
    "+358409999999",
    "kaisa@example.fi",
    "Kaisa",
    "talkoot@example.fi",
    "Tuula",
    # monitoring: who asked for a report
    "reporter@example.fi",
    "Raili",
]


def project_models():
    return {
        model._meta.label
        for model in apps.get_models()
        if model.__module__.startswith("osallistu.")
    }


def test_every_model_is_published_or_says_why_not():
    published = {resource.model._meta.label for resource in resources.resources()}
    missing = project_models() - published - set(resources.NOT_PUBLISHED)
    assert not missing, (
        f"{sorted(missing)} have no endpoint: declare a Resource in "
        "osallistu/opendata/datasets/ or say why not with not_published()"
    )


def test_what_is_not_published_is_a_model_and_not_published():
    published = {resource.model._meta.label for resource in resources.resources()}
    assert set(resources.NOT_PUBLISHED) <= project_models()
    assert not set(resources.NOT_PUBLISHED) & published


def test_the_allow_list_names_every_resource():
    assert set(ALLOWED) == {resource.name for resource in resources.resources()}


def check_object(resource, obj):
    """The fields of ``obj`` are the resource's allowed ones, and any included object's
    are its own resource's."""
    assert set(obj) == LINKED_DATA | ALLOWED[resource.name], resource.name
    for name, link in resource.links.items():
        values = obj[name] if link.many else [obj[name]]
        for value in values:
            if value is not None and set(value) != {"@id"}:
                check_object(resources.registry[link.resource], value)


def test_every_endpoint_and_field_against_the_allow_list(client, world):
    for resource in resources.resources():
        include = ",".join(resource.links)
        response = client.get(f"/api/v1/{resource.name}/", {"include": include, "page_size": 100})
        assert response.status_code == 200, resource.name
        body = response.json()
        assert body["data"], f"the world has nothing of {resource.name} to check"
        text = json.dumps(body, ensure_ascii=False)
        for personal in PERSONAL:
            assert personal not in text, (resource.name, personal)
        for obj in body["data"]:
            check_object(resource, obj)
            detail = client.get(obj["@id"], {"include": include})
            assert detail.status_code == 200, obj["@id"]
            assert detail.json() == obj


def test_hidden_and_draft_objects_are_not_reachable(client, world):
    for path in (
        f"/api/v1/budgeting/proposals/{world['hidden_proposal'].pk}/",
        f"/api/v1/budgeting/plans/{world['draft'].pk}/",
        f"/api/v1/initiatives/initiatives/{world['draft_initiative'].pk}/",
        "/api/v1/surveys/surveys/draft-survey/",
        "/api/v1/surveys/hearings/future-hearing/",
        "/api/v1/premises/units/closed-unit/",
        "/api/v1/premises/spaces/secret-room/",
        f"/api/v1/feedback/feedback/{world['hidden_feedback'].pk}/",
        "/api/v1/coaches/coaches/hidden-coach/",
        "/api/v1/coaches/topics/retired-topic/",
        f"/api/v1/coaches/events/{world['draft_event'].pk}/",
        "/api/v1/volunteering/organisers/unverified/",
        f"/api/v1/volunteering/opportunities/{world['draft_opportunity'].pk}/",
        f"/api/v1/volunteering/opportunities/{world['unverified_opportunity'].pk}/",
        f"/api/v1/volunteering/shifts/{world['hidden_shift'].pk}/",
        f"/api/v1/volunteering/talkoot/{world['waiting_talkoot'].pk}/",
        f"/api/v1/monitoring/plans/{world['draft_plan'].pk}/",
        f"/api/v1/monitoring/reports/{world['queued_report'].pk}/",
        f"/api/v1/monitoring/reports/{world['draft_report'].pk}/",
    ):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.json()["code"] == "not_found"


def test_a_link_to_an_unpublished_object_is_null(client, world):
    """A proposal combined into a plan that is still a draft does not reveal the plan."""
    response = client.get(
        f"/api/v1/budgeting/proposals/{world['combined'].pk}/", {"include": "plan"}
    )
    assert response.json()["plan"] is None


def test_signed_in_staff_see_no_more_than_anyone(client, world):
    from tests.factories import StaffRoleFactory, sign_in_past_second_factor

    anonymous = client.get("/api/v1/budgeting/plans/").json()
    sign_in_past_second_factor(client, StaffRoleFactory().user)
    assert client.get("/api/v1/budgeting/plans/").json() == anonymous
