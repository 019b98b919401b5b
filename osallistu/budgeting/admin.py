"""Admin for rounds, budgets and plans.

Once voting has started the admin shows the voting rules, the money and the ballot
read-only, as the services refuse to change them. Ballots are not in the admin at
all, and participations show who voted, never what they chose.
"""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from osallistu.core.admin import AuditedAdminMixin

from .models import Participation, Plan, Round, RoundBudget
from .services import RoundLocked, set_plan_on_ballot

# As services.update_plan: once voting has started only a plan's texts can be corrected.
PLAN_FIELDS_FIXED_WHEN_VOTING = (
    "round",
    "area",
    "code",
    "theme",
    "cost_low",
    "cost_high",
    "status",
)


class RoundBudgetInline(admin.TabularInline):
    model = RoundBudget
    extra = 0

    def _editable(self, obj):
        return obj is None or not obj.voting_has_started()

    def has_add_permission(self, request, obj=None):
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(obj) and super().has_delete_permission(request, obj)


@admin.register(Round)
class RoundAdmin(AuditedAdminMixin, TranslationAdmin):
    list_display = ("name", "slug", "voting_starts_at", "voting_ends_at", "counting_rule")
    prepopulated_fields = {"slug": ("name_fi",)}
    inlines = [RoundBudgetInline]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.voting_has_started():
            return Round.LOCKED_WHEN_VOTING
        return ()


@admin.register(Plan)
class PlanAdmin(AuditedAdminMixin, TranslationAdmin):
    list_display = ("code", "title", "round", "area", "theme", "cost_high", "status")
    list_filter = ("round", "area", "status", "theme")
    search_fields = ("code", "title_fi", "title_sv", "title_en")
    actions = ["put_on_ballot", "take_off_ballot"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.round.voting_has_started():
            return PLAN_FIELDS_FIXED_WHEN_VOTING
        return ()

    @admin.action(description=_("Put the chosen plans on the ballot"))
    def put_on_ballot(self, request, queryset):
        self._set_on_ballot(request, queryset, on_ballot=True)

    @admin.action(description=_("Take the chosen plans off the ballot"))
    def take_off_ballot(self, request, queryset):
        self._set_on_ballot(request, queryset, on_ballot=False)

    def _set_on_ballot(self, request, queryset, *, on_ballot):
        for plan in queryset:
            try:
                set_plan_on_ballot(plan=plan, on_ballot=on_ballot, actor=request.user)
            except RoundLocked as error:
                self.message_user(request, f"{plan.code}: {error}", messages.ERROR)


@admin.register(Participation)
class ParticipationAdmin(admin.ModelAdmin):
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

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
