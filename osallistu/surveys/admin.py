"""Surveys are built in the survey builder, whose rules protect the answers (no deleting
an answered question, no changing its kind): here they are only shown. Hearings are
made here: a hearing with its sections, each section with its images, attachments and
polls, and each poll with its options. What residents wrote or voted stays: a hearing,
section or poll with comments or votes is not deleted, and a poll's kind is fixed once
anyone has voted. Responses and poll votes are not in the admin, and comments are
moderated on the staff pages, where it is logged."""

from django.contrib import admin
from django.utils.translation import gettext as _
from modeltranslation.admin import (
    TranslationAdmin,
    TranslationStackedInline,
    TranslationTabularInline,
)

from osallistu.core.admin import (
    AuditedAdminMixin,
    GuardedDeleteMixin,
    ReadOnlyAdmin,
    ReadOnlyInline,
)

from .models import (
    Condition,
    Hearing,
    Option,
    Page,
    Poll,
    PollOption,
    PollVote,
    Question,
    Section,
    SectionAttachment,
    SectionImage,
    Survey,
)


class PageInline(ReadOnlyInline, TranslationTabularInline):
    model = Page
    extra = 0


@admin.register(Survey)
class SurveyAdmin(ReadOnlyAdmin, TranslationAdmin):
    list_display = (
        "title",
        "slug",
        "published",
        "opens_at",
        "closes_at",
        "audience",
        "results_published",
    )
    list_filter = ("published", "audience", "results_published")
    search_fields = ("title_fi", "title_sv", "title_en", "slug")
    inlines = [PageInline]


class OptionInline(ReadOnlyInline, TranslationTabularInline):
    model = Option
    extra = 0


class ConditionInline(ReadOnlyInline, admin.TabularInline):
    model = Condition
    fk_name = "question"
    extra = 0


@admin.register(Question)
class QuestionAdmin(ReadOnlyAdmin, TranslationAdmin):
    list_display = ("text", "kind", "page", "position", "required")
    list_filter = ("kind", "page__survey")
    list_select_related = ("page", "page__survey")
    search_fields = ("text_fi", "text_sv", "text_en")
    inlines = [OptionInline, ConditionInline]


def _has_poll_votes(polls):
    return PollVote.objects.filter(poll__in=polls).exists()


class SectionInline(TranslationStackedInline):
    model = Section
    extra = 0
    show_change_link = True  # images, attachments and polls are on the section's page
    can_delete = False  # on the section's own page, where what it holds is checked


@admin.register(Hearing)
class HearingAdmin(AuditedAdminMixin, GuardedDeleteMixin, TranslationAdmin):
    list_display = ("title", "slug", "opens_at", "closes_at", "commenting", "map_comments")
    list_filter = ("commenting",)
    search_fields = ("title_fi", "title_sv", "title_en", "slug")
    prepopulated_fields = {"slug": ("title_fi",)}
    inlines = [SectionInline]

    def deletion_refused(self, obj):
        if obj.comments.exists() or _has_poll_votes(Poll.objects.filter(section__hearing=obj)):
            return _(
                "This hearing has comments or poll votes, so it cannot be deleted: residents' "
                "contributions stay. Close it instead."
            )
        return None


class SectionImageInline(TranslationStackedInline):
    model = SectionImage
    extra = 0


class SectionAttachmentInline(TranslationTabularInline):
    model = SectionAttachment
    extra = 0


class PollInline(TranslationTabularInline):
    model = Poll
    extra = 0
    show_change_link = True  # the options are on the poll's page
    can_delete = False  # on the poll's own page, where its votes are checked
    # The kind is set on the poll's own page, where it is fixed once anyone has voted.
    exclude = ("kind",)


@admin.register(Section)
class SectionAdmin(AuditedAdminMixin, GuardedDeleteMixin, TranslationAdmin):
    list_display = ("title", "hearing", "position", "kind")
    list_filter = ("hearing",)
    list_select_related = ("hearing",)
    search_fields = ("title_fi", "title_sv", "title_en")
    inlines = [SectionImageInline, SectionAttachmentInline, PollInline]

    def deletion_refused(self, obj):
        if obj.comments.exists() or _has_poll_votes(obj.polls.all()):
            return _(
                "This section has comments or poll votes, so it cannot be deleted: residents' "
                "contributions stay."
            )
        return None


class PollOptionInline(TranslationTabularInline):
    model = PollOption
    extra = 0

    def has_delete_permission(self, request, obj=None):
        # A chosen option taken away would change the results people were shown.
        if obj is not None and obj.votes.exists():
            return False
        return super().has_delete_permission(request, obj)


@admin.register(Poll)
class PollAdmin(AuditedAdminMixin, GuardedDeleteMixin, TranslationAdmin):
    list_display = ("text", "section", "kind", "voting", "results_shown")
    list_filter = ("kind", "voting", "section__hearing")
    list_select_related = ("section",)
    search_fields = ("text_fi", "text_sv", "text_en")
    inlines = [PollOptionInline]

    def get_readonly_fields(self, request, obj=None):
        # One choice or several: the votes already given were given under the kind shown.
        if obj is not None and obj.votes.exists():
            return ("kind",)
        return ()

    def deletion_refused(self, obj):
        if obj.votes.exists():
            return _("People have voted in this poll, so it cannot be deleted.")
        return None
