from modeltranslation.translator import TranslationOptions, register

from .models import Equipment, OpeningException, Purpose, Space, SpacePhoto, Unit, UnitPhoto


@register(Purpose)
class PurposeTranslation(TranslationOptions):
    fields = ("name",)
    required_languages = ("fi", "sv", "en")


@register(Equipment)
class EquipmentTranslation(TranslationOptions):
    fields = ("name",)
    required_languages = ("fi", "sv", "en")


@register(Unit)
class UnitTranslation(TranslationOptions):
    fields = ("name", "description", "street_address", "terms", "accessibility_notes")
    required_languages = {"fi": ("name", "street_address"), "sv": ("name",), "en": ("name",)}


@register(Space)
class SpaceTranslation(TranslationOptions):
    fields = ("name", "description", "terms", "accessibility_notes")
    required_languages = {"fi": ("name",), "sv": ("name",), "en": ("name",)}


@register(UnitPhoto)
class UnitPhotoTranslation(TranslationOptions):
    fields = ("alt_text",)
    required_languages = {"fi": ("alt_text",)}


@register(SpacePhoto)
class SpacePhotoTranslation(TranslationOptions):
    fields = ("alt_text",)
    required_languages = {"fi": ("alt_text",)}


@register(OpeningException)
class OpeningExceptionTranslation(TranslationOptions):
    fields = ("reason",)
