"""Residents' proposals, decisions on them, and co-creation into plans."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from osallistu.budgeting.models import Plan, PlanStatus, Proposal, ProposalComment, ProposalStatus
from osallistu.budgeting.selectors import public_proposal_comments
from osallistu.budgeting.services import (
    MAX_PROPOSALS_PER_PERSON,
    Place,
    ProposalError,
    RoundLocked,
    create_plan_from_proposals,
    decide_proposal,
    hide_proposal,
    hide_proposal_comment,
    post_proposal_comment,
    submit_proposal,
    unhide_proposal,
    unhide_proposal_comment,
    update_proposal,
)
from osallistu.core.models import AuditEntry
from tests import images
from tests.budgeting import factories
from tests.budgeting.factories import RoundFactory
from tests.budgeting.test_budgeting_views import login_staff_with_mfa, text, url
from tests.factories import StaffRoleFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposing_round(helsinki):
    """Takes proposals now; voting is months away."""
    return factories.proposing_round(helsinki.values(), slug="ideas")


@pytest.fixture
def staff():
    return StaffRoleFactory().user


def propose(round, area, author=None, title="Uimaranta Vuosaareen"):
    return submit_proposal(
        round=round,
        author=author or UserFactory(),
        area=area,
        title=title,
        description="Hiekkaranta ja laituri.",
        theme="sports",
        language="fi",
    )


def test_submit_decide_and_combine(proposing_round, helsinki, staff):
    first = propose(proposing_round, helsinki["eastern"])
    second = propose(proposing_round, helsinki["eastern"], title="Laituri Vuosaareen")
    assert first.status == ProposalStatus.SUBMITTED
    decide_proposal(proposal=first, accept=True, reason="", actor=staff)
    decide_proposal(proposal=second, accept=True, reason="", actor=staff)

    plan = create_plan_from_proposals(
        proposals=[first, second],
        code="I-001",
        title={"fi": "Vuosaaren uimaranta", "sv": "Nordsjö badstrand", "en": "Vuosaari beach"},
        description={"fi": "Ranta ja laituri.", "sv": "", "en": ""},
        theme="sports",
        cost_low=80_000,
        cost_high=150_000,
        actor=staff,
    )
    assert plan.status == PlanStatus.DRAFT
    assert plan.area == helsinki["eastern"]
    assert set(plan.proposals.values_list("status", flat=True)) == {ProposalStatus.COMBINED}
    assert AuditEntry.objects.filter(action="budgeting.plan_created").exists()


def test_no_proposals_outside_the_proposal_phase(helsinki):
    round = RoundFactory()  # no proposal dates
    with pytest.raises(ProposalError) as refused:
        propose(round, helsinki["eastern"])
    assert refused.value.code == "closed"
    assert not Proposal.objects.exists()


def test_declining_needs_a_reason_and_decisions_are_final(proposing_round, helsinki, staff):
    proposal = propose(proposing_round, helsinki["eastern"])
    with pytest.raises(ProposalError) as refused:
        decide_proposal(proposal=proposal, accept=False, reason=" ", actor=staff)
    assert refused.value.code == "no_reason"
    decide_proposal(
        proposal=proposal, accept=False, reason="Kuuluu kaupungin perustehtäviin.", actor=staff
    )
    with pytest.raises(ProposalError) as refused:
        decide_proposal(proposal=proposal, accept=True, reason="", actor=staff)
    assert refused.value.code == "decided"


@pytest.mark.parametrize("problem", ["not_accepted", "mixed", "code_taken"])
def test_combining_rules(proposing_round, helsinki, staff, problem):
    east = propose(proposing_round, helsinki["eastern"])
    other = propose(
        proposing_round, helsinki["western"] if problem == "mixed" else helsinki["eastern"]
    )
    decide_proposal(proposal=east, accept=True, reason="", actor=staff)
    if problem != "not_accepted":
        decide_proposal(proposal=other, accept=True, reason="", actor=staff)
    if problem == "code_taken":
        Plan.objects.create(
            round=proposing_round,
            area=helsinki["eastern"],
            code="I-001",
            title_fi="x",
            title_sv="x",
            title_en="x",
            theme="sports",
            cost_low=1,
            cost_high=2,
        )
    with pytest.raises(ProposalError) as refused:
        create_plan_from_proposals(
            proposals=[east, other],
            code="I-001",
            title={"fi": "a", "sv": "b", "en": "c"},
            description={"fi": "d"},
            theme="sports",
            cost_low=1,
            cost_high=2,
            actor=staff,
        )
    assert refused.value.code == problem
    assert not Proposal.objects.filter(status=ProposalStatus.COMBINED).exists()


def test_no_new_plans_once_voting_has_started(voting_round, helsinki, staff):
    proposal = Proposal.objects.create(
        round=voting_round,
        area=helsinki["eastern"],
        title="x",
        description="y",
        language="fi",
        theme="sports",
        status=ProposalStatus.ACCEPTED,
    )
    with pytest.raises(RoundLocked):
        create_plan_from_proposals(
            proposals=[proposal],
            code="I-050",
            title={"fi": "a", "sv": "b", "en": "c"},
            description={"fi": "d"},
            theme="sports",
            cost_low=1,
            cost_high=2,
            actor=staff,
        )


def test_resident_sends_a_proposal_without_javascript(client, proposing_round, helsinki):
    author = UserFactory()
    client.force_login(author)
    page = text(client.get(url("round", "ideas")))
    assert url("proposal_new", "ideas") in page
    response = client.post(
        url("proposal_new", "ideas", language="sv"),
        {
            "area": "eastern",
            "theme": "parks",
            "title": "Fler träd i Nordsjö",
            "description": "Längs stranden.",
        },
    )
    proposal = Proposal.objects.get()
    assert response["Location"] == url("proposal", "ideas", proposal.pk, language="sv")
    assert proposal.author == author
    assert proposal.language == "sv"
    page = text(client.get(url("proposals", "ideas")))
    assert "Fler träd i Nordsjö" in page
    detail = text(client.get(url("proposal", "ideas", proposal.pk)))
    assert 'lang="sv"' in detail
    assert author.full_name not in detail  # proposers are not named publicly


def test_proposal_form_refused_outside_the_phase(client, voting_round):
    client.force_login(UserFactory())
    response = client.get(url("proposal_new", "omastadi"))
    assert response.status_code == 403
    assert "You cannot make a proposal now" in text(response)
    assert "does not take proposals now" in text(response)


def test_staff_decide_and_make_a_plan(client, proposing_round, helsinki):
    login_staff_with_mfa(client)
    proposal = propose(proposing_round, helsinki["eastern"])
    page = text(client.get(url("staff_proposals", "ideas")))
    assert proposal.title in page
    client.post(
        url("staff_proposals", "ideas"),
        {"proposal": proposal.pk, f"p{proposal.pk}-accept": "1", f"p{proposal.pk}-reason": ""},
    )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED

    form_url = url("staff_plan_from_proposals", "ideas", "eastern")
    assert form_url in text(client.get(url("staff_proposals", "ideas")))
    response = client.post(
        form_url,
        {
            "proposals": [proposal.pk],
            "code": "I-001",
            "theme": "sports",
            "title_fi": "Vuosaaren uimaranta",
            "title_sv": "Nordsjö badstrand",
            "title_en": "Vuosaari beach",
            "description_fi": "Ranta.",
            "cost_low": "90000",
            "cost_high": "80000",
        },
    )
    assert "The upper end must be at least the lower end." in text(response)
    response = client.post(
        form_url,
        {
            "proposals": [proposal.pk],
            "code": "I-001",
            "theme": "sports",
            "title_fi": "Vuosaaren uimaranta",
            "title_sv": "Nordsjö badstrand",
            "title_en": "Vuosaari beach",
            "description_fi": "Ranta.",
            "cost_low": "80000",
            "cost_high": "90000",
        },
    )
    assert response["Location"] == url("staff_plan", "ideas", "I-001")
    plan = Plan.objects.get(code="I-001")
    assert plan.title_sv == "Nordsjö badstrand"
    proposal.refresh_from_db()
    assert proposal.plan == plan


def test_one_person_can_send_a_limited_number_of_proposals(proposing_round, helsinki):
    author = UserFactory()
    for number in range(MAX_PROPOSALS_PER_PERSON):
        propose(proposing_round, helsinki["eastern"], author=author, title=f"Idea {number}")
    with pytest.raises(ProposalError) as refused:
        propose(proposing_round, helsinki["eastern"], author=author)
    assert refused.value.code == "too_many"
    propose(proposing_round, helsinki["eastern"])  # others still can


# The author's own proposals, editing until the deadline, places, images and comments


def tiny_png():
    return images.png(size=(1, 1))


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def proposal_post(**changes):
    return {
        "area": "eastern",
        "theme": "parks",
        "title": "Puisto",
        "description": "Penkkejä ja puita.",
        "place_text": "Vuosaaren satama",
        "latitude": "60,2101",
        "longitude": "25,1432",
        **changes,
    }


def test_proposal_with_a_place_and_an_image_without_metadata(
    client, proposing_round, helsinki, media
):
    author = UserFactory()
    client.force_login(author)
    png = images.png()
    response = client.post(
        url("proposal_new", "ideas"),
        proposal_post(
            image=SimpleUploadedFile("IMG_Aino_home.png", png, "image/png"),
            image_description="Puisto talvella",
        ),
    )
    proposal = Proposal.objects.get(author=author)
    assert response["Location"] == url("proposal", "ideas", proposal.pk)
    assert (proposal.latitude, proposal.longitude) == (Decimal("60.2101"), Decimal("25.1432"))
    image = proposal.images.get()
    stored = image.image.read()
    assert b"Aino" not in stored and b"eXIf" not in stored and b"IDAT" in stored
    assert "Aino" not in image.image.name and image.image.name.endswith(".png")
    page = text(client.get(response["Location"]))
    assert 'alt="Puisto talvella"' in page
    assert "Vuosaaren satama" in page and "60.210100 N" in page


def test_proposal_form_has_the_map_for_its_point(client, proposing_round, helsinki):
    client.force_login(UserFactory())
    page = text(client.get(url("proposal_new", "ideas")))
    # Hidden until core/map.js shows it; it fills in the typed coordinate fields.
    assert 'class="map-input" id="proposal_map" hidden data-geometry="point"' in page
    assert 'data-lat="id_latitude" data-lon="id_longitude"' in page
    assert page.count('class="map__district"') == 7
    assert "core/map.js" in page and "budgeting/proposal.js" in page and "core/map.css" in page
    assert 'name="latitude"' in page and 'name="longitude"' in page


def test_proposal_page_and_list_show_places_on_the_map(client, proposing_round, helsinki):
    with_point = submit_proposal(
        round=proposing_round,
        author=UserFactory(),
        area=helsinki["eastern"],
        title="Laituri",
        description="…",
        theme="parks",
        language="fi",
        place=Place(
            text="Vuosaaren satama", latitude=Decimal("60.2101"), longitude=Decimal("25.1432")
        ),
    )
    off_the_map = submit_proposal(
        round=proposing_round,
        author=UserFactory(),
        area=helsinki["eastern"],
        title="Ulkosaari",
        description="…",
        theme="parks",
        language="fi",
        place=Place(latitude=Decimal("59.95"), longitude=Decimal("25.0")),
    )
    propose(proposing_round, helsinki["western"], title="Ilman paikkaa")

    page = text(client.get(url("proposal", "ideas", with_point.pk)))
    assert 'class="map map--small"' in page and 'role="img"' in page
    assert page.count('class="map-input__point"') == 1
    assert "The point of the proposal on the map of Helsinki." in page
    # A point in Helsinki's waters beyond the drawn map is given in words only.
    page = text(client.get(url("proposal", "ideas", off_the_map.pk)))
    assert "map-input__point" not in page and "59.950000 N" in page

    page = text(client.get(url("proposals", "ideas")))
    links = re.findall(r'<a class="map__link" href="([^"]+)"><title>([^<]+)</title>', page)
    assert links == [(url("proposal", "ideas", with_point.pk), "Laituri")]
    assert "1 proposal on this page has a point on the map." in page
    # The list says where each one is, for those who do not use the map.
    assert "Place: <span" in page and "Vuosaaren satama" in page
    assert "Place: a point on the map" in page
    assert "Ilman paikkaa" in page
    # With no point on the page, there is no map.
    page = text(client.get(url("proposals", "ideas"), {"area": "western"}))
    assert 'class="map"' not in page


def test_jpeg_loses_its_exif_and_what_follows_it(proposing_round, helsinki, media):
    proposal = submit_proposal(
        round=proposing_round,
        author=UserFactory(),
        area=helsinki["eastern"],
        title="Kuva",
        description="…",
        theme="parks",
        language="fi",
        images=[(images.jpeg_with_a_second_jpeg_appended(), "Ranta")],
    )
    image = proposal.images.get()
    stored = image.image.read()
    assert b"PhoneMaker" not in stored and b"Exif" not in stored
    assert stored.count(b"\xff\xd8\xff") == 1 and stored.endswith(b"\xff\xd9")
    assert image.image.name.endswith(".jpg")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"longitude": ""}, "Give both the latitude and the longitude, or neither."),
        ({"latitude": "pohjoinen"}, "Write the coordinate as a number"),
        ({"latitude": "1e30"}, "A coordinate is a number of degrees from -180 to 180"),
        ({"longitude": "-1e400"}, "A coordinate is a number of degrees from -180 to 180"),
        ({"latitude": "NaN"}, "Write the coordinate as a number"),
        ({"latitude": "61,5"}, "The point is not in Helsinki."),
        (
            {"image": ("kuva.gif", b"GIF89a...", "image/gif"), "image_description": "Kuva"},
            "Only JPEG and PNG images can be added.",
        ),
        (
            {
                "image": ("kuva.png", b"\x89PNG\r\n\x1a\nbroken", "image/png"),
                "image_description": "K",
            },
            "The image could not be read.",
        ),
        (
            {"image": ("pommi.png", images.png_bomb()), "image_description": "Kuva"},
            "The image has too many pixels",
        ),
        ({"image": ("kuva.png", b"x", "image/png")}, "Describe the image for people who"),
    ],
)
def test_bad_place_or_image_is_refused_with_a_reason(
    client, proposing_round, helsinki, media, changes, message
):
    client.force_login(UserFactory())
    if "image" in changes:
        changes["image"] = SimpleUploadedFile(*changes["image"])
    response = client.post(url("proposal_new", "ideas"), proposal_post(**changes))
    assert response.status_code == 200
    assert message in text(response)
    assert not Proposal.objects.exists()
    assert not any(media.rglob("*.*"))


def test_my_proposals_shows_statuses_and_reasons(client, proposing_round, helsinki, staff):
    author = UserFactory()
    waiting = propose(proposing_round, helsinki["eastern"], author=author, title="Odottaa")
    declined = propose(proposing_round, helsinki["eastern"], author=author, title="Hylätty")
    decide_proposal(proposal=declined, accept=False, reason="Ei kaupungin maata.", actor=staff)
    propose(proposing_round, helsinki["eastern"], title="Jonkun muun")
    client.force_login(author)
    page = text(client.get(url("my_proposals")))
    assert "Odottaa" in page and "Hylätty" in page and "Jonkun muun" not in page
    assert "Waiting for review" in page and "Cannot go on" in page
    assert "Ei kaupungin maata." in page
    assert url("proposal_edit", "ideas", waiting.pk) in page


def test_author_edits_until_the_deadline_and_a_decision_is_reviewed_again(
    client, proposing_round, helsinki, staff, media
):
    author = UserFactory()
    proposal = propose(proposing_round, helsinki["eastern"], author=author)
    decide_proposal(proposal=proposal, accept=False, reason="Liian kallis.", actor=staff)
    client.force_login(author)
    edit = url("proposal_edit", "ideas", proposal.pk)
    assert "Uimaranta Vuosaareen" in text(client.get(edit))
    response = client.post(edit, proposal_post(title="Pienempi ranta", latitude="", longitude=""))
    assert response["Location"] == url("proposal", "ideas", proposal.pk)
    proposal.refresh_from_db()
    assert (proposal.title, proposal.status, proposal.decision_reason) == (
        "Pienempi ranta",
        ProposalStatus.SUBMITTED,
        "",
    )
    assert proposal.edited_at is not None and proposal.latitude is None
    entry = AuditEntry.objects.get(action="budgeting.proposal_edited")
    assert entry.data["previous_status"] == "declined"

    # After the deadline: refused with the reason, nothing changes.
    proposing_round.proposals_end = timezone.localdate() - datetime.timedelta(days=1)
    proposing_round.save()
    response = client.post(edit, proposal_post(title="Myöhässä"))
    assert response.status_code == 403
    assert "Proposals could be edited until" in text(response)
    proposal.refresh_from_db()
    assert proposal.title == "Pienempi ranta"
    page = text(client.get(url("my_proposals")))
    assert "can no longer be edited" in page and edit not in page


def test_only_the_author_edits_and_not_once_part_of_a_plan(
    client, proposing_round, helsinki, staff
):
    author = UserFactory()
    proposal = propose(proposing_round, helsinki["eastern"], author=author)
    client.force_login(UserFactory())
    assert client.get(url("proposal_edit", "ideas", proposal.pk)).status_code == 404
    decide_proposal(proposal=proposal, accept=True, reason="", actor=staff)
    create_plan_from_proposals(
        proposals=[proposal],
        code="I-001",
        title={"fi": "R", "sv": "S", "en": "B"},
        description={"fi": "…"},
        theme="sports",
        cost_low=1,
        cost_high=2,
        actor=staff,
    )
    client.force_login(author)
    response = client.get(url("proposal_edit", "ideas", proposal.pk))
    assert response.status_code == 403
    assert "already part of a plan" in text(response)


def test_author_removes_and_adds_images_within_the_limit(
    proposing_round, helsinki, media, django_capture_on_commit_callbacks
):
    author = UserFactory()
    proposal = submit_proposal(
        round=proposing_round,
        author=author,
        area=helsinki["eastern"],
        title="Kuvia",
        description="…",
        theme="parks",
        language="fi",
        images=[(tiny_png(), "Yksi"), (tiny_png(), "Kaksi"), (tiny_png(), "Kolme")],
    )
    first = proposal.images.first()
    first_file = media / first.image.name
    edit = {
        "proposal": proposal,
        "author": author,
        "area": helsinki["eastern"],
        "title": "Kuvia",
        "description": "…",
        "theme": "parks",
    }
    with pytest.raises(ProposalError) as refused:
        update_proposal(**edit, images=[(tiny_png(), "Neljä")])
    assert refused.value.code == "too_many_images"
    assert proposal.images.count() == 3
    assert len(list(media.rglob("*.png"))) == 3  # the refused file was not left behind

    with django_capture_on_commit_callbacks(execute=True):
        update_proposal(**edit, images=[(tiny_png(), "Neljä")], remove_images=[first])
    assert list(proposal.images.values_list("description", flat=True)) == [
        "Kaksi",
        "Kolme",
        "Neljä",
    ]
    assert not first_file.exists()


def test_comments_and_their_moderation(client, proposing_round, helsinki):
    proposal = propose(proposing_round, helsinki["eastern"])
    page_url = url("proposal", "ideas", proposal.pk)
    assert "Log in to comment." in text(client.get(page_url))

    client.force_login(UserFactory(full_name="Ville Vastaaja"))
    comment_url = url("proposal_comment", "ideas", proposal.pk)
    response = client.post(comment_url, {"text": "   "})
    assert response.status_code == 400 and "This field is required." in text(response)
    response = client.post(comment_url, {"text": "Hyvä idea! Soita 040 123 4567."})
    assert response["Location"] == page_url + "#comments"
    comment = ProposalComment.objects.get()
    page = text(client.get(page_url))
    assert "Hyvä idea!" in page and "Ville</strong>" in page and "Vastaaja" not in page

    # A moderator of another district cannot hide it; one of this district can.
    moderator = login_staff_with_mfa(client)
    moderator.staff.roles.all().delete()
    StaffRoleFactory(user=moderator.staff, role="moderator", area=helsinki["western"])
    hide_url = url("staff_hide_comment", "ideas", proposal.pk, comment.pk)
    assert client.post(hide_url, {f"hide{comment.pk}-reason": "Puhelinnumero"}).status_code == 403
    StaffRoleFactory(user=moderator.staff, role="moderator", area=helsinki["eastern"])
    assert "Hide this comment" in text(client.get(page_url))
    client.post(hide_url, {f"hide{comment.pk}-reason": ""})
    comment.refresh_from_db()
    assert not comment.is_hidden
    client.post(hide_url, {f"hide{comment.pk}-reason": "Puhelinnumero."})
    comment.refresh_from_db()
    assert comment.hidden_by == moderator.staff
    page = text(client.get(page_url))
    assert "A moderator hid this comment: Puhelinnumero." in page and "040 123" not in page
    assert AuditEntry.objects.get(action="budgeting.comment_hidden").data == {
        "reason": "Puhelinnumero."
    }


def test_comments_close_when_voting_starts(voting_round, helsinki):
    proposal = Proposal.objects.create(
        round=voting_round,
        area=helsinki["eastern"],
        author=UserFactory(),
        title="Vanha",
        description="…",
        language="fi",
        theme="parks",
    )
    with pytest.raises(ProposalError) as refused:
        post_proposal_comment(proposal=proposal, author=UserFactory(), text="Myöhässä")
    assert refused.value.code == "comments_closed"


def test_a_commenter_without_a_name_is_shown_as_a_resident(client, proposing_round, helsinki):
    proposal = propose(proposing_round, helsinki["eastern"])
    post_proposal_comment(
        proposal=proposal, author=UserFactory(full_name="", email="salainen@example.fi"), text="Hei"
    )
    page = text(client.get(url("proposal", "ideas", proposal.pk)))
    assert "A resident" in page and "salainen" not in page


def test_moderator_hides_a_proposal_with_a_reason(client, proposing_round, helsinki):
    author = UserFactory()
    proposal = propose(proposing_round, helsinki["eastern"], author=author, title="Naapurin nimi")
    page_url = url("proposal", "ideas", proposal.pk)
    hide_url = url("staff_hide_proposal", "ideas", proposal.pk)

    moderator = login_staff_with_mfa(client)
    moderator.staff.roles.all().delete()
    StaffRoleFactory(user=moderator.staff, role="moderator", area=helsinki["western"])
    assert client.post(hide_url, {"hide-reason": "Henkilötietoja."}).status_code == 403
    StaffRoleFactory(user=moderator.staff, role="moderator", area=helsinki["eastern"])
    assert "Hide this proposal" in text(client.get(page_url))
    client.post(hide_url, {"hide-reason": " "})
    proposal.refresh_from_db()
    assert not proposal.is_hidden
    response = client.post(hide_url, {"hide-reason": "Henkilötietoja."})
    assert response["Location"] == page_url
    proposal.refresh_from_db()
    assert proposal.hidden_reason == "Henkilötietoja."
    assert AuditEntry.objects.get(action="budgeting.proposal_hidden").actor == moderator.staff

    # Others see the reason in place of the text, and the list leaves it out.
    client.logout()
    page = text(client.get(page_url))
    assert "A moderator hid this proposal: Henkilötietoja." in page
    assert "Naapurin nimi" not in page
    assert "Naapurin nimi" not in text(client.get(url("proposals", "ideas")))
    # The author sees their text with the reason; nobody can comment on it.
    client.force_login(author)
    page = text(client.get(page_url))
    assert "Naapurin nimi" in page and "Henkilötietoja." in page
    assert "Henkilötietoja." in text(client.get(url("my_proposals")))
    with pytest.raises(ProposalError) as refused:
        post_proposal_comment(proposal=proposal, author=author, text="Hei")
    assert refused.value.code == "hidden"


def test_moderator_shows_a_hidden_proposal_again(client, proposing_round, helsinki, staff):
    proposal = propose(proposing_round, helsinki["eastern"], title="Puistonpenkit")
    hide_proposal(proposal=proposal, reason="Väärä alue?", actor=staff)
    page_url = url("proposal", "ideas", proposal.pk)
    unhide_url = url("staff_unhide_proposal", "ideas", proposal.pk)

    # Residents and moderators of other districts cannot; a moderator of the district can.
    client.force_login(UserFactory())
    assert client.post(unhide_url).status_code in (302, 403)
    proposal.refresh_from_db()
    assert proposal.is_hidden
    moderator = login_staff_with_mfa(client)
    moderator.staff.roles.all().delete()
    StaffRoleFactory(user=moderator.staff, role="moderator", area=helsinki["western"])
    assert client.post(unhide_url).status_code == 403
    StaffRoleFactory(user=moderator.staff, role="moderator", area=helsinki["eastern"])
    assert "Show the proposal again" in text(client.get(page_url))
    response = client.post(unhide_url)
    assert response["Location"] == page_url
    proposal.refresh_from_db()
    assert not proposal.is_hidden and proposal.hidden_reason == ""
    entry = AuditEntry.objects.get(action="budgeting.proposal_unhidden")
    assert entry.actor == moderator.staff and entry.data == {"reason": "Väärä alue?"}
    page = text(client.get(page_url))
    assert "Show the proposal again" not in page and "Hide this proposal" in page
    # A second request says so, and nothing more is recorded.
    page = text(client.post(unhide_url, follow=True))
    assert "This proposal is not hidden." in page
    assert AuditEntry.objects.filter(action="budgeting.proposal_unhidden").count() == 1
    client.logout()
    assert "Puistonpenkit" in text(client.get(url("proposals", "ideas")))


def test_moderator_shows_a_hidden_comment_again(client, proposing_round, helsinki, staff):
    proposal = propose(proposing_round, helsinki["eastern"])
    comment = post_proposal_comment(proposal=proposal, author=UserFactory(), text="Hyvä ajatus.")
    hide_proposal_comment(comment=comment, reason="Vahingossa.", actor=staff)
    unhide_url = url("staff_unhide_comment", "ideas", proposal.pk, comment.pk)
    moderator = login_staff_with_mfa(client)
    moderator.staff.roles.all().delete()
    StaffRoleFactory(user=moderator.staff, role="moderator", area=helsinki["western"])
    assert client.post(unhide_url).status_code == 403
    StaffRoleFactory(user=moderator.staff, role="moderator", area=helsinki["eastern"])
    assert "Show the comment again" in text(client.get(url("proposal", "ideas", proposal.pk)))
    response = client.post(unhide_url)
    assert response["Location"].endswith(f"#comment-{comment.pk}")
    comment.refresh_from_db()
    assert not comment.is_hidden and comment.hidden_reason == "" and comment.hidden_by is None
    entry = AuditEntry.objects.get(action="budgeting.comment_unhidden")
    assert entry.actor == moderator.staff and entry.data == {"reason": "Vahingossa."}
    assert "Hyvä ajatus." in text(client.get(url("proposal", "ideas", proposal.pk)))
    with pytest.raises(ProposalError) as refused:
        unhide_proposal_comment(comment=comment, actor=staff)
    assert refused.value.code == "not_hidden"


def test_comments_of_a_hidden_proposal_leave_the_public_list_with_it(
    proposing_round, helsinki, staff
):
    proposal = propose(proposing_round, helsinki["eastern"])
    other = propose(proposing_round, helsinki["eastern"], title="Koirapuisto")
    kept = post_proposal_comment(proposal=other, author=UserFactory(), text="Kyllä.")
    shown = post_proposal_comment(proposal=proposal, author=UserFactory(), text="Hyvä.")
    moderated = post_proposal_comment(proposal=proposal, author=UserFactory(), text="Roskaa.")
    hide_proposal_comment(comment=moderated, reason="Asiaton.", actor=staff)
    assert set(public_proposal_comments()) == {kept, shown}

    hide_proposal(proposal=proposal, reason="Henkilötietoja.", actor=staff)
    assert set(public_proposal_comments()) == {kept}
    # Shown again, the proposal brings back its comments, but not the one hidden alone.
    unhide_proposal(proposal=proposal, actor=staff)
    assert set(public_proposal_comments()) == {kept, shown}


def test_a_hidden_proposal_is_not_made_into_a_plan(proposing_round, helsinki, staff):
    proposal = propose(proposing_round, helsinki["eastern"])
    decide_proposal(proposal=proposal, accept=True, reason="", actor=staff)
    hide_proposal(proposal=proposal, reason="Loukkaava.", actor=staff)
    with pytest.raises(ProposalError) as refused:
        create_plan_from_proposals(
            proposals=[proposal],
            code="I-001",
            title={"fi": "R", "sv": "S", "en": "B"},
            description={"fi": "…"},
            theme="sports",
            cost_low=1,
            cost_high=2,
            actor=staff,
        )
    assert refused.value.code == "hidden"
    assert not Plan.objects.exists()
