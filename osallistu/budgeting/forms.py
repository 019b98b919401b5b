"""Forms check the shape of what the browser sent; the rules are in services."""

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from urllib.parse import urlencode

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from osallistu.core.fields import IdMultipleChoiceField
from osallistu.core.templatetags.osallistu import euros
from osallistu.core.validators import validate_plain_text

from .images import MAX_IMAGE_BYTES
from .models import Theme
from .search import folded
from .services import Place


class DistrictForm(forms.Form):
    district = forms.ModelChoiceField(
        label=_("Which district do you want to vote for?"),
        queryset=None,
        empty_label=None,
        to_field_name="slug",
        widget=forms.RadioSelect,
        error_messages={"required": _("Please choose a district.")},
    )

    def __init__(self, *args, districts, home=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["district"]
        field.queryset = districts
        field.help_text = _(
            "You can vote for the plans of one district, and for the plans of the whole city."
        )
        if home is not None and home in districts:
            self.initial.setdefault("district", home.slug)
            field.help_text = format_lazy(
                "{} {}",
                field.help_text,
                _("Your home district is chosen already, but you can choose another one."),
            )


class PlanCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes whose labels are plans: code, title, cost and description.

    The container carries the area's money and each box its plan's cost, so the
    optional script can show how much money is left while the voter chooses.
    """

    template_name = "budgeting/widgets/plan_checkboxes.html"
    option_template_name = "budgeting/widgets/plan_option.html"

    def __init__(self, *args, budget, **kwargs):
        super().__init__(*args, **kwargs)
        self.budget = budget

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["budget"] = self.budget
        return context

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        option["attrs"]["data-cost"] = label.cost
        return option


class BallotForm(forms.Form):
    """One group of checkboxes per area: the chosen district's first, then the city's."""

    def __init__(self, *args, parts, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan_fields = [self.field_name(budget.area) for budget, _plans in parts]
        for budget, plans in parts:
            self.fields[self.field_name(budget.area)] = forms.MultipleChoiceField(
                label=_("Plans: %(area)s. Money to spend: %(budget)s")
                % {"area": budget.area.name, "budget": euros(budget.amount)},
                choices=[(plan.pk, plan) for plan in plans],
                required=False,
                widget=PlanCheckboxes(budget=budget.amount),
                error_messages={
                    "invalid_choice": _("A plan you chose is not on this ballot."),
                },
            )

    @staticmethod
    def field_name(area):
        return f"plans_{area.slug}"

    def chosen_plan_ids(self):
        return [plan_id for name in self.plan_fields for plan_id in self.cleaned_data[name]]


class BallotFilterForm(forms.Form):
    """Search, filters and order of the ballot page.

    Read from GET parameters, so that a filtered ballot is an address like any other
    and works without JavaScript. Popularity is no order: nobody sees votes while
    voting is open.
    """

    NAMES = ("q", "theme", "neighbourhood", "order", "mine")

    q = forms.CharField(
        label=_("Search words"),
        max_length=100,
        required=False,
        help_text=_("Looks in the plans' names, descriptions and places in every language."),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    theme = forms.ChoiceField(
        label=_("Theme"), choices=[("", _("All themes")), *Theme.choices], required=False
    )
    neighbourhood = forms.ChoiceField(label=_("Neighbourhood"), required=False)
    order = forms.ChoiceField(
        label=_("Order"),
        choices=[
            ("", _("By code")),
            ("name", _("By name")),
            ("cheapest", _("Cheapest first")),
            ("dearest", _("Most expensive first")),
        ],
        required=False,
    )
    mine = forms.BooleanField(label=_("Only the plans I have chosen"), required=False)

    def __init__(self, data=None, *, neighbourhoods):
        super().__init__(data, auto_id="filter-%s")
        self.fields["neighbourhood"].choices = [("", _("All neighbourhoods")), *neighbourhoods]

    def values(self):
        """The filters in use: the valid ones (an invalid one shows its error and is left
        out)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}

    def query(self):
        """The filters in use as a query string, for links that keep them."""
        values = self.values()
        return urlencode(
            [
                (name, "on" if name == "mine" else values[name])
                for name in self.NAMES
                if name in values
            ]
        )

    def apply(self, plans, chosen):
        """Those of ``plans`` (``ballot_cache.ListedPlan``) that the filters let through, in
        the chosen order. ``chosen`` are the ids on the voter's shortlist."""
        values = self.values()
        words = folded(values.get("q", "")).split()
        shown = [
            plan
            for plan in plans
            if all(word in plan.words for word in words)
            and values.get("theme", plan.theme) == plan.theme
            and values.get("neighbourhood", plan.neighbourhood) == plan.neighbourhood
            and (not values.get("mine") or plan.pk in chosen)
        ]
        order = values.get("order")
        if order == "name":
            shown.sort(key=lambda plan: (plan.name_key, plan.code))
        elif order == "cheapest":
            shown.sort(key=lambda plan: (plan.cost, plan.code))
        elif order == "dearest":
            shown.sort(key=lambda plan: (-plan.cost, plan.code))
        return shown


class PlanFilterForm(forms.Form):
    area = forms.ModelChoiceField(
        label=_("Area"),
        queryset=None,
        required=False,
        to_field_name="slug",
        empty_label=_("All areas"),
    )
    theme = forms.ChoiceField(
        label=_("Theme"), choices=[("", _("All themes")), *Theme.choices], required=False
    )

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas


def _coordinate(raw):
    """A decimal degree as people write it: with a comma or a point, maybe spaces."""
    compact = re.sub(r"[\s\u00a0\u202f]", "", raw).replace(",", ".").replace("\u2212", "-")
    try:
        value = Decimal(compact)
    except InvalidOperation:
        raise forms.ValidationError(_("Write the coordinate as a number, like 60,1699.")) from None
    if not value.is_finite():
        raise forms.ValidationError(_("Write the coordinate as a number, like 60,1699."))
    if abs(value) > 180:
        # Checked before rounding: 1e30 cannot be rounded to six decimals.
        raise forms.ValidationError(
            _("A coordinate is a number of degrees from -180 to 180, like 60,1699.")
        )
    return value.quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)


class ProposalForm(forms.Form):
    """A resident's proposal. The place is optional: words, and if the person knows
    them, the coordinates of a point (a phone's map app shows them)."""

    area = forms.ModelChoiceField(
        label=_("Where should it happen?"),
        queryset=None,
        to_field_name="slug",
        empty_label=None,
        widget=forms.RadioSelect,
    )
    theme = forms.ChoiceField(label=_("Theme"), choices=Theme.choices, widget=forms.RadioSelect)
    title = forms.CharField(
        label=_("Your idea in a few words"), max_length=150, validators=[validate_plain_text]
    )
    description = forms.CharField(
        label=_("Tell more about your idea"),
        help_text=_("What should be done, where, and who would enjoy it? At most 3000 characters."),
        max_length=3000,
        widget=forms.Textarea,
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
    image = forms.FileField(
        label=_("Image (optional)"),
        help_text=_(
            "A JPEG or PNG image of at most 5 MB. Its location and camera details are removed."
        ),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}),
    )
    image_description = forms.CharField(
        label=_("What does the image show?"),
        help_text=_("For people who cannot see the image. Needed when you add one."),
        max_length=200,
        required=False,
    )

    def __init__(self, *args, areas, proposal=None, **kwargs):
        if proposal is not None:
            kwargs.setdefault("initial", {}).update(
                area=proposal.area.slug,
                theme=proposal.theme,
                title=proposal.title,
                description=proposal.description,
                place_text=proposal.place_text,
                latitude=_written(proposal.latitude),
                longitude=_written(proposal.longitude),
            )
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas
        self.proposal = proposal
        if proposal is not None and proposal.images.exists():
            self.fields["remove_images"] = IdMultipleChoiceField(
                label=_("Remove images"),
                queryset=proposal.images.all(),
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
            self.order_fields(
                [n for n in self.fields if n not in ("image", "image_description")]
                + ["image", "image_description"]
            )

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
            and ((lat is None) != (lon is None))
        ):
            self.add_error("longitude", _("Give both the latitude and the longitude, or neither."))
        image = cleaned.get("image")
        if image and not cleaned.get("image_description", "").strip():
            self.add_error(
                "image_description", _("Describe the image for people who cannot see it.")
            )
        if image and image.size > MAX_IMAGE_BYTES:
            self.add_error("image", _("An image can be at most 5 MB."))
        return cleaned

    def for_service(self):
        """The cleaned values as the proposal services take them."""
        data = self.cleaned_data
        image = data.get("image")
        return {
            "area": data["area"],
            "theme": data["theme"],
            "title": data["title"],
            "description": data["description"],
            "place": Place(
                text=data["place_text"], latitude=data["latitude"], longitude=data["longitude"]
            ),
            "images": [(image.read(), data["image_description"])] if image else [],
        }


def _written(value):
    return "" if value is None else format(value.normalize(), "f").replace(".", ",")


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Your comment"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("At most 2000 characters. Your first name is shown with the comment."),
    )
