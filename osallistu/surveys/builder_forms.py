"""Forms of the survey builder. They check the shape of what was posted and turn a
question's kind-specific fields into its ``settings``; ``builder`` decides the rest."""

import re
from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from osallistu.areas.models import Area
from osallistu.core.fields import IdMultipleChoiceField
from osallistu.core.validators import validate_plain_text

from .models import (
    CHOICE_KINDS,
    Audience,
    Operator,
    Option,
    QuestionKind,
    validate_settings,
)

LANGUAGE_NAMES = {
    "fi": _("in Finnish"),
    "sv": _("in Swedish"),
    "en": _("in English"),
}
LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
HEADING = _("Heading")
TEXT = _("Text")


def _translated(form, field, label, make_field):
    """One field per language: ``title_fi``, ``title_sv``, ``title_en``."""
    for code in LANGUAGE_CODES:
        new = make_field()
        new.label = f"{label} {LANGUAGE_NAMES[code]}"
        new.widget.attrs["lang"] = code
        if field == "title":
            new.validators.append(validate_plain_text)
        form.fields[f"{field}_{code}"] = new


def _datetime_field(label):
    return forms.DateTimeField(
        label=label,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Helsinki time."),
    )


class SurveySettingsForm(forms.Form):
    slug = forms.SlugField(
        label=_("Web address"),
        max_length=80,
        required=False,
        help_text=_(
            "The last part of the survey's address: letters a–z, numbers and hyphens. "
            "Made from the Finnish title when left empty."
        ),
    )
    opens_at = _datetime_field(_("Opens"))
    closes_at = _datetime_field(_("Closes"))
    audience = forms.ChoiceField(
        label=_("Who may answer"),
        choices=Audience.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "People who have logged in can answer once; the database makes sure of it. "
            "When anyone may answer, answers without logging in are limited per hour "
            "from one network address, and a browser that has answered is asked not to "
            "answer again."
        ),
    )
    districts = IdMultipleChoiceField(
        label=_("Districts"),
        queryset=Area.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only for the audience “Residents of the chosen districts”."),
    )
    anonymous_responses_per_hour = forms.IntegerField(
        label=_("Responses per hour from one network address"),
        min_value=1,
        max_value=10000,
        initial=30,
        help_text=_(
            "Against abuse when people answer without logging in. Libraries and schools "
            "share one address, so do not set it too low."
        ),
    )
    results_published = forms.BooleanField(
        label=_("Results are public to residents"), required=False
    )

    def __init__(self, *args, scope=None, **kwargs):
        super().__init__(*args, **kwargs)
        fields = dict(self.fields)
        self.fields.clear()
        _translated(self, "title", _("Title"), lambda: forms.CharField(max_length=200))
        _translated(
            self,
            "description",
            _("Introduction"),
            lambda: forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4})),
        )
        self.fields.update(fields)
        districts = Area.objects.districts().order_by("name")
        if scope is not None:
            # District moderators and city coaches build surveys for their own districts only.
            districts = districts.filter(pk__in=scope)
            self.fields["audience"].choices = [
                (value, label) for value, label in Audience.choices if value == Audience.DISTRICTS
            ]
            self.fields["audience"].initial = Audience.DISTRICTS
        self.fields["districts"].queryset = districts

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("A survey must close after it opens."))
        if cleaned.get("audience") == Audience.DISTRICTS and not cleaned.get("districts"):
            self.add_error("districts", _("Choose at least one district, or another audience."))
        return cleaned

    @staticmethod
    def initial_for(survey):
        initial = {
            name: getattr(survey, name)
            for name in (
                "slug",
                "opens_at",
                "closes_at",
                "audience",
                "anonymous_responses_per_hour",
                "results_published",
            )
        }
        for code in LANGUAGE_CODES:
            initial[f"title_{code}"] = getattr(survey, f"title_{code}")
            initial[f"description_{code}"] = getattr(survey, f"description_{code}")
        initial["districts"] = list(survey.districts.all())
        return initial


class PageForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _translated(
            self,
            "title",
            _("Page title"),
            lambda: forms.CharField(max_length=200, required=False),
        )

    @staticmethod
    def initial_for(page):
        return {f"title_{code}": getattr(page, f"title_{code}") for code in LANGUAGE_CODES}


def _json_number(value):
    """A Decimal from a form as a JSON number: whole numbers stay whole."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


BBOX_PATTERN = re.compile(r"[;,\s]+")


class NumberField(forms.DecimalField):
    """A number as people write it in Finnish, Swedish or English: 2,5 or 2.5 or 1 200."""

    def to_python(self, value):
        if isinstance(value, str):
            value = re.sub(r"[\s\u00a0\u202f]", "", value).replace(",", ".").replace("\u2212", "-")
        return super().to_python(value)


class QuestionForm(forms.Form):
    """The wording of a question in every language, whether it needs an answer, and
    the settings its kind has."""

    def __init__(self, *args, kind, pages=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        _translated(self, "text", _("Question"), lambda: forms.CharField(max_length=500))
        _translated(
            self,
            "help_text",
            _("Help text"),
            lambda: forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2})),
        )
        if kind == QuestionKind.INFO:
            for code in LANGUAGE_CODES:
                self.fields[f"text_{code}"].label = f"{HEADING} {LANGUAGE_NAMES[code]}"
                self.fields[f"help_text_{code}"].label = f"{TEXT} {LANGUAGE_NAMES[code]}"
                self.fields[f"help_text_{code}"].widget.attrs["rows"] = 5
        else:
            self.fields["required"] = forms.BooleanField(
                label=_("An answer is required"), required=False
            )
        if pages is not None:
            self.fields["page"] = forms.TypedChoiceField(
                label=_("Page"),
                coerce=int,
                choices=[(page.pk, str(page)) for page in pages],
                help_text=_("Moving the question to another page puts it last on that page."),
            )
        for name, field in self.settings_fields().items():
            self.fields[name] = field

    def settings_fields(self):
        kind = self.kind
        fields = {}
        if kind in (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT):
            fields["max_length"] = forms.IntegerField(
                label=_("Longest answer, in characters"),
                min_value=1,
                max_value=1000 if kind == QuestionKind.SHORT_TEXT else 20000,
                initial=200 if kind == QuestionKind.SHORT_TEXT else 5000,
            )
        if kind == QuestionKind.MULTIPLE_CHOICE:
            fields["min_choices"] = forms.IntegerField(
                label=_("Fewest choices"), min_value=0, max_value=100, initial=0
            )
            fields["max_choices"] = forms.IntegerField(
                label=_("Most choices"),
                min_value=1,
                max_value=100,
                required=False,
                help_text=_("Leave empty for no limit."),
            )
        if kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE):
            fields["allow_other"] = forms.BooleanField(
                label=_("Offer “Other” with a text box"), required=False
            )
        if kind == QuestionKind.RANKING:
            fields["max_ranked"] = forms.IntegerField(
                label=_("Most items to rank"),
                min_value=1,
                max_value=100,
                required=False,
                help_text=_("Leave empty to let people rank every item."),
            )
        if kind == QuestionKind.SCALE:
            fields["scale"] = forms.ChoiceField(
                label=_("Scale"),
                choices=[("1-5", _("From 1 to 5")), ("0-10", _("From 0 to 10"))],
                widget=forms.RadioSelect,
                initial="1-5",
            )
        if kind == QuestionKind.NUMBER:
            fields["number_min"] = NumberField(
                label=_("Smallest number"), required=False, max_digits=15
            )
            fields["number_max"] = NumberField(
                label=_("Largest number"), required=False, max_digits=15
            )
            fields["integer"] = forms.BooleanField(
                label=_("Whole numbers only"), required=False, initial=True
            )
        if kind == QuestionKind.DATE:
            for name, label in (("date_min", _("Earliest date")), ("date_max", _("Latest date"))):
                fields[name] = forms.DateField(
                    label=label,
                    required=False,
                    widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                )
        if kind == QuestionKind.MAP:
            fields["geometry"] = forms.ChoiceField(
                label=_("What people mark on the map"),
                choices=[("point", _("A point")), ("area", _("An area"))],
                widget=forms.RadioSelect,
                initial="point",
            )
            fields["bbox"] = forms.CharField(
                label=_("Map bounds (optional)"),
                required=False,
                max_length=120,
                help_text=_(
                    "West, south, east and north in degrees, for example "
                    "24.90, 60.15, 25.00, 60.20 for the city centre. Places must lie within "
                    "these bounds. Leave empty to take places anywhere in Helsinki."
                ),
            )
        return fields

    @staticmethod
    def initial_for(question):
        initial = {"required": question.required, "page": question.page_id}
        for code in LANGUAGE_CODES:
            initial[f"text_{code}"] = getattr(question, f"text_{code}")
            initial[f"help_text_{code}"] = getattr(question, f"help_text_{code}")
        current = {**question.settings_defaults(), **question.settings}
        for key in ("max_length", "min_choices", "max_choices", "allow_other", "max_ranked"):
            if key in current:
                initial[key] = current[key]
        kind = question.kind
        if kind == QuestionKind.SCALE:
            initial["scale"] = f"{current['min']}-{current['max']}"
        if kind == QuestionKind.NUMBER:
            initial.update(
                number_min=current["min"], number_max=current["max"], integer=current["integer"]
            )
        if kind == QuestionKind.DATE:
            initial.update(date_min=current["min"], date_max=current["max"])
        if kind == QuestionKind.MAP:
            initial["geometry"] = current["geometry"]
            if current["bbox"]:
                initial["bbox"] = ", ".join(str(value) for value in current["bbox"])
        return initial

    def _bbox(self, raw):
        if not raw.strip():
            return None
        parts = [part for part in BBOX_PATTERN.split(raw.strip()) if part]
        try:
            decimals = [Decimal(part) for part in parts]
        except ArithmeticError:
            decimals = []
        # Degrees only: 1e400 or NaN would not survive the trip to JSON and back.
        numbers = [
            _json_number(number)
            for number in decimals
            if number.is_finite() and abs(number) <= 180 and number == Decimal(repr(float(number)))
        ]
        if len(numbers) != 4 or len(decimals) != 4:
            self.add_error(
                "bbox", _("Give four numbers: west, south, east and north, separated by commas.")
            )
            return None
        return numbers

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        kind = self.kind
        value = {}
        for key in ("max_length", "min_choices", "max_choices", "allow_other", "max_ranked"):
            if key in self.fields:
                value[key] = cleaned.get(key)
        if kind == QuestionKind.MULTIPLE_CHOICE and value["min_choices"] is None:
            value["min_choices"] = 0
        if kind == QuestionKind.SCALE:
            low, high = cleaned["scale"].split("-")
            value.update(min=int(low), max=int(high))
        if kind == QuestionKind.NUMBER:
            value.update(
                min=_json_number(cleaned.get("number_min")),
                max=_json_number(cleaned.get("number_max")),
                integer=bool(cleaned.get("integer")),
            )
        if kind == QuestionKind.DATE:
            value.update(
                {
                    key: cleaned[name].isoformat() if cleaned.get(name) else None
                    for key, name in (("min", "date_min"), ("max", "date_max"))
                }
            )
        if kind == QuestionKind.MAP:
            value.update(geometry=cleaned["geometry"], bbox=self._bbox(cleaned.get("bbox", "")))
            if self.errors:
                return cleaned
        try:
            validate_settings(kind, value)
        except ValidationError as error:
            for message in error.messages:
                self.add_error(None, message)
        cleaned["settings"] = value
        return cleaned


class KindForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of question"), choices=QuestionKind.choices)


class AddQuestionForm(forms.Form):
    """Chosen on the survey page: the kind of the new question (a GET form)."""

    kind = forms.ChoiceField(label=_("Kind of the new question"), choices=QuestionKind.choices)


class OptionForm(forms.Form):
    def __init__(self, *args, question=None, **kwargs):
        super().__init__(*args, **kwargs)
        if question is not None and question.kind == QuestionKind.MATRIX:
            self.fields["role"] = forms.ChoiceField(
                label=_("Add as"),
                choices=[
                    (Option.Role.CHOICE, _("A column: an answer people choose on each row")),
                    (Option.Role.ROW, _("A row: something people answer about")),
                ],
                widget=forms.RadioSelect,
                initial=Option.Role.CHOICE,
            )
        _translated(self, "text", _("Text"), lambda: forms.CharField(max_length=300))

    @staticmethod
    def initial_for(option):
        return {f"text_{code}": getattr(option, f"text_{code}") for code in LANGUAGE_CODES}


class ConditionForm(forms.Form):
    """A display condition of ``question``. The questions offered are those on
    earlier pages; any question of the survey is read back, so that the builder
    can say clearly why another one cannot be used."""

    depends_on = forms.TypedChoiceField(label=_("Earlier question"), coerce=int)
    operator = forms.ChoiceField(label=_("Test"), choices=Operator.choices)
    option = forms.TypedChoiceField(
        label=_("Option"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("For choice questions: the option the answer is compared with."),
    )
    value = forms.CharField(
        label=_("Value"),
        max_length=200,
        required=False,
        help_text=_(
            "For text, number, scale and date questions: what the answer is compared with. "
            "Dates as day.month.year."
        ),
    )

    def __init__(self, *args, question, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.question = question
        self.questions = {item.pk: item for item in questions}
        earlier = [
            item
            for item in questions
            if item.page.position < question.page.position and item.kind != QuestionKind.INFO
        ]
        self.earlier = earlier
        # Offered: the earlier questions. Accepted: any question of the survey, checked
        # by the builder with a message; the choices below are what the select shows.
        self.fields["depends_on"].choices = [("", "—")] + [
            (item.pk, f"{item.page}: {item}") for item in earlier
        ]
        self.fields["depends_on"].valid_value = lambda value: True
        groups = []
        for item in earlier:
            if item.kind in CHOICE_KINDS:
                choices = [(option.pk, str(option)) for option in item.choices]
                if choices:
                    groups.append((str(item), choices))
        self.fields["option"].choices = [("", "—"), *groups]
        self.fields["option"].valid_value = lambda value: True

    def clean_depends_on(self):
        value = self.cleaned_data["depends_on"]
        if value not in self.questions:
            raise ValidationError(_("Choose a question of this survey."))
        return self.questions[value]

    def clean_option(self):
        value = self.cleaned_data["option"]
        if value is None:
            return None
        option = Option.objects.filter(pk=value, question__in=list(self.questions)).first()
        if option is None:
            raise ValidationError(_("Choose an option of this survey."))
        return option


class DirectionForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", "up"), ("down", "down")])
