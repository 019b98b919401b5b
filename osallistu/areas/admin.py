from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from osallistu.core.admin import AuditedAdminMixin

from .models import Area, PostalCode


@admin.register(Area)
class AreaAdmin(AuditedAdminMixin, TranslationAdmin):
    list_display = ["number", "name", "kind", "population", "population_year"]


@admin.register(PostalCode)
class PostalCodeAdmin(AuditedAdminMixin, TranslationAdmin):
    list_display = ["code", "name", "district", "approximate"]
    list_filter = ["district", "approximate"]
    search_fields = ["code", "name"]
