from modeltranslation.translator import TranslationOptions, register

from .models import Plan, PlanUpdate, Round


@register(Round)
class RoundTranslation(TranslationOptions):
    fields = ("name", "description")
    required_languages = {"fi": ("name",), "sv": ("name",), "en": ("name",)}


@register(Plan)
class PlanTranslation(TranslationOptions):
    fields = ("title", "description", "feasibility")
    required_languages = {"fi": ("title",), "sv": ("title",), "en": ("title",)}


@register(PlanUpdate)
class PlanUpdateTranslation(TranslationOptions):
    fields = ("note",)
    required_languages = {"fi": ("note",)}
