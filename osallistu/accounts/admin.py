from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
from django.utils.translation import gettext_lazy as _

from osallistu.core.admin import AuditedAdminMixin

from .models import StaffRole, User


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ["email"]


class StaffRoleInline(admin.TabularInline):
    model = StaffRole
    extra = 0


@admin.register(User)
class UserAdmin(AuditedAdminMixin, BaseUserAdmin):
    add_form = UserCreationForm
    ordering = ["email"]
    list_display = ["email", "full_name", "district", "verification_method", "is_staff"]
    list_filter = ["is_staff", "is_active", "verification_method", "district"]
    search_fields = ["email", "full_name"]
    readonly_fields = ["verification_method", "verified_at", "birth_date", "municipality_code"]
    inlines = [StaffRoleInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Person"), {"fields": ["full_name", "preferred_language", "postal_code", "district"]}),
        (
            _("Identity"),
            {"fields": ["verification_method", "verified_at", "birth_date", "municipality_code"]},
        ),
        (_("Access"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]
