from django import forms
from django.utils.translation import gettext_lazy as _

from osallistu.areas.models import Area

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
        if not value.isdigit() or not 1900 <= int(value) <= 2200:
            raise forms.ValidationError(_("Choose a year from the list."), code="year")
        return int(value)

    def choice(self):
        """``(district, year)`` to show: the valid ones, or the defaults."""
        if not self.is_bound:
            return None, LATEST
        self.is_valid()  # cleaned_data then holds the fields that are right
        return self.cleaned_data.get("district"), self.cleaned_data.get("year", LATEST)
