from django.contrib import admin

from . import audit
from .models import AuditEntry


class AuditedAdminMixin:
    """Changes made in the admin are audit-logged like those made through services:
    who added, changed or deleted what, with the names of the changed fields.

    The admin runs each change in one transaction, so the entry and the change are
    committed together. Put it first among a ModelAdmin's bases.
    """

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit.record(
            action="admin.changed" if change else "admin.added",
            actor=request.user,
            target=obj,
            data={"fields": sorted(form.changed_data)},
        )

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects:
            audit.record(action="admin.added", actor=request.user, target=obj)
        for obj, fields in formset.changed_objects:
            audit.record(
                action="admin.changed", actor=request.user, target=obj, data={"fields": fields}
            )
        for obj in formset.deleted_objects:
            audit.record(action="admin.deleted", actor=request.user, target=obj)

    def delete_model(self, request, obj):
        audit.record(action="admin.deleted", actor=request.user, target=obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            audit.record(action="admin.deleted", actor=request.user, target=obj)
        super().delete_queryset(request, queryset)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "action", "actor", "on_behalf_of", "target_repr"]
    list_filter = ["action"]
    search_fields = ["action", "target_repr", "actor__email"]
    date_hierarchy = "created_at"

    # The log is append-only, also for administrators.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
