"""What a plan carries for voters to find it by: a neighbourhood, a place (points or an
area, from its proposals or set by the coach) and pictures with descriptions in three
languages, and how the staff screens and the services keep them right."""

import io
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from osallistu.areas.models import Neighbourhood
from osallistu.budgeting import services
from osallistu.budgeting.models import Plan, PlanImage, ProposalImage, Round
from osallistu.budgeting.services import ProposalError, RoundLocked
from osallistu.core.models import AuditEntry
from tests.budgeting.factories import PlanFactory
from tests.budgeting.test_budgeting_staff import (
    Role,
    accepted_proposal,
    future_round,  # noqa: F401 (a fixture)
    plan_post,
    sign_in,
)
from tests.budgeting.test_budgeting_views import text, url

pytestmark = pytest.mark.django_db

ALT = {"fi": "Laituri illalla", "sv": "Bryggan på kvällen", "en": "The pier in the evening"}


def picture(kind="PNG", size=(1200, 900), **save):
    out = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(out, kind, **save)
    return out.getvalue()


@pytest.fixture(autouse=True)
def _media_and_english(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with translation.override("en"):
        yield


def hood(slug):
    return Neighbourhood.objects.get(slug=slug)


def test_a_plan_takes_its_proposals_points_and_place(future_round, helsinki):  # noqa: F811
    Round.objects.filter(pk=future_round.pk).update(proposals_end=None)
    first = accepted_proposal(future_round, helsinki["eastern"], "Laituri")
    second = accepted_proposal(future_round, helsinki["eastern"], "Penkit")
    for proposal, (lat, lon, words) in zip(
        (first, second),
        (("60.2101", "25.1432", "Vuosaaren uimaranta"), ("60.2050", "25.1500", "")),
        strict=True,
    ):
        proposal.latitude, proposal.longitude, proposal.place_text = (
            Decimal(lat),
            Decimal(lon),
            words,
        )
        proposal.save()
    plan = services.create_plan_from_proposals(
        proposals=[first, second],
        code="I-010",
        title={"fi": "Ranta", "sv": "Strand", "en": "Shore"},
        description={"fi": "Ranta."},
        theme="parks",
        cost_low=1,
        cost_high=2,
        actor=None,
        neighbourhood=hood("vuosaari"),
    )
    assert plan.place == {
        "type": "MultiPoint",
        "coordinates": [[25.1432, 60.2101], [25.15, 60.205]],
    }
    assert plan.place_name_fi == "Vuosaaren uimaranta"
    assert plan.neighbourhood.name_sv == "Nordsjö"


def test_a_district_plan_serves_a_neighbourhood_of_its_district(future_round, helsinki):  # noqa: F811
    plan = PlanFactory(round=future_round, area=helsinki["eastern"], status="draft")
    with pytest.raises(ProposalError) as refused:
        services.update_plan(plan=plan, actor=None, neighbourhood=hood("haaga"))
    assert str(refused.value.message) == "Choose a neighbourhood of Eastern."
    services.update_plan(plan=plan, actor=None, neighbourhood=hood("vuosaari"))
    city_plan = PlanFactory(round=future_round, area=helsinki["city"], status="draft")
    services.update_plan(plan=city_plan, actor=None, neighbourhood=hood("haaga"))


@pytest.mark.parametrize(
    ("place", "message"),
    [
        ({"type": "Point", "coordinates": [24.0, 60.2]}, "The place must be in Helsinki"),
        ({"type": "Point", "coordinates": [25.0, "60.2"]}, "could not be read"),
        ({"type": "LineString", "coordinates": [[25.0, 60.2], [25.1, 60.2]]}, "could not be read"),
        ({"type": "MultiPoint", "coordinates": [[25.0, 60.2]] * 51}, "at most 50 points"),
        (
            {"type": "Polygon", "coordinates": [[[25.0, 60.2], [25.1, 60.2], [25.0, 60.2]]]},
            "at least three corners",
        ),
        (
            {
                "type": "Polygon",
                "coordinates": [
                    [[25.0, 60.2], [25.1, 60.25], [25.1, 60.2], [25.0, 60.25], [25.0, 60.2]]
                ],
            },
            "cross each other",
        ),
        ({"type": "Point", "coordinates": [float("nan"), 60.2]}, "must be in Helsinki"),
    ],
)
def test_a_place_that_is_not_one_is_refused(place, message):
    with pytest.raises(ProposalError) as refused:
        services.check_place(place)
    assert message in str(refused.value.message)


def test_the_coach_sets_the_place_on_the_plan_form(client, future_round, helsinki):  # noqa: F811
    coach = sign_in(client, Role.CITY_COACH, helsinki["eastern"])
    proposal = accepted_proposal(future_round, helsinki["eastern"])
    form = text(coach.get(url("staff_plan_from_proposals", "next", "eastern")))
    assert 'value="vuosaari"' not in form  # neighbourhoods are chosen by id
    assert ">Vuosaari</option>" in form and ">Haaga</option>" not in form
    response = coach.post(
        url("staff_plan_from_proposals", "next", "eastern"),
        plan_post(
            [proposal],
            neighbourhood=hood("vuosaari").pk,
            place="60,2101 25,1432\n60.2050, 25.1500\n60,2040; 25,1380",
            place_is_area="on",
            place_name_fi="Aurinkolahden ranta",
            place_name_sv="Solviks strand",
            place_name_en="Aurinkolahti shore",
        ),
    )
    assert response["Location"] == url("staff_plan", "next", "I-010")
    plan = Plan.objects.get(code="I-010")
    assert plan.place["type"] == "Polygon"
    assert plan.place["coordinates"][0][0] == plan.place["coordinates"][0][-1] == [25.1432, 60.2101]
    assert (plan.neighbourhood.slug, plan.place_name_sv) == ("vuosaari", "Solviks strand")
    page = text(coach.get(response["Location"]))
    assert '<path class="map-input__area"' in page
    # The form shows the corners as they were typed, and a wrong line says why.
    edit = text(coach.get(response["Location"]))
    assert "60,2101 25,1432" in edit
    response = coach.post(
        url("staff_plan", "next", "I-010"),
        plan_post([proposal], place="60,2101 25,1432\nthe beach"),
    )
    assert response.status_code == 200
    assert "Write each point on its own line as two numbers, like 60,2101 25,1432." in text(
        response
    )
    response = coach.post(
        url("staff_plan", "next", "I-010"), plan_post([proposal], place="59,0 25,0")
    )
    assert "The place must be in Helsinki, on the map of the ballot." in text(response)
    response = coach.post(url("staff_plan", "next", "I-010"), plan_post([proposal], place=""))
    plan.refresh_from_db()
    assert plan.place is None


def test_place_and_neighbourhood_are_fixed_once_voting_has_started(voting_round, plans, helsinki):
    plan = plans["east_a"]
    with pytest.raises(RoundLocked):
        services.update_plan(plan=plan, actor=None, neighbourhood=hood("vuosaari"))
    with pytest.raises(RoundLocked):
        services.update_plan(
            plan=plan, actor=None, place={"type": "Point", "coordinates": [25.1, 60.2]}
        )
    # Its place's name is a text, and can be corrected.
    services.update_plan(plan=plan, actor=None, texts={"place_name": {"sv": "Solvik"}})
    plan.refresh_from_db()
    assert plan.place_name_sv == "Solvik"


def test_pictures_from_a_file_and_from_a_proposal(future_round, helsinki):  # noqa: F811
    proposal = accepted_proposal(future_round, helsinki["eastern"])
    Round.objects.filter(pk=future_round.pk).update(proposals_end=None)
    proposal.round.refresh_from_db()
    plan = services.create_plan_from_proposals(
        proposals=[proposal],
        code="I-010",
        title={"fi": "Ranta", "sv": "Strand", "en": "Shore"},
        description={"fi": "Ranta."},
        theme="parks",
        cost_low=1,
        cost_high=2,
        actor=None,
    )
    # Drawn anew by core.images: neither the location nor what follows the picture stays.
    upload = picture("JPEG", exif=b"Exif\x00\x00GPS") + b"a second file after the picture"
    uploaded = services.add_plan_image(plan=plan, actor=None, data=upload, alt_text=ALT)
    assert (uploaded.position, uploaded.thumbnail_width, uploaded.thumbnail_height) == (1, 480, 360)
    with uploaded.thumbnail.open("rb") as small:
        assert Image.open(small).size == (480, 360)
    with uploaded.image.open("rb") as full:
        stored = full.read()
    assert b"GPS" not in stored and b"second file" not in stored
    assert Image.open(io.BytesIO(stored)).size == (1200, 900)
    assert uploaded.alt_text_sv == "Bryggan på kvällen"
    # A proposal's picture: the resident's file, cleaned when they added it.

    source = ProposalImage(proposal=proposal, description="Laituri")
    source.image.save("x.png", ContentFile(picture()), save=False)
    source.save()
    taken = services.add_plan_image(plan=plan, actor=None, source=source, alt_text=ALT)
    assert (taken.position, taken.source) == (2, source)
    other = PlanFactory(round=future_round, area=helsinki["eastern"], status="draft")
    with pytest.raises(ProposalError):
        services.add_plan_image(plan=other, actor=None, source=source, alt_text=ALT)
    # Every language needs a description; a file must be a picture.
    with pytest.raises(ProposalError) as refused:
        services.add_plan_image(plan=plan, actor=None, data=picture(), alt_text={**ALT, "sv": " "})
    assert refused.value.code == "alt_text"
    with pytest.raises(ProposalError) as refused:
        services.add_plan_image(plan=plan, actor=None, data=b"GIF89a....", alt_text=ALT)
    assert refused.value.code == "image"
    assert AuditEntry.objects.filter(action="budgeting.plan_image_added").count() == 2
    # Removing takes the files too, once committed.
    services.remove_plan_image(image=uploaded, actor=None)
    assert list(plan.images.values_list("position", flat=True)) == [2]


def test_pictures_stay_once_voting_starts_and_descriptions_can_be_corrected(
    voting_round, plans, helsinki
):
    image = PlanImage.objects.create(
        plan=plans["east_a"],
        position=1,
        image="budgeting/plans/x.png",
        thumbnail="budgeting/plans/y.png",
        thumbnail_width=10,
        thumbnail_height=10,
        alt_text_fi="Kuva",
        alt_text_sv="Bild",
        alt_text_en="Picture",
    )
    with pytest.raises(RoundLocked):
        services.add_plan_image(plan=plans["east_a"], actor=None, data=picture(), alt_text=ALT)
    with pytest.raises(RoundLocked):
        services.remove_plan_image(image=image, actor=None)
    services.describe_plan_image(image=image, actor=None, alt_text=ALT)
    image.refresh_from_db()
    assert image.alt_text_en == "The pier in the evening"


def test_coach_adds_and_describes_pictures_on_the_staff_page(client, future_round, helsinki):  # noqa: F811
    coach = sign_in(client, Role.CITY_COACH, helsinki["eastern"])
    plan = PlanFactory(round=future_round, area=helsinki["eastern"], code="I-020", status="draft")
    page_url = url("staff_plan_pictures", "next", "I-020")
    assert "The plan has no pictures yet." in text(coach.get(page_url))
    upload = SimpleUploadedFile("phone.jpg", picture("JPEG"), content_type="image/jpeg")
    response = coach.post(
        page_url,
        {"add": "1", "image": upload, **{f"alt_text_{k}": v for k, v in ALT.items()}},
    )
    assert response["Location"] == page_url
    image = plan.images.get()
    # Missing descriptions are told next to their fields, nothing is added.
    upload = SimpleUploadedFile("phone.jpg", picture("JPEG"), content_type="image/jpeg")
    response = coach.post(page_url, {"add": "1", "image": upload, "alt_text_fi": "Kuva"})
    assert response.status_code == 400
    assert text(response).count("This field is required.") == 2
    assert plan.images.count() == 1
    response = coach.post(page_url, {"add": "1", **{f"alt_text_{k}": v for k, v in ALT.items()}})
    assert "Choose a picture to add." in text(response)
    # Correct a description, then remove the picture.
    response = coach.post(
        page_url,
        {
            "describe": image.pk,
            f"picture{image.pk}-alt_text_fi": "Laituri aamulla",
            f"picture{image.pk}-alt_text_sv": "Bryggan på morgonen",
            f"picture{image.pk}-alt_text_en": "The pier in the morning",
        },
    )
    image.refresh_from_db()
    assert image.alt_text_fi == "Laituri aamulla"
    assert coach.post(page_url, {"remove": "x"}).status_code == 404
    coach.post(page_url, {"remove": image.pk})
    assert not plan.images.exists()
    # A coach of another district has no business here.
    other = sign_in(client, Role.CITY_COACH, helsinki["western"])
    assert other.get(page_url).status_code == 403
