"""The city's areas and postal codes: reference data that no service writes, edited
here. An area is never deleted: people, staff roles and budgets refer to it."""

from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from osallistu.core.admin import AdminPolicy, AuditedAdminMixin

from .models import Area, PostalCode


@admin.register(Area)
class AreaAdmin(AuditedAdminMixin, TranslationAdmin):
    admin_policy = AdminPolicy.ADMIN_EDITS
    list_display = ["number", "name", "kind", "population", "population_year"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PostalCode)
class PostalCodeAdmin(AuditedAdminMixin, TranslationAdmin):
    admin_policy = AdminPolicy.ADMIN_EDITS
    list_display = ["code", "name", "district", "approximate"]
    list_filter = ["district", "approximate"]
    search_fields = ["code", "name"]
