from modeltranslation.translator import TranslationOptions, register

from .models import ServiceAttribute, ServiceAttributeValue, ServiceCategory


@register(ServiceCategory)
class ServiceCategoryTranslation(TranslationOptions):
    fields = ("name", "description", "group", "keywords")
    required_languages = {"fi": ("name",), "sv": ("name",), "en": ("name",)}


@register(ServiceAttribute)
class ServiceAttributeTranslation(TranslationOptions):
    fields = ("description", "datatype_description")
    required_languages = {"fi": ("description",), "sv": ("description",), "en": ("description",)}


@register(ServiceAttributeValue)
class ServiceAttributeValueTranslation(TranslationOptions):
    fields = ("name",)
    required_languages = ("fi", "sv", "en")
