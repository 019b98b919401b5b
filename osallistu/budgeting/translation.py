from modeltranslation.translator import TranslationOptions, register

from .models import Plan, PlanImage, PlanUpdate, Round


@register(Round)
class RoundTranslation(TranslationOptions):
    fields = ("name", "description")
    required_languages = {"fi": ("name",), "sv": ("name",), "en": ("name",)}


@register(Plan)
class PlanTranslation(TranslationOptions):
    fields = ("title", "description", "feasibility", "place_name")
    required_languages = {"fi": ("title",), "sv": ("title",), "en": ("title",)}


@register(PlanUpdate)
class PlanUpdateTranslation(TranslationOptions):
    fields = ("note",)
    required_languages = {"fi": ("note",)}


@register(PlanImage)
class PlanImageTranslation(TranslationOptions):
    fields = ("alt_text",)
    required_languages = ("fi", "sv", "en")
