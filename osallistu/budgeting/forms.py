"""Forms check the shape of what the browser sent; the rules are in services."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from osallistu.core.templatetags.osallistu import euros

from .models import PROGRESS_STEPS, Channel, PlanStatus, Proposal, ProposalStatus, Theme


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


class StaffBallotForm(BallotForm):
    channel = forms.ChoiceField(
        label=_("How did the person vote?"),
        choices=[(Channel.ASSISTED, Channel.ASSISTED.label), (Channel.PAPER, Channel.PAPER.label)],
        widget=forms.RadioSelect,
        initial=Channel.ASSISTED,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields([*self.plan_fields, "channel"])


class VoterSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Find the person by e-mail address or name"),
        min_length=3,
        max_length=150,
    )


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


class PlanProgressForm(forms.Form):
    status = forms.ChoiceField(label=_("Stage"))
    happened_on = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
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


class ProposalForm(forms.Form):
    area = forms.ModelChoiceField(
        label=_("Where should it happen?"),
        queryset=None,
        to_field_name="slug",
        empty_label=None,
        widget=forms.RadioSelect,
    )
    theme = forms.ChoiceField(label=_("Theme"), choices=Theme.choices, widget=forms.RadioSelect)
    title = forms.CharField(label=_("Your idea in a few words"), max_length=150)
    description = forms.CharField(
        label=_("Tell more about your idea"),
        help_text=_("What should be done, where, and who would enjoy it? At most 3000 characters."),
        max_length=3000,
        widget=forms.Textarea,
    )

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas


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


class PlanFromProposalsForm(forms.Form):
    proposals = forms.ModelMultipleChoiceField(
        label=_("Proposals to combine"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
    )
    code = forms.RegexField(
        label=_("Code"),
        regex=r"^[A-ZÅÄÖ]{1,3}-[0-9]{3}$",
        help_text=_("For example K-023."),
        error_messages={"invalid": _("Write the code like K-023.")},
    )
    theme = forms.ChoiceField(label=_("Theme"), choices=Theme.choices)
    title_fi = forms.CharField(label=_("Title in Finnish"), max_length=200)
    title_sv = forms.CharField(label=_("Title in Swedish"), max_length=200)
    title_en = forms.CharField(label=_("Title in English"), max_length=200)
    description_fi = forms.CharField(label=_("Description in Finnish"), widget=forms.Textarea)
    description_sv = forms.CharField(
        label=_("Description in Swedish"), widget=forms.Textarea, required=False
    )
    description_en = forms.CharField(
        label=_("Description in English"), widget=forms.Textarea, required=False
    )
    cost_low = forms.IntegerField(label=_("Cost estimate, lower end (euros)"), min_value=0)
    cost_high = forms.IntegerField(label=_("Cost estimate, upper end (euros)"), min_value=1)

    def __init__(self, *args, round, area, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposals"].queryset = Proposal.objects.filter(
            round=round, area=area, status=ProposalStatus.ACCEPTED
        )

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("cost_low"), cleaned.get("cost_high")
        if low is not None and high is not None and low > high:
            self.add_error("cost_high", _("The upper end must be at least the lower end."))
        return cleaned

    def texts(self, name):
        return {
            language: self.cleaned_data[f"{name}_{language}"] for language in ("fi", "sv", "en")
        }
