"""Admin of initiatives: initiatives and their paper supports are shown but not edited
here; every change goes through the services (and the staff pages), which check the
rules, keep the history public and write the audit log. The divisions that prepare
initiatives are ``accounts.Division``, edited in the accounts admin."""

from django.contrib import admin

from osallistu.core.admin import ReadOnlyAdmin

from .models import Initiative, PaperSupportBatch


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
