"""Forms check the shape of what the browser sent; the rules are in services."""

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from osallistu.accounts.models import Division
from osallistu.areas.models import Area
from osallistu.core.validators import validate_person_name, validate_plain_text

from .models import AuthorKind, Category, State
from .selectors import STAFF_FILTERS
from .services import AuthorDetails, Place
from .services.handling import MAX_ATTACHMENT_BYTES


def _coordinate(raw):
    """A decimal degree as people write it: with a comma or a point, maybe spaces."""
    compact = re.sub(r"[\s\u00a0\u202f]", "", raw).replace(",", ".").replace("\u2212", "-")
    try:
        value = Decimal(compact)
    except InvalidOperation:
        raise forms.ValidationError(_("Write the coordinate as a number, like 60,1699.")) from None
    if not value.is_finite() or abs(value) > 180:
        raise forms.ValidationError(_("Write the coordinate as a number, like 60,1699."))
    return value.quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)


def _written(value):
    return "" if value is None else format(value.normalize(), "f").replace(".", ",")


class DateField(forms.DateField):
    """A date within ten years of today: anything further is a typing mistake, and
    counting months from it must not overflow."""

    widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

    def validate(self, value):
        super().validate(value)
        if value and abs((value - timezone.localdate()).days) > 3660:
            raise forms.ValidationError(
                _("Please give a date within ten years of today."), code="far"
            )


def _areas():
    return Area.objects.order_by("number")


class AuthorForm(forms.Form):
    """As whom a person makes the initiative, and the name shown with it."""

    kind = forms.ChoiceField(
        label=_("You make the initiative as"),
        choices=AuthorKind.choices,
        widget=forms.RadioSelect,
        initial=AuthorKind.RESIDENT,
    )
    organisation = forms.CharField(
        label=_("Community, foundation or service"),
        help_text=_(
            "If you make it for a community or foundation, its name; if as a service user, "
            "the service you use."
        ),
        max_length=200,
        required=False,
        validators=[validate_plain_text],
    )
    public_name = forms.CharField(
        label=_("Your name as shown with the initiative"),
        help_text=_("Everyone can see the authors' names."),
        max_length=150,
        # Shown to everyone beside the initiative: not a name that passes for the city.
        validators=[validate_person_name],
    )

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind and kind != AuthorKind.RESIDENT and not cleaned.get("organisation", "").strip():
            self.add_error(
                "organisation",
                _("Please name the community or foundation, or the service you use."),
            )
        return cleaned

    def author_details(self):
        data = self.cleaned_data
        return AuthorDetails(
            kind=data["kind"], public_name=data["public_name"], organisation=data["organisation"]
        )


class InitiativeForm(forms.Form):
    """The initiative itself, in the language its authors write it in. The place is
    optional: words, and if the person knows them, the coordinates of a point."""

    category = forms.ChoiceField(
        label=_("Kind of initiative"),
        choices=Category.choices,
        widget=forms.RadioSelect,
        initial=Category.GENERAL,
        help_text=_("A youth initiative is made by people aged 13 to 17."),
    )
    title = forms.CharField(label=_("Title"), max_length=150, validators=[validate_plain_text])
    proposal = forms.CharField(
        label=_("What do you ask the city to do?"),
        help_text=_("The decision or action you ask for, briefly. At most 2000 characters."),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    rationale = forms.CharField(
        label=_("Why?"),
        help_text=_("Your reasons and background. At most 10000 characters."),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    language = forms.ChoiceField(
        label=_("Language of the initiative"),
        choices=settings.LANGUAGES,
        widget=forms.RadioSelect,
        help_text=_("Write in Finnish, Swedish or English, as you prefer."),
    )
    area = forms.ModelChoiceField(
        label=_("Which area is it about?"),
        queryset=None,
        to_field_name="slug",
        empty_label=None,
        help_text=_("A district, or the city as a whole."),
    )
    place_text = forms.CharField(
        label=_("Address or place (optional)"),
        help_text=_("For example a street address, a park or a school."),
        max_length=300,
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

    def __init__(self, *args, initiative=None, language=None, **kwargs):
        initial = kwargs.setdefault("initial", {})
        if initiative is not None:
            initial.update(
                category=initiative.category,
                title=initiative.title,
                proposal=initiative.proposal,
                rationale=initiative.rationale,
                language=initiative.language,
                area=initiative.area.slug,
                place_text=initiative.place_text,
                latitude=_written(initiative.latitude),
                longitude=_written(initiative.longitude),
            )
        elif language:
            initial.setdefault("language", language)
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = _areas()

    def clean_latitude(self):
        raw = self.cleaned_data["latitude"].strip()
        return _coordinate(raw) if raw else None

    def clean_longitude(self):
        raw = self.cleaned_data["longitude"].strip()
        return _coordinate(raw) if raw else None

    def clean(self):
        cleaned = super().clean()
        lat, lon = cleaned.get("latitude"), cleaned.get("longitude")
        if (
            "latitude" not in self.errors
            and "longitude" not in self.errors
            and (lat is None) != (lon is None)
        ):
            self.add_error("longitude", _("Give both the latitude and the longitude, or neither."))
        return cleaned

    def for_service(self):
        data = self.cleaned_data
        return {
            "category": data["category"],
            "title": data["title"],
            "proposal": data["proposal"],
            "rationale": data["rationale"],
            "language": data["language"],
            "area": data["area"],
            "place": Place(
                text=data["place_text"], latitude=data["latitude"], longitude=data["longitude"]
            ),
        }


class StartForm(AuthorForm, InitiativeForm):
    """Starting an initiative: its text, and as whom the initiator makes it."""

    field_order = [
        "category",
        "title",
        "proposal",
        "rationale",
        "language",
        "area",
        "place_text",
        "latitude",
        "longitude",
        "kind",
        "organisation",
        "public_name",
    ]

    def clean(self):
        InitiativeForm.clean(self)
        return AuthorForm.clean(self)


class InviteForm(forms.Form):
    email = forms.EmailField(
        label=_("Co-author's e-mail address"),
        help_text=_("We send them a link with which they can join as an author."),
        max_length=254,
    )


class SendForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("We have read the initiative and want to send it to the city now."),
        error_messages={"required": _("Please confirm that you want to send the initiative.")},
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=pgettext_lazy("justification", "Reason"),
        help_text=_("Everyone can read it."),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class HelpForm(forms.Form):
    message = forms.CharField(
        label=_("What would you like help with?"),
        help_text=_("Only the city coach and the city's staff read this."),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class FilterForm(forms.Form):
    q = forms.CharField(
        label=pgettext_lazy("search field", "Search"), max_length=100, required=False
    )
    state = forms.ChoiceField(
        label=_("State"),
        choices=[("", _("All states"))] + [c for c in State.choices if c[0] != State.DRAFT],
        required=False,
    )
    area = forms.ModelChoiceField(
        label=_("Area"),
        queryset=None,
        required=False,
        to_field_name="slug",
        empty_label=_("All areas"),
    )
    category = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All kinds")), *Category.choices], required=False
    )
    reached = forms.ChoiceField(
        label=_("Support"),
        choices=[
            ("", _("Any support")),
            ("council", _("Reached 2 %")),
            ("referendum", _("Reached 4 %")),
        ],
        required=False,
    )
    order = forms.ChoiceField(
        label=_("Order"),
        choices=[
            ("newest", _("Newest first")),
            ("supports", _("Most supported first")),
        ],
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = _areas()

    def filters(self):
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "state": data["state"],
            "area": data["area"],
            "category": data["category"],
            "reached": data["reached"],
            "query": data["q"],
            "order": data["order"] or "newest",
        }


# Staff


class StaffFilterForm(forms.Form):
    show = forms.ChoiceField(
        label=_("Show"),
        choices=list(
            zip(
                (*STAFF_FILTERS, "collecting"),
                (
                    _("Handled by the city now"),
                    _("Waiting for registration"),
                    _("Being prepared"),
                    _("Overdue"),
                    _("Asked for a coach's help"),
                    _("Decided or ended"),
                    _("Collecting support"),
                ),
                strict=True,
            )
        ),
        required=False,
    )
    area = forms.ModelChoiceField(
        label=_("Area"),
        queryset=None,
        required=False,
        to_field_name="slug",
        empty_label=_("All areas"),
    )
    category = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All kinds")), *Category.choices], required=False
    )
    q = forms.CharField(label=_("Title or diary number"), max_length=100, required=False)

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas

    def filters(self):
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "show": data["show"] or "open",
            "area": data["area"],
            "category": data["category"],
            "query": data["q"],
        }


class RegisterForm(forms.Form):
    diary_number = forms.CharField(
        label=_("Diary number"),
        help_text=_("The registry's number, for example HEL 2026-001234."),
        max_length=40,
    )


class PrepareForm(forms.Form):
    division = forms.ModelChoiceField(
        label=_("Division"), queryset=Division.objects.active(), empty_label=None
    )
    preparer_name = forms.CharField(
        label=_("Preparer"),
        help_text=_("Shown to everyone."),
        max_length=150,
        validators=[validate_plain_text],
    )
    preparer_email = forms.EmailField(
        label=_("Preparer's e-mail address (optional)"),
        help_text=_("Shown to everyone, for questions about the preparation."),
        max_length=254,
        required=False,
    )


class AttachmentField(forms.FileField):
    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": "application/pdf"}))
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        if value and value.size > MAX_ATTACHMENT_BYTES:
            raise forms.ValidationError(_("An attachment can be at most 20 MB."))


class DecideForm(forms.Form):
    decision_maker = forms.CharField(
        label=_("Decision-maker"),
        help_text=_("For example: the City Council, or the deputy mayor for urban environment."),
        max_length=200,
    )
    decision_date = DateField(label=_("Date of the decision"))
    answer = forms.CharField(
        label=_("The city's answer"),
        help_text=_("What was decided and why, for everyone to read."),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    answer_language = forms.ChoiceField(
        label=_("Language of the answer"), choices=settings.LANGUAGES, widget=forms.RadioSelect
    )
    decision_url = forms.URLField(
        label=_("Link to the decision (optional)"),
        max_length=500,
        required=False,
        assume_scheme="https",
    )
    attachment = AttachmentField(label=_("Attachment (optional)"), required=False)
    attachment_title = forms.CharField(
        label=_("Title of the attachment"),
        help_text=_("Needed when you add one."),
        max_length=200,
        required=False,
        validators=[validate_plain_text],
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("attachment") and not cleaned.get("attachment_title", "").strip():
            self.add_error("attachment_title", _("Please give the attachment a title."))
        return cleaned

    def for_service(self):
        data = self.cleaned_data
        attachment = data.get("attachment")
        return {
            "decision_maker": data["decision_maker"],
            "decision_date": data["decision_date"],
            "answer": data["answer"],
            "answer_language": data["answer_language"],
            "decision_url": data["decision_url"],
            "attachments": [(data["attachment_title"], attachment.read())] if attachment else [],
        }


class AttachmentForm(forms.Form):
    title = forms.CharField(
        label=_("Title of the attachment"), max_length=200, validators=[validate_plain_text]
    )
    file = AttachmentField(label=_("PDF file"), help_text=_("At most 20 MB."))


class DeadlineForm(forms.Form):
    deadline = DateField(label=_("Deadline"))
    reason = forms.CharField(
        label=_("Reason for the deadline"), help_text=_("Shown to everyone."), max_length=300
    )

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        if deadline < timezone.localdate():
            raise forms.ValidationError(_("The deadline cannot be in the past."))
        return deadline


class CoachForm(forms.Form):
    coach = forms.TypedChoiceField(label=_("City coach"), coerce=int, choices=())

    def __init__(self, *args, coaches, **kwargs):
        super().__init__(*args, **kwargs)
        self.coaches = {user.pk: user for user, _districts in coaches}
        self.fields["coach"].choices = [
            (user.pk, f"{user} ({', '.join(area.name for area in districts)})")
            for user, districts in coaches
        ]

    def chosen_coach(self):
        return self.coaches[self.cleaned_data["coach"]]


class PaperBatchForm(forms.Form):
    label = forms.CharField(
        label=_("Which lists"),
        help_text=_("For example: lists handed in at the registry on 3 May, sheets 1–40."),
        max_length=150,
    )
    signatures = forms.IntegerField(
        label=_("Signatures on the lists"), min_value=1, max_value=1_000_000
    )
    valid = forms.IntegerField(
        label=_("Valid signatures"),
        help_text=_(
            "Residents of the city entitled to vote, legible, each person once, and not "
            "supporting online."
        ),
        min_value=0,
        max_value=1_000_000,
    )
    notes = forms.CharField(
        label=_("Why signatures were not accepted"),
        help_text=_("Needed when some were not accepted."),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        cleaned = super().clean()
        signatures, valid = cleaned.get("signatures"), cleaned.get("valid")
        if signatures is not None and valid is not None:
            if valid > signatures:
                self.add_error("valid", _("There cannot be more valid signatures than signatures."))
            elif valid < signatures and not cleaned.get("notes", "").strip():
                self.add_error("notes", _("Please say why some signatures were not accepted."))
        return cleaned


class ConfirmBatchForm(forms.Form):
    valid_counted = forms.IntegerField(
        label=_("Valid signatures you counted"), min_value=0, max_value=1_000_000
    )


class ReturnBatchForm(forms.Form):
    reason = forms.CharField(label=_("What is wrong with the batch?"), max_length=300)
