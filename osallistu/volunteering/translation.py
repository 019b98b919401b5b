from modeltranslation.translator import TranslationOptions, register

from .models import Language, Opportunity, Theme


@register(Theme)
class ThemeTranslation(TranslationOptions):
    fields = ("name",)
    required_languages = ("fi", "sv", "en")


@register(Language)
class LanguageTranslation(TranslationOptions):
    fields = ("name",)
    required_languages = ("fi", "sv", "en")


@register(Opportunity)
class OpportunityTranslation(TranslationOptions):
    # An organiser writes in the languages it can; people read the first one written
    # (MODELTRANSLATION_FALLBACK_LANGUAGES).
    fields = ("title", "description", "tasks", "benefits", "accessibility_notes")
