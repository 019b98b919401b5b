from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import audit
from .models import AuditEntry, Job


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


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    """Staff see what is queued and what failed, and can queue a failed job again."""

    list_display = ["created_at", "name", "state", "attempts", "run_after", "finished_at"]
    list_filter = ["state", "name"]
    readonly_fields = [field.name for field in Job._meta.fields]
    actions = ["run_again"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Queue the selected failed jobs again"))
    def run_again(self, request, queryset):
        failed = queryset.filter(state=Job.State.FAILED)
        for job in failed:
            audit.record(action="core.job_requeued", actor=request.user, target=job)
        count = failed.update(
            state=Job.State.QUEUED, attempts=0, run_after=timezone.now(), finished_at=None
        )
        self.message_user(
            request,
            ngettext("%(count)s job queued again.", "%(count)s jobs queued again.", count)
            % {"count": count},
        )
