from modeltranslation.translator import TranslationOptions, register

from .models import Area, Neighbourhood, PostalCode


@register(Area)
class AreaTranslation(TranslationOptions):
    fields = ("name",)
    required_languages = ("fi", "sv", "en")


@register(PostalCode)
class PostalCodeTranslation(TranslationOptions):
    fields = ("name",)
    required_languages = ("fi", "sv")


@register(Neighbourhood)
class NeighbourhoodTranslation(TranslationOptions):
    fields = ("name",)
    required_languages = ("fi", "sv", "en")
