"""Admin for service categories with their further questions: reference data that no
service writes (the divisions they belong to are ``accounts.Division``). Feedback and
API keys are only shown: moderation, handling and keys go through the services (the
staff pages), which check the rules, write the history and the audit log; so do the
members of divisions, which are people."""

from django.contrib import admin
from django.utils.translation import gettext as _
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from osallistu.core.admin import AdminPolicy, AuditedAdminMixin, GuardedDeleteMixin, ReadOnlyAdmin

from .models import (
    ApiKey,
    Feedback,
    ServiceAttribute,
    ServiceAttributeValue,
    ServiceCategory,
)


class ServiceAttributeInline(TranslationTabularInline):
    model = ServiceAttribute
    extra = 0
    show_change_link = True


@admin.register(ServiceCategory)
class ServiceCategoryAdmin(AuditedAdminMixin, GuardedDeleteMixin, TranslationAdmin):
    list_display = ("name", "code", "division", "group", "is_active", "position")
    list_filter = ("division", "is_active")
    search_fields = ("code", "name_fi", "name_sv", "name_en")
    inlines = [ServiceAttributeInline]

    def deletion_refused(self, obj):
        if obj.feedback.exists():
            return _(
                "The category has feedback: turn off “takes new feedback” instead of deleting it."
            )
        return None


class ServiceAttributeValueInline(TranslationTabularInline):
    model = ServiceAttributeValue
    extra = 0


@admin.register(ServiceAttribute)
class ServiceAttributeAdmin(AuditedAdminMixin, TranslationAdmin):
    admin_policy = AdminPolicy.ADMIN_EDITS
    list_display = ("description", "code", "service", "datatype", "required", "order")
    list_filter = ("service",)
    inlines = [ServiceAttributeValueInline]


@admin.register(Feedback)
class FeedbackAdmin(ReadOnlyAdmin):
    list_display = ("pk", "service", "status", "moderation", "district", "requested_at")
    list_filter = ("moderation", "status", "service__division", "district")
    date_hierarchy = "requested_at"
    list_select_related = ("service", "district")


@admin.register(ApiKey)
class ApiKeyAdmin(ReadOnlyAdmin):
    list_display = ("name", "prefix", "created_by", "created_at", "revoked_at")
