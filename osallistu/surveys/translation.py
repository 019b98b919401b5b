from modeltranslation.translator import TranslationOptions, register

from .models import (
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


@register(Survey)
class SurveyTranslation(TranslationOptions):
    fields = ("title", "description")
    required_languages = {"fi": ("title",), "sv": ("title",), "en": ("title",)}


@register(Page)
class PageTranslation(TranslationOptions):
    fields = ("title",)


@register(Question)
class QuestionTranslation(TranslationOptions):
    fields = ("text", "help_text")
    required_languages = {"fi": ("text",), "sv": ("text",), "en": ("text",)}


@register(Option)
class OptionTranslation(TranslationOptions):
    fields = ("text",)
    required_languages = ("fi", "sv", "en")


@register(Hearing)
class HearingTranslation(TranslationOptions):
    fields = ("title", "lead")
    required_languages = {"fi": ("title",), "sv": ("title",), "en": ("title",)}


@register(Section)
class SectionTranslation(TranslationOptions):
    fields = ("title", "content")
    required_languages = {"fi": ("title",), "sv": ("title",), "en": ("title",)}


@register(SectionImage)
class SectionImageTranslation(TranslationOptions):
    fields = ("alt_text", "caption")
    required_languages = {"fi": ("alt_text",), "sv": ("alt_text",), "en": ("alt_text",)}


@register(SectionAttachment)
class SectionAttachmentTranslation(TranslationOptions):
    fields = ("title",)
    required_languages = ("fi", "sv", "en")


@register(Poll)
class PollTranslation(TranslationOptions):
    fields = ("text",)
    required_languages = ("fi", "sv", "en")


@register(PollOption)
class PollOptionTranslation(TranslationOptions):
    fields = ("text",)
    required_languages = ("fi", "sv", "en")
