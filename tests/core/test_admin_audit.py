import pytest

from osallistu.areas.models import Area
from osallistu.core.models import AuditEntry
from tests.factories import UserFactory, sign_in_past_second_factor

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    sign_in_past_second_factor(client, admin)
    client.admin = admin
    return client


def _area_form(area, **changes):
    data = {
        "kind": area.kind,
        "slug": area.slug,
        "number": area.number,
        "name_fi": area.name_fi,
        "name_sv": area.name_sv,
        "name_en": area.name_en,
        "_save": "Save",
    }
    data.update(changes)
    return data


def test_a_change_in_the_admin_is_audited_with_the_changed_fields(admin_client, helsinki):
    area = helsinki["northern"]
    response = admin_client.post(
        f"/fi/admin/areas/area/{area.pk}/change/", _area_form(area, name_en="North")
    )
    assert response.status_code == 302
    assert Area.objects.get(pk=area.pk).name_en == "North"
    entry = AuditEntry.objects.get(action="admin.changed")
    assert entry.actor == admin_client.admin
    assert entry.target_id == str(area.pk)
    assert entry.data == {"fields": ["name_en"]}


def test_a_refused_admin_change_writes_nothing(admin_client, helsinki):
    area = helsinki["northern"]
    response = admin_client.post(
        f"/fi/admin/areas/area/{area.pk}/change/", _area_form(area, number="many")
    )
    assert response.status_code == 200
    assert not AuditEntry.objects.filter(action__startswith="admin.").exists()
