"""The header links to every installed part of the model, from the registry, and says
which part the page belongs to; a part registered later appears without a change to
the templates."""

import re

import pytest
from django.utils import translation

from osallistu.core import parts
from tests.factories import StaffRoleFactory, sign_in_past_second_factor

pytestmark = pytest.mark.django_db


def header_links(response):
    header = response.content.decode().split("<main", 1)[0]
    nav = header.split('class="wrap main-nav"', 1)[1].split("</nav>", 1)[0]
    return re.findall(r'<a href="([^"]+)"( aria-current="(\w+)")?>([^<]+)</a>', nav)


def current_of(response):
    return {href: current for href, _attribute, current, _text in header_links(response)}


def addresses(language="fi"):
    with translation.override(language):
        return {part.key: parts.address_of(part.url_name) for part in parts.public_parts()}


@pytest.mark.parametrize("path", ["/fi/", "/fi/accessibility/", "/fi/accounts/login/"])
def test_every_public_part_is_in_the_header(client, path):
    links = current_of(client.get(path))
    expected = addresses()
    assert set(expected) >= {"budgeting", "surveys", "premises"}
    for address in expected.values():
        assert address in links, (path, address)
        assert links[address] == ""  # none of them is the current part


@pytest.mark.parametrize(
    ("path", "part", "current"),
    [
        ("/fi/budgeting/", "budgeting", "page"),
        ("/fi/surveys/", "surveys", "page"),
        ("/fi/surveys/hearings/", "surveys", "true"),
        ("/fi/premises/", "premises", "page"),
        ("/sv/premises/", "premises", "page"),
    ],
)
def test_the_part_a_page_belongs_to_is_current(client, helsinki, path, part, current):
    language = path.split("/")[1]
    links = current_of(client.get(path))
    address = addresses(language)[part]
    assert links[address] == current
    others = [href for key, href in addresses(language).items() if key != part]
    assert all(links[href] == "" for href in others)


def test_a_staff_tools_pages_belong_to_the_staff_desk_not_to_the_public_part(client, helsinki):
    staff = StaffRoleFactory().user
    sign_in_past_second_factor(client, staff)
    links = current_of(client.get("/fi/budgeting/staff/"))
    assert links[addresses()["budgeting"]] == ""
    assert links["/fi/staff/"] == "true"
    assert current_of(client.get("/fi/staff/"))["/fi/staff/"] == "page"


def test_a_part_registered_later_is_in_the_header(client, monkeypatch):
    later = parts.Part(
        key="volunteering",
        title="Vapaaehtoistyö",
        description="",
        url_name="core:accessibility",
        order=40,
    )
    monkeypatch.setitem(parts._parts, later.key, later)
    links = header_links(client.get("/fi/accessibility/"))
    assert ("/fi/accessibility/", ' aria-current="page"', "page", "Vapaaehtoistyö") in links
    # After the parts registered before it.
    titles = [text for _href, _attribute, _current, text in links]
    assert titles.index("Vapaaehtoistyö") > titles.index("Varaa kaupungin tiloja")
