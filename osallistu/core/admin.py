"""The admin site and what every ModelAdmin of the project shares.

The admin must never offer what the product's rules forbid. Every registered ModelAdmin
therefore states its ``admin_policy`` (``tests/core/test_admin_policy.py`` holds each
to it, and fails for a model registered without one):

- ``READ_ONLY``: shown for support and audit; nothing is added, changed or deleted,
  because the product's services are the only writers (surveys have their builder,
  bookings their handling pages, ballots their voting rules).
- ``THROUGH_SERVICES``: what the admin saves, deletes or does in an action goes through
  the same services as the staff pages, with their refusals shown as errors.
- ``ADMIN_EDITS``: data that no service writes, such as areas, premises and hearing
  content; the admin is its editor. Deletes that would take residents' contributions
  with them are refused.
"""

import enum

from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import audit
from .models import AuditEntry, Job


class AdminPolicy(enum.Enum):
    READ_ONLY = "read only"
    THROUGH_SERVICES = "through services"
    ADMIN_EDITS = "admin edits"


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


class ReadOnlyAdmin(admin.ModelAdmin):
    """Seen, never written: the product's services are the only writers."""

    admin_policy = AdminPolicy.READ_ONLY

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline:
    """An inline of a read-only admin, or rows that its parent's page only shows."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ServiceAdminMixin:
    """For admins whose saves and actions call services: a refusal of a service (one of
    ``service_errors``) is shown as an error on the page instead of a server error, and
    the admin's transaction, which the refusal ends, writes nothing."""

    admin_policy = AdminPolicy.THROUGH_SERVICES
    service_errors = ()

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except self.service_errors as error:
            self.message_user(request, str(error), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


class GuardedDeleteMixin:
    """For ``ADMIN_EDITS`` admins whose objects may carry residents' contributions: an
    object is deleted only one at a time, on its own page, and only when
    ``deletion_refused`` (the reason, shown on the page) is None. The bulk delete of the
    list would skip that question."""

    admin_policy = AdminPolicy.ADMIN_EDITS

    def deletion_refused(self, obj):
        return None

    def has_delete_permission(self, request, obj=None):
        if obj is not None and self.deletion_refused(obj) is not None:
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        reason = self.deletion_refused(obj) if obj is not None else None
        if reason is not None and request.method == "GET":
            self.message_user(request, reason, messages.INFO)
        return super().render_change_form(request, context, add, change, form_url, obj)


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """The log is append-only, also for administrators."""

    list_display = ["created_at", "action", "actor", "on_behalf_of", "target_repr"]
    list_filter = ["action"]
    search_fields = ["action", "target_repr", "actor__email"]
    date_hierarchy = "created_at"


# A job's payload can link a person to what they chose (a ballot summary) or carry a
# link that logs in (registration); the admin shows what a job is, never what it carries.
JOB_FIELDS_SHOWN = [field.name for field in Job._meta.fields if field.name != "payload"]


@admin.register(Job)
class JobAdmin(ReadOnlyAdmin):
    """Staff see what is queued and what failed, and can queue a failed job again."""

    list_display = ["created_at", "name", "state", "attempts", "run_after", "finished_at"]
    list_filter = ["state", "name"]
    fields = JOB_FIELDS_SHOWN
    readonly_fields = JOB_FIELDS_SHOWN
    actions = ["run_again"]

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
