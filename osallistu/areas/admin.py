"""The city's areas, neighbourhoods, postal codes and population figures: reference
data that no service writes, edited here. An area or a neighbourhood is never deleted:
people, staff roles, budgets and plans refer to it."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from osallistu.core.admin import AdminPolicy, AuditedAdminMixin

from .models import Area, EntitledVoters, Neighbourhood, Population, PostalCode


@admin.register(Area)
class AreaAdmin(AuditedAdminMixin, TranslationAdmin):
    admin_policy = AdminPolicy.ADMIN_EDITS
    list_display = ["number", "name", "kind"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PostalCode)
class PostalCodeAdmin(AuditedAdminMixin, TranslationAdmin):
    admin_policy = AdminPolicy.ADMIN_EDITS
    list_display = ["code", "name", "district", "approximate"]
    list_filter = ["district", "approximate"]
    search_fields = ["code", "name"]


@admin.register(Population)
class PopulationAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Population by year, area, age band and gender: loaded by the city from its
    statistics (the model's ``clean`` refuses overlapping bands)."""

    admin_policy = AdminPolicy.ADMIN_EDITS
    list_display = ["year", "area", "ages", "gender", "count", "approximate"]
    list_filter = ["year", "area", "gender", "approximate"]

    @admin.display(description=_("ages"), ordering="age_from")
    def ages(self, figure):
        return figure.band_label


@admin.register(EntitledVoters)
class EntitledVotersAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """The electoral roll's count of residents entitled to vote, per year: where set, it
    replaces the estimate from the residents aged 18 and over."""

    admin_policy = AdminPolicy.ADMIN_EDITS
    list_display = ["year", "count", "source"]


@admin.register(Neighbourhood)
class NeighbourhoodAdmin(AuditedAdminMixin, TranslationAdmin):
    admin_policy = AdminPolicy.ADMIN_EDITS
    list_display = ["number", "name", "district", "approximate"]
    list_filter = ["district", "approximate"]
    search_fields = ["name"]

    def has_delete_permission(self, request, obj=None):
        return False  # plans refer to it
