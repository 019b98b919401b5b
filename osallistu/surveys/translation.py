from modeltranslation.translator import TranslationOptions, register

from .models import Option, Page, Question, Survey


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
