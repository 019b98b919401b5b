"""Admin for the divisions that prepare initiatives. Initiatives and their supports are
shown but not edited here: every change goes through the services (and the staff
pages), which check the rules, keep the history public and write the audit log."""

from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from osallistu.core.admin import AuditedAdminMixin

from .models import Division, Initiative, PaperSupportBatch


@admin.register(Division)
class DivisionAdmin(AuditedAdminMixin, TranslationAdmin):
    list_display = ("name", "is_active")
    list_filter = ("is_active",)

    def has_delete_permission(self, request, obj=None):
        # A division that prepared initiatives stays, so that their history does;
        # one no longer in use is marked so.
        return obj is None or not obj.initiatives.exists()


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Initiative)
class InitiativeAdmin(ReadOnlyAdmin):
    list_display = ("title", "state", "category", "area", "diary_number", "sent_at", "deadline")
    list_filter = ("state", "category", "area")
    search_fields = ("title", "diary_number")
    date_hierarchy = "created_at"


@admin.register(PaperSupportBatch)
class PaperSupportBatchAdmin(ReadOnlyAdmin):
    list_display = ("label", "initiative", "signatures", "valid", "entered_by", "confirmed_by")
    list_select_related = ("initiative", "entered_by", "confirmed_by")
