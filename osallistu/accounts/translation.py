from modeltranslation.translator import TranslationOptions, register

from .models import Division


@register(Division)
class DivisionTranslation(TranslationOptions):
    fields = ("name",)
    required_languages = ("fi", "sv", "en")
