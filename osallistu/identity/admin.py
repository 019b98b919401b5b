from django.contrib import admin

from .models import IdentityVerification


@admin.register(IdentityVerification)
class IdentityVerificationAdmin(admin.ModelAdmin):
    """History for support and audit: read-only, because only the services write it."""

    list_display = ["user", "method", "verified_at", "verified_by", "document_type"]
    list_filter = ["method", "document_type"]
    search_fields = ["user__email", "user__full_name"]
    date_hierarchy = "verified_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
