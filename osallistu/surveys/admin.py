"""Building surveys in the admin: a survey with its pages, then each question with
its options and display conditions; a hearing with its sections, each section with
its images, attachments and polls, and each poll with its options. Responses and poll
votes are not editable here, and comments are moderated on the staff pages, where it
is logged."""

from django.contrib import admin
from modeltranslation.admin import (
    TranslationAdmin,
    TranslationStackedInline,
    TranslationTabularInline,
)

from osallistu.core.admin import AuditedAdminMixin

from .models import (
    Condition,
    Hearing,
    Option,
    Page,
    Poll,
    PollOption,
    Question,
    Section,
    SectionAttachment,
    SectionImage,
    Survey,
)


class PageInline(TranslationTabularInline):
    model = Page
    extra = 0


@admin.register(Survey)
class SurveyAdmin(AuditedAdminMixin, TranslationAdmin):
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
    prepopulated_fields = {"slug": ("title_fi",)}
    filter_horizontal = ("districts",)
    inlines = [PageInline]


class OptionInline(TranslationTabularInline):
    model = Option
    extra = 0


class ConditionInline(admin.TabularInline):
    model = Condition
    fk_name = "question"
    extra = 0

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        # Offer only the questions on earlier pages of the same survey, and their options.
        earlier = Question.objects.none()
        if obj is not None:
            earlier = Question.objects.filter(
                page__survey=obj.page.survey, page__position__lt=obj.page.position
            )
        fields = formset.form.base_fields
        fields["depends_on"].queryset = earlier
        fields["option"].queryset = Option.objects.filter(question__in=earlier)
        return formset


@admin.register(Question)
class QuestionAdmin(AuditedAdminMixin, TranslationAdmin):
    list_display = ("text", "kind", "page", "position", "required")
    list_filter = ("kind", "page__survey")
    list_select_related = ("page", "page__survey")
    search_fields = ("text_fi", "text_sv", "text_en")
    inlines = [OptionInline, ConditionInline]


class SectionInline(TranslationStackedInline):
    model = Section
    extra = 0
    show_change_link = True  # images, attachments and polls are on the section's page


@admin.register(Hearing)
class HearingAdmin(AuditedAdminMixin, TranslationAdmin):
    list_display = ("title", "slug", "opens_at", "closes_at", "commenting", "map_comments")
    list_filter = ("commenting",)
    search_fields = ("title_fi", "title_sv", "title_en", "slug")
    prepopulated_fields = {"slug": ("title_fi",)}
    inlines = [SectionInline]


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


@admin.register(Section)
class SectionAdmin(AuditedAdminMixin, TranslationAdmin):
    list_display = ("title", "hearing", "position", "kind")
    list_filter = ("hearing",)
    list_select_related = ("hearing",)
    search_fields = ("title_fi", "title_sv", "title_en")
    inlines = [SectionImageInline, SectionAttachmentInline, PollInline]


class PollOptionInline(TranslationTabularInline):
    model = PollOption
    extra = 0


@admin.register(Poll)
class PollAdmin(AuditedAdminMixin, TranslationAdmin):
    list_display = ("text", "section", "kind", "voting", "results_shown")
    list_filter = ("kind", "voting", "section__hearing")
    list_select_related = ("section",)
    search_fields = ("text_fi", "text_sv", "text_en")
    inlines = [PollOptionInline]
