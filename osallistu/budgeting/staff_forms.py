"""Forms of the staff screens: rounds, their money, plans and moderation.

They check the shape of what was posted; the services decide and say no with a
reason.
"""

from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from osallistu.areas.models import Neighbourhood
from osallistu.core.fields import EurosField, IdMultipleChoiceField
from osallistu.core.validators import validate_plain_text

from .images import MAX_IMAGE_BYTES
from .models import (
    PROGRESS_STEPS,
    PlanStatus,
    Proposal,
    ProposalImage,
    ProposalStatus,
    Round,
    Theme,
)
from .places import geometry_of, read_positions, written_positions
from .services import ProposalError, check_place

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

ROUND_FIELDS = [
    "name_fi",
    "name_sv",
    "name_en",
    "slug",
    "description_fi",
    "description_sv",
    "description_en",
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
]


class RoundForm(forms.ModelForm):
    """A round's names, phases and rules. Once voting has started the voting rules are
    shown but cannot be changed (the service refuses them too)."""

    class Meta:
        model = Round
        fields = ROUND_FIELDS
        labels = {
            "name_fi": _("Name in Finnish"),
            "name_sv": _("Name in Swedish"),
            "name_en": _("Name in English"),
            "description_fi": _("Description in Finnish"),
            "description_sv": _("Description in Swedish"),
            "description_en": _("Description in English"),
        }
        help_texts = {
            "slug": _("Part of the address of the round, for example omastadi-2027."),
            "voting_starts_at": _("Finnish time."),
            "voting_ends_at": _("Finnish time. Age is counted on the last day of voting."),
        }
        widgets = {
            **{name: DATE for name in ROUND_FIELDS if name.endswith(("_start", "_end"))},
            "results_on": DATE,
            "voting_starts_at": DATETIME,
            "voting_ends_at": DATETIME,
            "description_fi": forms.Textarea(attrs={"rows": 4}),
            "description_sv": forms.Textarea(attrs={"rows": 4}),
            "description_en": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for language in ("fi", "sv", "en"):
            self.fields[f"name_{language}"].required = True
            self.fields[f"name_{language}"].validators.append(validate_plain_text)
        self.fields["minimum_voting_age"].widget.attrs.update(min=0, max=100)
        self.fields["minimum_voting_age"].validators.append(MaxValueValidator(100))
        self.locked = bool(self.instance.pk and self.instance.voting_has_started())
        if self.locked:
            # The address too: voters already have the round's links.
            for name in (*Round.LOCKED_WHEN_VOTING, "slug"):
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Fixed: voting has started.")

    def changes(self):
        """The posted values by field name, for the services; fixed fields are left out."""
        return {
            name: self.cleaned_data[name] for name in ROUND_FIELDS if not self.fields[name].disabled
        }


class BudgetSplitForm(forms.Form):
    """The split helper: a total, a city-wide share, the rest by district population."""

    total = EurosField(label=_("Money in the round (euros)"), min_value=1)
    city_share_percent = forms.DecimalField(
        label=_("City-wide share (%)"),
        min_value=Decimal(0),
        max_value=Decimal("99.99"),
        decimal_places=2,
        initial=Decimal(20),
        help_text=_("0 for no city-wide budget. The rest is split by district population."),
    )


class BudgetAmountsForm(forms.Form):
    """The money of each area, typed or taken from the split and adjusted by hand.
    An empty field leaves the area out of the round."""

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.areas = list(areas)
        for area in self.areas:
            self.fields[self.field_name(area)] = EurosField(
                label=area.name, min_value=1, required=False
            )

    @staticmethod
    def field_name(area):
        return f"amount_{area.slug}"

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not any(cleaned.get(self.field_name(a)) for a in self.areas):
            raise forms.ValidationError(_("Give money to at least one area."))
        return cleaned

    def amounts(self):
        """``{area: euros}`` of the areas that were given money."""
        return {
            area: self.cleaned_data[self.field_name(area)]
            for area in self.areas
            if self.cleaned_data.get(self.field_name(area))
        }

    def total(self):
        return sum(self.amounts().values())


class ProposalChoices(IdMultipleChoiceField):
    """Proposals as checkboxes labelled with their title, author and status."""

    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, proposal):
        author = proposal.author or _("author removed their account")
        return _("%(title)s – by %(author)s (%(status)s)") % {
            "title": proposal.title,
            "author": author,
            "status": proposal.get_status_display(),
        }


class PlanForm(forms.Form):
    """A plan in co-creation: its texts in three languages, its price band, its
    feasibility notes and the proposals it is made of."""

    proposals = ProposalChoices(
        label=_("Proposals the plan is made of"),
        queryset=Proposal.objects.none(),
        required=False,
        help_text=_("Accepted proposals of this area. The plan keeps them and their authors."),
    )
    code = forms.RegexField(
        label=_("Code"),
        regex=r"^[A-ZÅÄÖ]{1,3}-[0-9]{3}$",
        help_text=_("For example K-023."),
        error_messages={"invalid": _("Write the code like K-023.")},
    )
    theme = forms.ChoiceField(label=_("Theme"), choices=Theme.choices)
    title_fi = forms.CharField(
        label=_("Title in Finnish"), max_length=200, validators=[validate_plain_text]
    )
    title_sv = forms.CharField(
        label=_("Title in Swedish"), max_length=200, validators=[validate_plain_text]
    )
    title_en = forms.CharField(
        label=_("Title in English"), max_length=200, validators=[validate_plain_text]
    )
    description_fi = forms.CharField(label=_("Description in Finnish"), widget=forms.Textarea)
    description_sv = forms.CharField(
        label=_("Description in Swedish"), widget=forms.Textarea, required=False
    )
    description_en = forms.CharField(
        label=_("Description in English"), widget=forms.Textarea, required=False
    )
    cost_low = EurosField(label=_("Cost estimate, lower end (euros)"), min_value=0)
    cost_high = EurosField(
        label=_("Cost estimate, upper end (euros)"),
        min_value=1,
        help_text=_("This is what the plan reserves from its area's money if it is funded."),
    )
    feasibility_fi = forms.CharField(
        label=_("Feasibility notes in Finnish"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("What the city's experts found: permits, upkeep, risks, what is left out."),
    )
    feasibility_sv = forms.CharField(
        label=_("Feasibility notes in Swedish"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    feasibility_en = forms.CharField(
        label=_("Feasibility notes in English"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    neighbourhood = forms.ModelChoiceField(
        label=_("Neighbourhood"),
        queryset=Neighbourhood.objects.none(),
        required=False,
        empty_label=_("None: the plan serves the whole area"),
        help_text=_("The neighbourhood the plan serves. Voters look for plans by it."),
    )
    place_name_fi = forms.CharField(
        label=_("Place in Finnish"),
        max_length=200,
        required=False,
        help_text=_("Where it happens, in words: a park, a street, a school."),
        validators=[validate_plain_text],
    )
    place_name_sv = forms.CharField(
        label=_("Place in Swedish"),
        max_length=200,
        required=False,
        validators=[validate_plain_text],
    )
    place_name_en = forms.CharField(
        label=_("Place in English"),
        max_length=200,
        required=False,
        validators=[validate_plain_text],
    )
    place = forms.CharField(
        label=_("Place on the map"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=3000,
        help_text=_(
            "One point a line: latitude and longitude, for example 60,2101 25,1432. "
            "Empty: the plan has no place on the map."
        ),
    )
    place_is_area = forms.BooleanField(
        label=_("The lines are the corners of an area, in order around it"), required=False
    )

    FIXED_WHEN_VOTING = (
        "proposals",
        "code",
        "theme",
        "cost_low",
        "cost_high",
        "neighbourhood",
        "place",
        "place_is_area",
    )

    def __init__(self, *args, round, area, plan=None, **kwargs):
        if plan is not None:
            kwargs.setdefault("initial", {}).update(self.initial_of(plan))
        super().__init__(*args, **kwargs)
        self.plan = plan
        choices = Proposal.objects.filter(
            round=round, area=area, status=ProposalStatus.ACCEPTED, hidden_at__isnull=True
        )
        if plan is not None:
            choices = choices | Proposal.objects.filter(plan=plan)
        self.fields["proposals"].queryset = choices.select_related("author").order_by(
            "submitted_at"
        )
        neighbourhoods = Neighbourhood.objects.order_by("number")
        if not area.is_city:
            neighbourhoods = neighbourhoods.filter(district=area)
        self.fields["neighbourhood"].queryset = neighbourhoods
        if plan is None:
            self.fields["proposals"].required = True
            self.fields["proposals"].error_messages["required"] = _(
                "Please choose at least one proposal."
            )
            self.fields["place"].help_text = _(
                "One point a line: latitude and longitude, for example 60,2101 25,1432. "
                "Empty: the points of the plan's proposals."
            )
        self.locked = round.voting_has_started()
        if self.locked:
            for name in self.FIXED_WHEN_VOTING:
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Fixed: voting has started.")

    @staticmethod
    def initial_of(plan):
        initial = {
            "code": plan.code,
            "theme": plan.theme,
            "cost_low": plan.cost_low,
            "cost_high": plan.cost_high,
            "proposals": list(plan.proposals.values_list("pk", flat=True)),
            "neighbourhood": plan.neighbourhood_id,
            "place": written_positions(plan, get_language()),
            "place_is_area": plan.place_is_area,
        }
        for name in ("title", "description", "feasibility", "place_name"):
            for language in ("fi", "sv", "en"):
                initial[f"{name}_{language}"] = getattr(plan, f"{name}_{language}") or ""
        return initial

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("cost_low"), cleaned.get("cost_high")
        if low is not None and high is not None and low > high:
            self.add_error("cost_high", _("The upper end must be at least the lower end."))
        if "place" in cleaned and not self.fields["place"].disabled:
            cleaned["place"] = self.clean_place_geometry(cleaned["place"])
        return cleaned

    def clean_place_geometry(self, text):
        """The place as GeoJSON, or None; an error next to the field when it does not
        read or is not in Helsinki."""
        positions = read_positions(text)
        if positions is None:
            self.add_error(
                "place",
                _("Write each point on its own line as two numbers, like 60,2101 25,1432."),
            )
            return None
        if not positions:
            return None
        try:
            return check_place(
                geometry_of(positions, area=self.cleaned_data.get("place_is_area", False))
            )
        except ProposalError as error:
            self.add_error("place", error.message)
            return None

    def texts(self, name):
        return {
            language: self.cleaned_data[f"{name}_{language}"] for language in ("fi", "sv", "en")
        }

    def proposal_changes(self):
        """``(added, removed)`` proposals compared with the plan's present ones."""
        chosen = set(self.cleaned_data["proposals"])
        present = set(self.plan.proposals.all()) if self.plan is not None else set()
        return sorted(chosen - present, key=lambda p: p.pk), sorted(
            present - chosen, key=lambda p: p.pk
        )


class PictureDescriptionForm(forms.Form):
    """What a plan's picture shows, in every language, for people who cannot see it."""

    alt_text_fi = forms.CharField(
        label=_("Description in Finnish"), max_length=300, validators=[validate_plain_text]
    )
    alt_text_sv = forms.CharField(
        label=_("Description in Swedish"), max_length=300, validators=[validate_plain_text]
    )
    alt_text_en = forms.CharField(
        label=_("Description in English"), max_length=300, validators=[validate_plain_text]
    )

    def alt_text(self):
        return {
            language: self.cleaned_data[f"alt_text_{language}"] for language in ("fi", "sv", "en")
        }


class ProposalPictureChoice(forms.ModelChoiceField):
    def label_from_instance(self, image):
        return _("%(description)s (proposal: %(title)s)") % {
            "description": image.description,
            "title": image.proposal.title,
        }


class PlanPictureForm(PictureDescriptionForm):
    """A new picture of a plan: a file, or a picture of one of its proposals."""

    image = forms.FileField(
        label=_("Picture"),
        required=False,
        help_text=_(
            "A JPEG or PNG image of at most 5 MB. Its location and camera details are removed."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}),
    )
    source = ProposalPictureChoice(
        label=_("Or a picture of the plan's proposals"),
        queryset=ProposalImage.objects.none(),
        required=False,
        empty_label=_("None"),
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = ProposalImage.objects.filter(
            proposal__plan=plan
        ).select_related("proposal")
        if not self.fields["source"].queryset.exists():
            del self.fields["source"]
        self.order_fields(["image", "source"])

    def clean(self):
        cleaned = super().clean()
        image, source = cleaned.get("image"), cleaned.get("source")
        if image and source:
            self.add_error("source", _("Give a file or choose a proposal's picture, not both."))
        elif not image and not source and "image" not in self.errors:
            self.add_error("image", _("Choose a picture to add."))
        if image and image.size > MAX_IMAGE_BYTES:
            self.add_error("image", _("An image can be at most 5 MB."))
        return cleaned


class HideCommentForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason, shown in place of the comment"),
        max_length=300,
        help_text=_(
            "For example: The comment contained personal information about another person."
        ),
    )


class HideProposalForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason, shown in place of the proposal"),
        max_length=300,
        help_text=_(
            "For example: The proposal contained personal information about another person."
        ),
    )


class PlanProgressForm(forms.Form):
    status = forms.ChoiceField(label=_("Stage"))
    happened_on = forms.DateField(label=_("Date"), widget=DATE)
    note_fi = forms.CharField(label=_("What happened (in Finnish)"), widget=forms.Textarea)
    note_sv = forms.CharField(
        label=_("What happened (in Swedish)"), widget=forms.Textarea, required=False
    )
    note_en = forms.CharField(
        label=_("What happened (in English)"), widget=forms.Textarea, required=False
    )

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            (status, PlanStatus(status).label) for status in PROGRESS_STEPS.get(plan.status, ())
        ]
        self.fields["status"].initial = plan.status

    def note(self):
        return {language: self.cleaned_data[f"note_{language}"] for language in ("fi", "sv", "en")}


class ProposalDecisionForm(forms.Form):
    accept = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Goes on to co-creation")), ("0", _("Cannot go on"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason, shown to everyone"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
