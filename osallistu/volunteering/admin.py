"""Admin for the lists of themes and languages, which no service writes. Organisers,
opportunities, shifts, sign-ups and talkoot are handled on their own pages, through
the services that check the rules, write the audit log and send the e-mails."""

from django.contrib import admin
from django.utils.translation import gettext as _
from modeltranslation.admin import TranslationAdmin

from osallistu.core.admin import AdminPolicy, AuditedAdminMixin, GuardedDeleteMixin

from .models import Language, Theme


@admin.register(Theme)
class ThemeAdmin(AuditedAdminMixin, GuardedDeleteMixin, TranslationAdmin):
    admin_policy = AdminPolicy.ADMIN_EDITS

    def deletion_refused(self, obj):
        if obj.opportunities.exists():
            return _("Opportunities use this, so it is not deleted.")
        return None

    list_display = ("name", "slug", "position")
    prepopulated_fields = {"slug": ("name_en",)}


@admin.register(Language)
class LanguageAdmin(AuditedAdminMixin, GuardedDeleteMixin, TranslationAdmin):
    admin_policy = AdminPolicy.ADMIN_EDITS

    def deletion_refused(self, obj):
        if obj.opportunities.exists():
            return _("Opportunities use this, so it is not deleted.")
        return None

    list_display = ("name", "slug", "position")
    prepopulated_fields = {"slug": ("name_en",)}
