from django.conf import settings
from django.urls import translate_url
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language, get_language_info

from . import parts


def site(request):
    """The language switcher: this same page in each language, as plain links; the
    header's links to the parts of the model, read only by pages that show them; the
    parts linked from the footer."""
    current = get_language()
    path = request.get_full_path()
    languages = []
    for code, _name in settings.LANGUAGES:
        info = get_language_info(code)
        languages.append(
            {
                "code": code,
                "name_local": info["name_local"],
                "url": translate_url(path, code),
                "current": code == current,
            }
        )
    navigation = SimpleLazyObject(lambda: parts.navigation(request.path))
    return {
        "site_languages": languages,
        "site_navigation": navigation,
        "footer_parts": parts.footer_parts(),
    }
