"""What other apps show on a district page and at the coach's desk, through the
registry: an initiative of the district on its page, and one whose authors asked for
help at the desk of the district's coach, not of another district's; public feedback
and volunteering with open shifts on their district's page."""

from dataclasses import replace

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation

from osallistu.coaches import registry
from osallistu.coaches.contributions import initiatives_asking_help
from osallistu.coaches.permissions import coached_districts
from osallistu.initiatives import services as initiatives
from tests.coaches.factories import make_coach
from tests.factories import sign_in_past_second_factor
from tests.initiatives.conftest import start

pytestmark = pytest.mark.django_db


@pytest.fixture
def author(helsinki):
    from tests.factories import VerifiedResidentFactory

    return VerifiedResidentFactory(email="author@example.fi", district=helsinki["eastern"])


def test_every_installed_app_has_its_section_and_desk_source():
    assert [section.key for section in registry.district_sections()] == [
        "budgeting",
        "surveys",
        "initiatives",
        "feedback",
        "premises",
        "volunteering",
    ]
    assert {source.key for source in registry.desk_sources(None)} >= {
        "budgeting_proposals",
        "initiatives_help",
    }


def test_a_key_claimed_by_two_apps_is_refused():
    section = registry.district_sections()[0]
    registry.register_district_section(section)
    with pytest.raises(ImproperlyConfigured):
        registry.register_district_section(replace(section, order=section.order + 1))
    assert registry.district_sections()[0] is section


def test_an_initiative_asking_for_help_is_on_the_districts_coachs_desk(client, author, helsinki):
    east = make_coach(helsinki["eastern"], email="east@example.fi")
    central = make_coach(helsinki["central"], email="central@example.fi")
    initiative = start(author, helsinki["eastern"], title="Penkkejä rantaan")
    initiatives.publish_initiative(initiative=initiative, actor=author)
    initiatives.request_help(initiative=initiative, actor=author, message="Miten eteenpäin?")
    (item,) = initiatives_asking_help(east, coached_districts(east), None)
    assert item.title == "Penkkejä rantaan" and item.waiting_since is not None
    assert initiatives_asking_help(central, coached_districts(central), None) == []
    sign_in_past_second_factor(client, east)
    with translation.override("fi"):
        page = client.get("/fi/coaches/desk/").content.decode()
    assert "Apua pyytävät aloitteet" in page and "Penkkejä rantaan" in page
    assert "Penkkejä rantaan" in client.get("/fi/districts/eastern/").content.decode()
    assert "Penkkejä rantaan" not in client.get("/fi/districts/central/").content.decode()


def test_feedback_and_volunteering_are_on_their_districts_page(client, helsinki):
    from tests.feedback.factories import PublicFeedbackFactory
    from tests.volunteering.factories import ShiftFactory

    PublicFeedbackFactory(district=helsinki["eastern"], public_title="Katuvalo rikki")
    PublicFeedbackFactory(district=helsinki["central"], public_title="Kuoppa tiessä")
    ShiftFactory(opportunity__district=helsinki["eastern"], opportunity__title_fi="Rantasiivous")
    page = client.get("/fi/districts/eastern/").content.decode()
    assert "Katuvalo rikki" in page and "Rantasiivous" in page
    assert "Kuoppa tiessä" not in page
    assert "/fi/feedback/?district=eastern" in page
    central = client.get("/fi/districts/central/").content.decode()
    assert "Kuoppa tiessä" in central and "Rantasiivous" not in central
