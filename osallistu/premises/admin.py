"""Admin for units, spaces and their hours, which no service writes: the admin is their
editor. A unit or space that has bookings is not deleted (unpublish it instead).
Bookings are shown but not edited here: their state changes go through the services
(approve, deny, cancel), which check the rules, write the audit log and send the
e-mails."""

from django.contrib import admin
from django.utils.translation import gettext as _
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline

from osallistu.core.admin import (
    AdminPolicy,
    AuditedAdminMixin,
    GuardedDeleteMixin,
    ReadOnlyAdmin,
)

from .models import (
    Booking,
    BookingSeries,
    CalendarFeed,
    Equipment,
    OpeningException,
    OpeningHours,
    Purpose,
    Space,
    SpacePhoto,
    Unit,
    UnitPhoto,
)


@admin.register(Purpose)
class PurposeAdmin(AuditedAdminMixin, TranslationAdmin):
    admin_policy = AdminPolicy.ADMIN_EDITS
    list_display = ("name", "slug", "position")
    prepopulated_fields = {"slug": ("name_en",)}


@admin.register(Equipment)
class EquipmentAdmin(AuditedAdminMixin, TranslationAdmin):
    admin_policy = AdminPolicy.ADMIN_EDITS
    list_display = ("name", "slug", "position")
    prepopulated_fields = {"slug": ("name_en",)}


class UnitPhotoInline(TranslationStackedInline):
    model = UnitPhoto
    extra = 0


class UnitExceptionInline(TranslationStackedInline):
    model = OpeningException
    extra = 0
    fields = ("space", "date", "opens", "closes", "reason")


@admin.register(Unit)
class UnitAdmin(AuditedAdminMixin, GuardedDeleteMixin, TranslationAdmin):
    list_display = ("name", "type", "district", "street_address", "is_published")
    list_filter = ("type", "district", "is_published")
    search_fields = ("name_fi", "name_sv", "name_en", "street_address_fi")
    prepopulated_fields = {"slug": ("name_fi",)}
    inlines = [UnitPhotoInline, UnitExceptionInline]

    def deletion_refused(self, obj):
        if obj.spaces.exists():
            return _("This unit has spaces, so it cannot be deleted. Unpublish it instead.")
        return None


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    extra = 0


class SpacePhotoInline(TranslationStackedInline):
    model = SpacePhoto
    extra = 0


@admin.register(Space)
class SpaceAdmin(AuditedAdminMixin, GuardedDeleteMixin, TranslationAdmin):
    list_display = (
        "name",
        "unit",
        "capacity",
        "price_kind",
        "price",
        "confirmation",
        "authentication",
        "is_published",
    )
    list_filter = (
        "unit__district",
        "unit__type",
        "confirmation",
        "price_kind",
        "authentication",
        "is_published",
    )
    search_fields = ("name_fi", "name_sv", "name_en", "unit__name_fi")
    list_select_related = ("unit",)
    prepopulated_fields = {"slug": ("name_fi",)}
    filter_horizontal = ("purposes", "equipment")
    inlines = [OpeningHoursInline, SpacePhotoInline]

    def deletion_refused(self, obj):
        if obj.bookings.exists() or obj.series.exists():
            return _("This space has bookings, so it cannot be deleted. Unpublish it instead.")
        return None


@admin.register(Booking)
class BookingAdmin(ReadOnlyAdmin):
    list_display = ("space", "kind", "begins_at", "ends_at", "booker", "state", "price")
    list_filter = ("kind", "state", "space__unit__district")
    search_fields = ("booker__email", "space__name_fi", "association", "description")
    list_select_related = ("space", "booker")
    date_hierarchy = "begins_at"
    raw_id_fields = ("space", "booker", "series")


@admin.register(BookingSeries)
class BookingSeriesAdmin(ReadOnlyAdmin):
    list_display = ("space", "booker", "weekday", "begins", "ends", "first_date", "last_date")
    list_select_related = ("space", "booker")


@admin.register(CalendarFeed)
class CalendarFeedAdmin(ReadOnlyAdmin):
    list_display = ("user", "created_at")
    # The token is a secret of its owner; administrators do not need to see it.
    exclude = ("token",)
