"""Admin for rounds and plans, through the same services as the staff screens.

A round's settings are saved by ``update_round_settings`` (voting rules and web address
fixed once voting has started) and a plan's by ``update_plan`` (only its texts once voting
has started); the fields those refuse are shown read-only. Money is set on the staff
screens with the split helper, plans are made there from proposals, and nothing that
residents voted on or proposed is deleted here. Ballots are not in the admin at all,
and participations show who voted, never what they chose.
"""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from osallistu.core.admin import ReadOnlyAdmin, ReadOnlyInline, ServiceAdminMixin

from . import services
from .models import Participation, Plan, Round, RoundBudget
from .services.plans import TRANSLATED_PLAN_TEXTS

# As services.update_plan: once voting has started only a plan's texts can be corrected.
PLAN_FIELDS_FIXED_WHEN_VOTING = services.PLAN_FIELDS_FIXED_WHEN_VOTING
# Where a plan belongs and where it stands change only through the services' actions.
PLAN_FIELDS_NEVER_EDITED = ("round", "area", "status")
ROUND_FIELDS = {field.name for field in Round._meta.concrete_fields} - {"id"}


class RoundBudgetInline(ReadOnlyInline, admin.TabularInline):
    """The money of a round is set on the staff screens, with the split helper."""

    model = RoundBudget
    extra = 0


@admin.register(Round)
class RoundAdmin(ServiceAdminMixin, TranslationAdmin):
    service_errors = (services.BudgetingError,)
    list_display = ("name", "slug", "voting_starts_at", "voting_ends_at", "counting_rule")
    prepopulated_fields = {"slug": ("name_fi",)}
    inlines = [RoundBudgetInline]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.voting_has_started():
            return (*Round.LOCKED_WHEN_VOTING, "slug")
        return ()

    def get_prepopulated_fields(self, request, obj=None):
        if obj is not None and obj.voting_has_started():
            return {}
        return super().get_prepopulated_fields(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        values = {name: value for name, value in form.cleaned_data.items() if name in ROUND_FIELDS}
        if change:
            changed = {name: values[name] for name in form.changed_data if name in values}
            services.update_round_settings(round=obj, actor=request.user, **changed)
            return
        created = services.create_round(actor=request.user, **values)
        # The admin goes on with the object it built: make it the round just made.
        obj.pk = created.pk
        obj._state.adding = False


@admin.register(Plan)
class PlanAdmin(ServiceAdminMixin, TranslationAdmin):
    service_errors = (services.BudgetingError,)
    list_display = ("code", "title", "round", "area", "theme", "cost_high", "status")
    list_filter = ("round", "area", "status", "theme")
    search_fields = ("code", "title_fi", "title_sv", "title_en")
    actions = ["put_on_ballot", "take_off_ballot"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.round.voting_has_started():
            return (*PLAN_FIELDS_NEVER_EDITED, *PLAN_FIELDS_FIXED_WHEN_VOTING)
        return PLAN_FIELDS_NEVER_EDITED

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        fields, texts = {}, {}
        for name in form.changed_data:
            if name in PLAN_FIELDS_FIXED_WHEN_VOTING:
                fields[name] = form.cleaned_data[name]
                continue
            text, _separator, language = name.rpartition("_")
            if text in TRANSLATED_PLAN_TEXTS:
                texts.setdefault(text, {})[language] = form.cleaned_data[name]
        services.update_plan(plan=obj, actor=request.user, texts=texts, **fields)

    @admin.action(description=_("Put the chosen plans on the ballot"))
    def put_on_ballot(self, request, queryset):
        self._set_on_ballot(request, queryset, on_ballot=True)

    @admin.action(description=_("Take the chosen plans off the ballot"))
    def take_off_ballot(self, request, queryset):
        self._set_on_ballot(request, queryset, on_ballot=False)

    def _set_on_ballot(self, request, queryset, *, on_ballot):
        for plan in queryset:
            try:
                services.set_plan_on_ballot(plan=plan, on_ballot=on_ballot, actor=request.user)
            except services.BudgetingError as error:
                self.message_user(request, f"{plan.code}: {error}", messages.ERROR)


@admin.register(Participation)
class ParticipationAdmin(ReadOnlyAdmin):
    list_display = (
        "voter",
        "round",
        "channel",
        "recorded_by",
        "confirmed_by",
        "voted_at",
        "changed_at",
    )
    list_filter = ("round", "channel")
    search_fields = ("voter__email", "voter__full_name")
    readonly_fields = (
        "round",
        "voter",
        "channel",
        "recorded_by",
        "confirmed_by",
        "receipt_code",
        "voted_at",
        "changed_at",
    )
