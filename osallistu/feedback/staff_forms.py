"""Forms of the feedback staff pages: the queue's filters, moderation, handling and API
keys. They check shape; the services check the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from osallistu.core.validators import validate_plain_text

from .forms import ChoiceOfObjects, district_choice
from .models import (
    ADDRESS_MAX_LENGTH,
    DESCRIPTION_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Moderation,
    Status,
)
from .services import SETTABLE_STATUSES


class QueueFilterForm(forms.Form):
    moderation = forms.ChoiceField(
        label=_("Moderation"),
        choices=[("", _("Any")), *Moderation.choices],
        required=False,
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            ("open", pgettext_lazy("feedback", "Open")),
            ("closed", pgettext_lazy("feedback", "Closed")),
            ("all", _("All")),
            *Status.choices,
        ],
        required=False,
    )
    handler = forms.ChoiceField(
        label=_("Handler"),
        choices=[("", _("Anyone")), ("me", _("Me")), ("none", _("Nobody yet"))],
        required=False,
    )
    overdue = forms.BooleanField(label=_("Only past the promised week"), required=False)

    def __init__(self, *args, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"] = ChoiceOfObjects(
            label=pgettext_lazy("feedback topic", "Category"),
            objects=list(categories),
            key="code",
            empty_label=_("All my categories"),
        )
        self.fields["district"] = district_choice()
        self.order_fields(["moderation", "status", "service", "district", "handler", "overdue"])

    def filters(self):
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "moderation": data.get("moderation") or None,
            "status": data.get("status") or "open",
            "service": data.get("service"),
            "district": data.get("district"),
            "handler": data.get("handler") or None,
            "overdue": bool(data.get("overdue")),
        }


class PublishForm(forms.Form):
    public_title = forms.CharField(
        label=_("Public title"), max_length=TITLE_MAX_LENGTH, required=False
    )
    public_description = forms.CharField(
        label=_("Public text"),
        help_text=_(
            "Leave out names, phone numbers, e-mail addresses, home addresses and anything "
            "else that tells who someone is."
        ),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=DESCRIPTION_MAX_LENGTH,
    )
    public_address = forms.CharField(
        label=_("Public address or place"),
        help_text=_("Leave out flat numbers and anything that points to a home."),
        max_length=ADDRESS_MAX_LENGTH,
        required=False,
    )
    public_photos = forms.MultipleChoiceField(
        label=_("Photos shown in public"),
        help_text=_("Leave out photos that show faces, number plates or a home."),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, feedback, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "public_title": feedback.public_title or feedback.title,
                "public_description": feedback.public_description or feedback.description,
                "public_address": feedback.public_address or feedback.address,
                "public_photos": [
                    str(photo.pk) for photo in feedback.photos.all() if photo.is_public
                ],
            },
        )
        super().__init__(*args, prefix="publish", **kwargs)
        photos = list(feedback.photos.all())
        if photos:
            self.fields["public_photos"].choices = [
                (str(photo.pk), photo.description or _("Photo %(number)s") % {"number": index})
                for index, photo in enumerate(photos, start=1)
            ]
        else:
            del self.fields["public_photos"]


class HideForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is it hidden?"),
        help_text=_("Kept for staff; not shown in public."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="hide", **kwargs)


class AssignForm(forms.Form):
    handler = forms.ModelChoiceField(label=_("Handler"), queryset=None, empty_label=None)

    def __init__(self, *args, handlers, **kwargs):
        super().__init__(*args, prefix="assign", **kwargs)
        self.fields["handler"].queryset = handlers
        self.fields["handler"].label_from_instance = lambda user: user.full_name or user.email


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=())
    note = forms.CharField(
        label=_("Note"),
        help_text=_(
            "Shown in public in the feedback's history. Needed when closing it as not the "
            "city's or as something that cannot be fixed."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )

    def __init__(self, *args, feedback, **kwargs):
        super().__init__(*args, prefix="status", **kwargs)
        labels = dict(Status.choices)
        self.fields["status"].choices = [
            (status, labels[status]) for status in SETTABLE_STATUSES if status != feedback.status
        ]


class AnswerForm(forms.Form):
    text = forms.CharField(
        label=_("The city's answer"),
        help_text=_("Shown in public and sent to the sender and the followers."),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=DESCRIPTION_MAX_LENGTH,
    )

    def __init__(self, *args, feedback, **kwargs):
        kwargs.setdefault("initial", {"text": feedback.answer})
        super().__init__(*args, prefix="answer", **kwargs)


class MergeForm(forms.Form):
    original = forms.IntegerField(
        label=_("Number of the feedback this repeats"),
        min_value=1,
        max_value=2**63 - 1,
        help_text=_("This feedback is closed as its duplicate; its followers follow that one."),
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="merge", **kwargs)


class ApiKeyForm(forms.Form):
    name = forms.CharField(
        label=_("Application"),
        help_text=_("Who uses the key, for example “Palvelukartta mobile app”."),
        max_length=100,
        validators=[validate_plain_text],
    )


class MemberForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address of the member of staff"),
        help_text=_("Of their account on this site."),
    )

    def __init__(self, *args, divisions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["division"] = ChoiceOfObjects(
            label=_("Division"),
            objects=divisions,
            key="slug",
            empty_label="–",
        )
        self.fields["division"].required = True
        area = district_choice()
        area.label = _("Handles feedback of")
        area.choices = [("", _("The whole city")), *area.choices[1:]]
        self.fields["area"] = area
