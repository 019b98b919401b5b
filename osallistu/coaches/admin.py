"""Admin for what no service writes: the topics the city lists and the places where
coaches meet (the admin is their editor; one in use is not deleted), and the settings
of a coach's page (the coach makes the page and writes its texts at their desk). The
rest (office hours, meetings, requests, events, companies) is shown but not edited
here: it changes through the desk and the services, which check the rules, write the
audit log and send the e-mails."""

from django.contrib import admin
from django.utils.translation import gettext as _
from modeltranslation.admin import TranslationAdmin

from osallistu.core.admin import AdminPolicy, AuditedAdminMixin, GuardedDeleteMixin, ReadOnlyAdmin

from .models import (
    Appointment,
    CoachProfile,
    Company,
    CompanyContact,
    ContactRequest,
    Event,
    OfficeHours,
    OfficeHoursException,
    Place,
    Topic,
)


@admin.register(Topic)
class TopicAdmin(AuditedAdminMixin, GuardedDeleteMixin, TranslationAdmin):
    list_display = ("name", "audience", "slug", "position", "is_active")
    list_filter = ("audience", "is_active")
    prepopulated_fields = {"slug": ("name_en",)}

    def deletion_refused(self, obj):
        if obj.appointments.exists() or obj.requests.exists() or obj.company_contacts.exists():
            return _("This topic is in use. Mark it as no longer offered instead.")
        return None


@admin.register(Place)
class PlaceAdmin(AuditedAdminMixin, GuardedDeleteMixin, TranslationAdmin):
    list_display = ("name", "kind", "district", "street_address", "postal_code")
    list_filter = ("kind", "district")
    search_fields = ("name_fi", "name_sv", "name_en", "street_address_fi")

    def deletion_refused(self, obj):
        if (
            obj.office_hours.exists()
            or obj.office_hours_exceptions.exists()
            or obj.appointments.exists()
            or obj.events.exists()
        ):
            return _("Office hours, meetings or events use this place, so it is kept.")
        return None


@admin.register(CoachProfile)
class CoachProfileAdmin(AuditedAdminMixin, TranslationAdmin):
    """A coach's page is made by the coach at their desk (it belongs to their account);
    here its settings and photo are kept."""

    admin_policy = AdminPolicy.ADMIN_EDITS
    list_display = ("user", "kind", "slug", "is_published", "bookable_weeks", "notice_hours")
    list_filter = ("kind", "is_published")
    search_fields = ("user__full_name", "user__email", "slug")
    readonly_fields = ("user", "kind")
    list_select_related = ("user",)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OfficeHours)
class OfficeHoursAdmin(ReadOnlyAdmin):
    list_display = ("coach", "weekday", "begins", "ends", "slot_minutes", "place", "valid_from")
    list_filter = ("weekday",)
    list_select_related = ("coach", "place")


@admin.register(OfficeHoursException)
class OfficeHoursExceptionAdmin(ReadOnlyAdmin):
    list_display = ("coach", "date", "begins", "ends", "place", "reason")
    list_select_related = ("coach", "place")
    date_hierarchy = "date"


@admin.register(Appointment)
class AppointmentAdmin(ReadOnlyAdmin):
    list_display = ("coach", "begins_at", "district", "topic", "state")
    list_filter = ("state", "coach_kind", "district")
    list_select_related = ("coach", "district", "topic")
    date_hierarchy = "begins_at"
    # Who booked and what they told is for the coaches, at their desk.
    exclude = ("name", "email", "phone", "details", "accessibility_needs", "person")


@admin.register(ContactRequest)
class ContactRequestAdmin(ReadOnlyAdmin):
    list_display = ("pk", "kind", "district", "topic", "status", "assigned_to", "created_at")
    list_filter = ("kind", "status", "district")
    list_select_related = ("district", "topic", "assigned_to")
    exclude = ("question", "phone", "asker")


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ("title", "kind", "district", "begins_at", "published_at", "cancelled_at")
    list_filter = ("kind", "district")
    list_select_related = ("district",)
    date_hierarchy = "begins_at"


@admin.register(Company)
class CompanyAdmin(ReadOnlyAdmin):
    list_display = ("name", "business_id", "sector", "district")
    list_filter = ("sector", "district")
    search_fields = ("name", "business_id")


@admin.register(CompanyContact)
class CompanyContactAdmin(ReadOnlyAdmin):
    list_display = ("company", "coach", "district", "topic", "channel", "happened_on")
    list_filter = ("district", "topic", "channel")
    list_select_related = ("company", "coach", "district", "topic")
    exclude = ("notes",)
