import re

from django import forms
from django.utils.translation import gettext_lazy as _

from osallistu.areas.models import Area
from osallistu.core.validators import validate_plain_text

from .models import CommitteeReport, Goal, ParticipationPlan
from .selectors import LATEST


class FigureFilter(forms.Form):
    """District and year of the figures shown. A wrong value is shown next to its field
    and the figures of the whole city's latest year are shown meanwhile."""

    district = forms.ModelChoiceField(
        Area.objects.districts(),
        to_field_name="slug",
        required=False,
        label=_("District"),
        empty_label=_("All of the city"),
    )
    year = forms.CharField(label=_("Year"), required=False)

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.years = list(years)

    def clean_year(self):
        value = self.cleaned_data["year"].strip()
        if value in ("", LATEST):
            return LATEST
        if value == "all":
            return None
        # ASCII digits only: str.isdigit() also takes "²", which int() refuses.
        if not re.fullmatch(r"[0-9]{4}", value) or not 1900 <= int(value) <= 2200:
            raise forms.ValidationError(_("Choose a year from the list."), code="year")
        return int(value)

    def choice(self):
        """``(district, year)`` to show: the valid ones, or the defaults."""
        if not self.is_bound:
            return None, LATEST
        self.is_valid()  # cleaned_data then holds the fields that are right
        return self.cleaned_data.get("district"), self.cleaned_data.get("year", LATEST)


class PlanForm(forms.ModelForm):
    class Meta:
        model = ParticipationPlan
        fields = ["division", "title", "committee", "first_year", "last_year", "approved_on"]
        widgets = {"approved_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("title", "committee"):
            self.fields[name].validators.append(validate_plain_text)

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("first_year"), cleaned.get("last_year")
        if first is not None and last is not None and last < first:
            self.add_error("last_year", _("The last year cannot be before the first year."))
        for name in ("first_year", "last_year"):
            value = cleaned.get(name)
            if value is not None and not 2000 <= value <= 2100:
                self.add_error(name, _("Give a year between 2000 and 2100."))
        return cleaned


class GoalForm(forms.ModelForm):
    class Meta:
        model = Goal
        fields = ["indicator", "district", "measure", "target", "description"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["description"].validators.append(validate_plain_text)


class ReportForm(forms.ModelForm):
    """A report of a plan for a period. The period is given as its first and last day."""

    class Meta:
        model = CommitteeReport
        fields = ["period_start", "period_end", "language", "commentary"]
        widgets = {
            "period_start": forms.DateInput(attrs={"type": "date"}),
            "period_end": forms.DateInput(attrs={"type": "date"}),
        }

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start is not None and end is not None and end < start:
            self.add_error("period_end", _("The last day cannot be before the first day."))
        return cleaned


class CommentaryForm(forms.ModelForm):
    class Meta:
        model = CommitteeReport
        fields = ["commentary"]
