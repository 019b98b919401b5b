from modeltranslation.translator import TranslationOptions, register

from .models import CoachProfile, Event, OfficeHoursException, Place, Topic


@register(Topic)
class TopicTranslation(TranslationOptions):
    fields = ("name",)
    required_languages = ("fi", "sv", "en")


@register(Place)
class PlaceTranslation(TranslationOptions):
    fields = ("name", "street_address", "accessibility_notes")
    required_languages = {"fi": ("name",), "sv": ("name",), "en": ("name",)}


@register(CoachProfile)
class CoachProfileTranslation(TranslationOptions):
    fields = ("introduction", "reach", "photo_alt")


@register(OfficeHoursException)
class OfficeHoursExceptionTranslation(TranslationOptions):
    fields = ("reason",)


@register(Event)
class EventTranslation(TranslationOptions):
    fields = ("title", "description", "accessibility_notes")
    required_languages = {"fi": ("title",), "sv": ("title",), "en": ("title",)}
