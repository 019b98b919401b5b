"""Forms of hearings. They check the shape of what was posted; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from osallistu.core.validators import validate_person_name

from . import engine, services


class CommentForm(forms.Form):
    section = forms.ModelChoiceField(
        label=_("Part of the plan"),
        queryset=None,
        required=False,
        empty_label=_("The whole plan"),
    )
    text = forms.CharField(
        label=_("Your comment"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=services.COMMENT_MAX_LENGTH,
    )
    nickname = forms.CharField(
        label=_("Name shown with the comment (optional)"),
        max_length=services.NICKNAME_MAX_LENGTH,
        required=False,
        validators=[validate_person_name],
    )
    address = forms.CharField(
        label=_("Address or place (optional)"), max_length=300, required=False
    )
    lat = forms.CharField(label=_("Latitude (optional)"), max_length=30, required=False)
    lon = forms.CharField(label=_("Longitude (optional)"), max_length=30, required=False)

    def __init__(self, *args, hearing, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = hearing.sections.all()
        if not hearing.sections.exists():
            del self.fields["section"]
        if not hearing.map_comments:
            for name in ("address", "lat", "lon"):
                del self.fields[name]

    def clean_address(self):
        address = self.cleaned_data["address"]
        try:
            return engine.check_characters(address)
        except engine.AnswerError as error:
            raise forms.ValidationError(error.message, code="characters") from None

    def clean(self):
        cleaned = super().clean()
        if "address" in self.fields and "address" in cleaned:
            try:
                cleaned["place"] = services.clean_place(
                    address=cleaned.get("address", ""),
                    lat=cleaned.get("lat", ""),
                    lon=cleaned.get("lon", ""),
                )
            except engine.AnswerError as error:
                self.add_error("lat", error.message)
        return cleaned


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Your reply"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=services.COMMENT_MAX_LENGTH,
    )


class FlagForm(forms.Form):
    reason = forms.CharField(
        label=_("What is wrong with it? (optional)"),
        max_length=services.REASON_MAX_LENGTH,
        required=False,
    )


class HideForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason, shown to the author"),
        max_length=services.REASON_MAX_LENGTH,
        help_text=_("For example: The comment contains personal information about another person."),
    )


class OfficialAnswerForm(forms.Form):
    text = forms.CharField(
        label=_("Official answer of the city"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=services.COMMENT_MAX_LENGTH,
    )


class TextSearchForm(forms.Form):
    """The free-text answers page's question and search words, read from GET."""

    question = forms.IntegerField(required=False)
    q = forms.CharField(label=_("Words to find"), max_length=200, required=False)
