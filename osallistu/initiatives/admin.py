"""Admin for the divisions that prepare initiatives. Initiatives and their paper
supports are shown but not edited here: every change goes through the services (and
the staff pages), which check the rules, keep the history public and write the audit
log."""

from django.contrib import admin
from django.utils.translation import gettext as _
from modeltranslation.admin import TranslationAdmin

from osallistu.core.admin import AuditedAdminMixin, GuardedDeleteMixin, ReadOnlyAdmin

from .models import Division, Initiative, PaperSupportBatch


@admin.register(Division)
class DivisionAdmin(GuardedDeleteMixin, AuditedAdminMixin, TranslationAdmin):
    list_display = ("name", "is_active")
    list_filter = ("is_active",)

    def deletion_refused(self, division):
        if division.initiatives.exists():
            return _(
                "This division has prepared initiatives, so it stays with their history. "
                "Mark it as not in use instead."
            )
        return None


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
