"""People in the admin: city administrators open accounts for staff, give and take away
roles and close accounts, each through the services. A lost second factor is reset on
the staff page *Staff accounts*.

What a person tells about themselves (address, name, postal code) and what
identification established (birth date, residence) is shown, never edited here: an
address changed by someone else would hand the account, and its vote, to them. No
password is set here either, and no account is deleted (its ballots and bookings
would go with it).
"""

from django import forms
from django.contrib import admin
from django.contrib.auth import password_validation
from django.db.models import Count, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from osallistu.core.admin import AuditedAdminMixin, GuardedDeleteMixin, ServiceAdminMixin

from . import services
from .models import Division, StaffRole, User, normalise_email

PERSONAL_FIELDS = (
    "email",
    "full_name",
    "preferred_language",
    "postal_code",
    "district",
    "birth_date",
    "municipality_code",
    "verification_method",
    "verified_at",
)


class AccountCreationForm(forms.ModelForm):
    """A new account, typically for a member of staff, who gets roles next."""

    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    class Meta:
        model = User
        fields = ["email"]

    def clean_email(self):
        email = normalise_email(self.cleaned_data["email"])
        if User.objects.filter(email=email).exists():
            raise forms.ValidationError(
                _("This e-mail address already has an account."), code="duplicate_email"
            )
        return email

    def clean(self):
        cleaned_data = super().clean()
        first, second = cleaned_data.get("password1"), cleaned_data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first:
            try:
                password_validation.validate_password(first, User(email=cleaned_data.get("email")))
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned_data


class StaffRoleInline(admin.TabularInline):
    """Roles are given and taken away (through the services); a role is not edited into
    another, so that the audit log says plainly who got and who lost what."""

    model = StaffRole
    extra = 0
    fields = ["role", "area", "granted_at"]
    readonly_fields = ["granted_at"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(ServiceAdminMixin, admin.ModelAdmin):
    service_errors = (services.AccountError,)
    ordering = ["email"]
    list_display = ["email", "full_name", "district", "verification_method", "is_staff"]
    list_filter = ["is_staff", "is_active", "verification_method", "district"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (_("Person"), {"fields": PERSONAL_FIELDS}),
        (
            _("Access"),
            {
                "fields": [
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "authenticator_apps",
                    "last_login",
                    "date_joined",
                ]
            },
        ),
    ]
    readonly_fields = [
        *PERSONAL_FIELDS,
        "is_staff",
        "is_superuser",
        "authenticator_apps",
        "last_login",
        "date_joined",
    ]
    add_fieldsets = [(None, {"fields": ["email", "password1", "password2"]})]
    inlines = [StaffRoleInline]

    def get_fieldsets(self, request, obj=None):
        return self.add_fieldsets if obj is None else self.fieldsets

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self.readonly_fields

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = AccountCreationForm
        return super().get_form(request, obj, **kwargs)

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(confirmed_apps=Count("totpdevice", filter=Q(totpdevice__confirmed=True)))
        )

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("authenticator apps"))
    def authenticator_apps(self, obj):
        return obj.confirmed_apps

    def save_model(self, request, obj, form, change):
        if change:
            services.set_account_active(actor=request.user, user=obj, active=obj.is_active)
            return
        created = services.create_account(
            created_by=request.user,
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password1"],
        )
        # The admin goes on with the object it built: make it the account just made.
        obj.pk, obj.password = created.pk, created.password
        obj._state.adding = False

    def save_formset(self, request, form, formset, change):
        roles = formset.save(commit=False)
        for staff_role in formset.deleted_objects:
            services.revoke_role(revoked_by=request.user, staff_role=staff_role)
        for staff_role in roles:
            services.grant_role(
                granted_by=request.user,
                user=form.instance,
                role=staff_role.role,
                area=staff_role.area,
            )


@admin.register(Division)
class DivisionAdmin(AuditedAdminMixin, GuardedDeleteMixin, TranslationAdmin):
    """The city's divisions, one list for initiatives, feedback and monitoring."""

    list_display = ("name", "slug", "position", "is_active")
    list_filter = ("is_active",)
    prepopulated_fields = {"slug": ("name_en",)}

    def deletion_refused(self, division):
        # Whatever refers to the division (initiatives it prepared, feedback categories,
        # their handlers…) keeps it: accounts does not know those apps by name.
        for relation in Division._meta.related_objects:
            if relation.related_model.objects.filter(**{relation.field.name: division}).exists():
                return gettext(
                    "The division has %(things)s, so it stays with their history. Mark it "
                    "as not in use instead."
                ) % {"things": relation.related_model._meta.verbose_name_plural}
        return None
