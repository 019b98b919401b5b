"""The city's divisions are one list: initiatives and feedback point at the same
``accounts.Division``, only those in use are offered, and the admin keeps a division
that anything refers to."""

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.utils import translation

from osallistu.accounts.models import Division
from osallistu.initiatives.forms import PrepareForm
from tests.factories import DivisionFactory, UserFactory
from tests.feedback.factories import ServiceCategoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_request():
    request = RequestFactory().get("/en/admin/")
    request.user = UserFactory(is_staff=True, is_superuser=True)
    request.user.is_verified = lambda: True
    return request


def test_names_in_three_languages_and_only_active_divisions_offered():
    urban = DivisionFactory()
    DivisionFactory(slug="old", name_fi="Vanha", name_sv="Gammal", name_en="Old", is_active=False)
    for language, name in (
        ("fi", "Kaupunkiympäristön toimiala"),
        ("sv", "Stadsmiljösektorn"),
        ("en", "Urban Environment Division"),
    ):
        with translation.override(language):
            assert str(Division.objects.get(pk=urban.pk)) == name
    assert list(Division.objects.active()) == [urban]
    assert list(PrepareForm().fields["division"].queryset) == [urban]


def test_admin_keeps_a_division_that_feedback_categories_use(superuser_request):
    division_admin = admin.site.get_model_admin(Division)
    used = DivisionFactory()
    ServiceCategoryFactory(division=used)
    unused = DivisionFactory(slug="unused", name_fi="Tyhjä", name_sv="Tom", name_en="Empty")
    with translation.override("en"):
        assert "service categories" in division_admin.deletion_refused(used)
    assert not division_admin.has_delete_permission(superuser_request, used)
    assert division_admin.deletion_refused(unused) is None
    assert division_admin.has_delete_permission(superuser_request, unused)
