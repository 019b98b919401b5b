"""Forms of residents: feedback, reopening it, and the public list's filters. Forms check
the shape of what the browser sent; the rules are in services."""

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from osallistu.areas.models import Area
from osallistu.core.validators import validate_person_name, validate_plain_text

from .models import (
    ADDRESS_MAX_LENGTH,
    DESCRIPTION_MAX_LENGTH,
    DESCRIPTION_MIN_LENGTH,
    TITLE_MAX_LENGTH,
    ServiceAttribute,
    ServiceCategory,
)
from .services import Contact, FeedbackError, Place, text


def coordinate(raw):
    """A decimal degree as people write it: with a comma or a point, maybe spaces."""
    compact = re.sub(r"[\s\u00a0\u202f]", "", raw).replace(",", ".").replace("\u2212", "-")
    try:
        value = Decimal(compact)
    except InvalidOperation:
        raise forms.ValidationError(_("Write the coordinate as a number, like 60,1699.")) from None
    if not value.is_finite() or abs(value) > 180:
        raise forms.ValidationError(_("Write the coordinate as a number, like 60,1699."))
    return value.quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)


def attribute_field(attribute):
    """The form field of a further question (an Open311 service attribute)."""
    kind = ServiceAttribute.Datatype
    common = {
        "label": attribute.description,
        "help_text": attribute.datatype_description,
        "required": attribute.required,
    }
    choices = [(value.key, value.name) for value in attribute.values.all()]
    if attribute.datatype == kind.SINGLEVALUELIST:
        return forms.ChoiceField(
            choices=choices if attribute.required else [("", "–"), *choices],
            widget=forms.RadioSelect if attribute.required else forms.Select,
            **common,
        )
    if attribute.datatype == kind.MULTIVALUELIST:
        return forms.MultipleChoiceField(
            choices=choices, widget=forms.CheckboxSelectMultiple, **common
        )
    if attribute.datatype == kind.TEXT:
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, **common)
    if attribute.datatype == kind.DATETIME:
        return forms.CharField(
            max_length=40,
            widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
            **common,
        )
    if attribute.datatype == kind.NUMBER:
        return forms.CharField(
            max_length=40, widget=forms.TextInput(attrs={"inputmode": "decimal"}), **common
        )
    return forms.CharField(max_length=300, **common)


class FeedbackForm(forms.Form):
    """Feedback in one category: the matter, where it is, up to three photos, further
    questions of the category, and how the city can reach the sender (optional)."""

    title = forms.CharField(
        label=_("Title (optional)"),
        help_text=_("The matter in a few words."),
        max_length=TITLE_MAX_LENGTH,
        required=False,
        validators=[validate_plain_text],
    )
    description = forms.CharField(
        label=_("Your feedback"),
        help_text=_(
            "What is broken or could be better? %(min)s–%(max)s characters. Do not write "
            "personal details here: the text is shown in public once it is checked."
        )
        % {"min": DESCRIPTION_MIN_LENGTH, "max": "5\N{NO-BREAK SPACE}000"},
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=DESCRIPTION_MAX_LENGTH,
        min_length=DESCRIPTION_MIN_LENGTH,
    )
    address = forms.CharField(
        label=_("Address or place"),
        help_text=_("For example a street address, a park or a stop. Or mark it on the map."),
        max_length=ADDRESS_MAX_LENGTH,
        required=False,
    )
    latitude = forms.CharField(
        label=_("Latitude (optional)"),
        help_text=_("Of a point on the map, for example 60,1699."),
        max_length=30,
        required=False,
    )
    longitude = forms.CharField(
        label=_("Longitude (optional)"),
        help_text=_("For example 24,9384."),
        max_length=30,
        required=False,
    )
    email = forms.EmailField(
        label=_("E-mail address (optional)"),
        help_text=_("The city's answer and news of the handling come here."),
        required=False,
    )
    first_name = forms.CharField(
        label=_("First name (optional)"),
        max_length=100,
        required=False,
        validators=[validate_person_name],
    )
    last_name = forms.CharField(
        label=_("Last name (optional)"),
        max_length=100,
        required=False,
        validators=[validate_person_name],
    )
    phone = forms.CharField(
        label=_("Phone number (optional)"),
        help_text=_("If the handler may call you."),
        max_length=30,
        required=False,
    )

    PLACE_FIELDS = ("address", "latitude", "longitude")
    CONTACT_FIELDS = ("email", "first_name", "last_name", "phone")

    def __init__(self, *args, service, user=None, photo_field=None, max_photos=0, **kwargs):
        super().__init__(*args, **kwargs)
        self.service = service
        self.photo_names = []
        for number in range(1, max_photos + 1):
            name = f"photo{number}"
            self.fields[name] = photo_field(number)
            self.fields[f"{name}_description"] = forms.CharField(
                label=_("What does photo %(number)s show?") % {"number": number},
                help_text=_("For people who cannot see it. Needed when you add the photo."),
                max_length=200,
                required=False,
            )
            self.photo_names.append(name)
        self.attribute_names = []
        for attribute in service.attributes.all():
            if attribute.variable:
                name = f"attribute_{attribute.code}"
                self.fields[name] = attribute_field(attribute)
                self.attribute_names.append((name, attribute.code))
        if user is not None and user.is_authenticated:
            self.fields["anonymous"] = forms.BooleanField(
                label=_("Send without connecting it to my account"),
                help_text=_(
                    "It is then not listed under My feedback and you cannot reopen it. "
                    "Staff see only the contact details you leave below."
                ),
                required=False,
            )
            if user.email:
                self.fields["email"].initial = user.email
            first, _space, last = (user.full_name or "").partition(" ")
            self.fields["first_name"].initial = first
            self.fields["last_name"].initial = last

    def clean_latitude(self):
        raw = self.cleaned_data["latitude"].strip()
        return coordinate(raw) if raw else None

    def clean_longitude(self):
        raw = self.cleaned_data["longitude"].strip()
        return coordinate(raw) if raw else None

    def clean(self):
        cleaned = super().clean()
        for name in self.photo_names:
            photo = cleaned.get(name)
            description = f"{name}_description"
            if photo and not cleaned.get(description, "").strip():
                self.add_error(description, _("Describe the photo for people who cannot see it."))
            elif description in cleaned:
                try:
                    cleaned[description] = text.line(cleaned[description], field=description)
                except FeedbackError as error:
                    self.add_error(description, error.message)
        return cleaned

    def fields_named(self, names):
        return [self[name] for name in names]

    @property
    def photo_fields(self):
        return [(self[name], self[f"{name}_description"]) for name in self.photo_names]

    @property
    def attribute_fields(self):
        return [self[name] for name, _code in self.attribute_names]

    def field_of(self, service_field):
        """The form field a service's error is about, or None for the whole form."""
        if service_field and service_field.startswith("attribute["):
            code = service_field[len("attribute[") : -1]
            return next((name for name, c in self.attribute_names if c == code), None)
        return service_field if service_field in self.fields else None

    def for_service(self):
        """The cleaned values as ``services.submit_feedback`` takes them (photos aside)."""
        data = self.cleaned_data
        return {
            "service": self.service,
            "title": data["title"],
            "description": data["description"],
            "place": Place(
                address=data["address"], latitude=data["latitude"], longitude=data["longitude"]
            ),
            "contact": Contact(
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                phone=data["phone"],
            ),
            "attribute_values": {
                code: data[name] for name, code in self.attribute_names if data.get(name)
            },
        }


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("What is still wrong?"),
        help_text=_("The handler reads this; it is not shown in public."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


STATUS_FILTERS = [
    ("", _("All")),
    ("open", pgettext_lazy("feedback", "Open")),
    ("closed", pgettext_lazy("feedback", "Closed")),
]


class ChoiceOfObjects(forms.ChoiceField):
    """A choice among ``objects`` (read once, as a list) by ``key``, cleaning to the
    object. Unlike ModelChoiceField it reads its choices with one plain query, not a
    cursor held open on the server, which costs PostgreSQL more round trips."""

    def __init__(self, *, objects, key, empty_label, **kwargs):
        self.objects = {str(getattr(item, key)): item for item in objects}
        super().__init__(
            choices=[
                ("", empty_label),
                *((value, str(item)) for value, item in self.objects.items()),
            ],
            required=False,
            **kwargs,
        )

    def clean(self, value):
        value = super().clean(value)
        return self.objects.get(value)


def district_choice():
    return ChoiceOfObjects(
        label=_("District"),
        objects=list(Area.objects.districts()),
        key="slug",
        empty_label=_("All districts"),
    )


class PublicFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_FILTERS, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"] = ChoiceOfObjects(
            label=pgettext_lazy("feedback topic", "Category"),
            objects=list(ServiceCategory.objects.all()),
            key="code",
            empty_label=_("All categories"),
        )
        self.fields["district"] = district_choice()
        self.order_fields(["service", "district", "status"])
