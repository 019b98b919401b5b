"""Names and titles: no invisible control characters, and no person, nickname or
association that passes for the city or its staff. Every form of the project that
asks for one uses the validators, so a form added later is held to them too."""

import importlib
import pkgutil

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation

import osallistu
from osallistu.accounts.models import User
from osallistu.core.validators import validate_person_name, validate_plain_text
from osallistu.premises.forms import BookingForm
from osallistu.surveys.forms import CommentForm
from tests.premises.factories import PurposeFactory, SpaceFactory
from tests.surveys.factories import HearingFactory

RIGHT_TO_LEFT_OVERRIDE = "\u202e"


@pytest.mark.parametrize(
    "value",
    [
        f"Tiina {RIGHT_TO_LEFT_OVERRIDE}gnp.exe",
        "Aino\u2066 Virtanen\u2069",  # left-to-right isolate
        "Aino\u202a Virtanen",  # left-to-right embedding
        "Aino\u200f Virtanen",  # right-to-left mark
        "Aino\u200b Virtanen",  # zero-width space
        "Ai\u00adno",  # soft hyphen
        "Aino\x00",
        "Aino\tVirtanen",
        "Aino\nVirtanen",
        "Aino\x1b[31m",
        "Aino\u2028Virtanen",  # line separator
        "Aino\ue000",  # private use
        "Aino\ufeff",  # byte order mark
    ],
)
def test_control_and_format_characters_are_refused(value):
    with pytest.raises(ValidationError) as refused:
        validate_plain_text(value)
    assert refused.value.code == "control_characters"
    with translation.override("sv"):
        assert "osynliga styrtecken" in refused.value.messages[0]
    with pytest.raises(ValidationError):
        validate_person_name(value)


@pytest.mark.parametrize(
    "value",
    [
        "Åsa Öberg-Ström",
        "Zoë D'Artagnan",
        "محمد علي",
        "مهر\u200cناز",  # Persian name with a zero-width non-joiner
        "Perhe 👩\u200d👩\u200d👧",  # an emoji family joined by zero-width joiners
        "李小龍",
        "Helsingin Kaupunkilähetys ry",  # a real association, not the city
        "Badminton-seura Sulka",
        "Helsingfors stadion -talkoot",
        "Pia Virta",
    ],
)
def test_real_names_are_accepted(value):
    validate_plain_text(value)
    validate_person_name(value)


@pytest.mark.parametrize(
    "value",
    [
        "Helsingin kaupunki (virallinen)",
        "Helsingin kaupunki",
        "HELSINGIN KAUPUNGIN nuorisopalvelut",
        "helsinginkaupunki",
        "H e l s i n g i n k a u p u n k i",
        "Hеlsingin kаupunki",  # Cyrillic е and а
        "Ｈｅｌｓｉｎｇｉｎ ｋａｕｐｕｎｋｉ",  # full-width letters
        "𝐇𝐞𝐥𝐬𝐢𝐧𝐠𝐢𝐧 𝐤𝐚𝐮𝐩𝐮𝐧𝐤𝐢",  # mathematical bold
        "Helsingfors stad",
        "Helsingfors stads kundtjänst",
        "City of Helsinki",
        "Helsinki City",
        "Virallinen tiedote",
        "Aino (virallisesti)",
        "Official account",
        "Officiell information",
        "Moderaattori",
        "moderator Pekka",
        "Admin",
        "Ådmin",
        "Administrator",
        "Administratör",
        "Ylläpitäjä",
    ],
)
def test_names_that_pass_for_the_city_or_its_staff_are_refused(value):
    with pytest.raises(ValidationError) as refused:
        validate_person_name(value)
    assert refused.value.code == "reserved_name"
    with translation.override("fi"):
        assert "kaupungiksi tai sen henkilökunnaksi" in refused.value.messages[0]


def project_forms():
    """Every form class defined in the project's modules."""
    for module in pkgutil.walk_packages(osallistu.__path__, "osallistu."):
        if ".migrations" not in module.name and ".management" not in module.name:
            importlib.import_module(module.name)
    found, waiting = set(), [forms.BaseForm]
    while waiting:
        for subclass in waiting.pop().__subclasses__():
            waiting.append(subclass)
            if subclass.__module__.startswith("osallistu."):
                found.add(subclass)
    return found


PERSON_NAMES = {
    "full_name",
    "nickname",
    "association",
    "first_name",
    "last_name",
    "display_name",
    "public_name",
}
# A service user's organisation may be a city service ("Kallion kirjasto"): plain text.
TITLES = {"title", "name", "organisation"}
# Forms that look a name up and store nothing: staff search for the person at the desk.
SEARCHES = {"PersonSearchForm"}


def fields_of(form_class):
    """The fields of a form as shown; forms that need arguments, as declared."""
    try:
        return form_class().fields
    except TypeError:
        return form_class.base_fields


@pytest.mark.django_db
def test_every_name_and_title_field_of_every_form_is_validated():
    checked = []
    for form_class in project_forms():
        if form_class.__name__ in SEARCHES:
            continue
        for name, field in fields_of(form_class).items():
            if not isinstance(field, forms.CharField):
                continue
            base = name.rsplit("_", 1)[0] if name[-3:] in ("_fi", "_sv", "_en") else name
            where = f"{form_class.__module__}.{form_class.__name__}.{name}"
            if base in PERSON_NAMES:
                assert validate_person_name in field.validators, where
                checked.append(where)
            elif base in TITLES:
                assert any(
                    check in field.validators
                    for check in (validate_plain_text, validate_person_name)
                ), where
                checked.append(where)
    names = {where.rsplit(".", 2)[-2] + "." + where.rsplit(".", 1)[-1] for where in checked}
    assert {
        "ProfileForm.full_name",
        "RegistrationForm.full_name",
        "CommentForm.nickname",
        "BookingForm.association",
        "SeriesForm.association",
        "ProposalForm.title",
        "PlanForm.title_sv",
        "RoundForm.name_en",
        "StartForm.public_name",
        "InitiativeForm.title",
    } <= names


@pytest.mark.django_db
def test_registration_refuses_the_citys_name(client, helsinki):
    response = client.post(
        "/en/accounts/register/",
        {
            "email": "fake@example.fi",
            "full_name": "Helsingin kaupunki (virallinen)",
            "postal_code": "",
            "preferred_language": "fi",
            "password": "a long phrase about Kallio",
        },
    )
    assert response.status_code == 200
    assert "could be taken for the city or its staff" in str(
        response.context["form"].errors["full_name"]
    )
    assert not User.objects.filter(email="fake@example.fi").exists()


@pytest.mark.django_db
def test_a_hearing_nickname_and_a_booking_association_are_held_to_it(helsinki):
    hearing = HearingFactory()
    comment = CommentForm(
        {"text": "Hyvä suunnitelma.", "nickname": "Helsingfors stad"}, hearing=hearing
    )
    assert "nickname" in comment.errors
    comment = CommentForm({"text": "Hyvä suunnitelma.", "nickname": "Pia"}, hearing=hearing)
    assert comment.is_valid(), comment.errors
    space = SpaceFactory()
    space.purposes.add(PurposeFactory())
    booking = BookingForm({"association": f"Seura {RIGHT_TO_LEFT_OVERRIDE}"}, space=space)
    assert "association" in booking.errors
