"""Admin for divisions, their staff and service categories. Feedback and API keys are
shown but not changed here: moderation, handling and keys go through the services
(the staff pages), which check the rules, write the history and the audit log."""

from django.contrib import admin
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from osallistu.core.admin import AuditedAdminMixin

from .models import (
    ApiKey,
    Division,
    DivisionMember,
    Feedback,
    ServiceAttribute,
    ServiceAttributeValue,
    ServiceCategory,
)


class DivisionMemberInline(admin.TabularInline):
    model = DivisionMember
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Division)
class DivisionAdmin(AuditedAdminMixin, TranslationAdmin):
    list_display = ("name", "slug", "position")
    prepopulated_fields = {"slug": ("name_en",)}
    inlines = [DivisionMemberInline]


class ServiceAttributeInline(TranslationTabularInline):
    model = ServiceAttribute
    extra = 0
    show_change_link = True


@admin.register(ServiceCategory)
class ServiceCategoryAdmin(AuditedAdminMixin, TranslationAdmin):
    list_display = ("name", "code", "division", "group", "is_active", "position")
    list_filter = ("division", "is_active")
    search_fields = ("code", "name_fi", "name_sv", "name_en")
    inlines = [ServiceAttributeInline]


class ServiceAttributeValueInline(TranslationTabularInline):
    model = ServiceAttributeValue
    extra = 0


@admin.register(ServiceAttribute)
class ServiceAttributeAdmin(AuditedAdminMixin, TranslationAdmin):
    list_display = ("description", "code", "service", "datatype", "required", "order")
    list_filter = ("service",)
    inlines = [ServiceAttributeValueInline]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Feedback)
class FeedbackAdmin(ReadOnlyAdmin):
    list_display = ("pk", "service", "status", "moderation", "district", "requested_at")
    list_filter = ("moderation", "status", "service__division", "district")
    date_hierarchy = "requested_at"
    list_select_related = ("service", "district")


@admin.register(ApiKey)
class ApiKeyAdmin(ReadOnlyAdmin):
    list_display = ("name", "prefix", "created_by", "created_at", "revoked_at")
