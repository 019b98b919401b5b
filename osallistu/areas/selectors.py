from .models import PostalCode


def district_for_postal_code(code):
    """The major district of a postal code, or None when the code is not the city's.

    Lists of areas come from the QuerySet: ``Area.objects.districts()`` and ``.city()``.
    """
    postal_code = PostalCode.objects.select_related("district").filter(code=code).first()
    return postal_code.district if postal_code else None
