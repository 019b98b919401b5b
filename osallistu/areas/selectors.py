from .models import Area, PostalCode


def district_for_postal_code(code):
    """The major district of a postal code, or None when the code is not the city's."""
    postal_code = PostalCode.objects.select_related("district").filter(code=code).first()
    return postal_code.district if postal_code else None


def districts():
    return Area.objects.districts()


def city():
    return Area.objects.city()
