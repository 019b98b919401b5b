from django.contrib import admin

from osallistu.core.admin import ReadOnlyAdmin

from .models import IdentityVerification


@admin.register(IdentityVerification)
class IdentityVerificationAdmin(ReadOnlyAdmin):
    """History for support and audit: read-only, because only the services write it."""

    list_display = ["user", "method", "verified_at", "verified_by", "document_type"]
    list_filter = ["method", "document_type"]
    search_fields = ["user__email", "user__full_name"]
    date_hierarchy = "verified_at"
