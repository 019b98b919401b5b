"""The open data page and the API documentation page, and where people find them."""

import pytest

from osallistu.opendata import export, resources

pytestmark = pytest.mark.django_db


def test_open_data_page_explains_every_dataset(client, world, settings, tmp_path):
    settings.OPEN_DATA_ROOT = tmp_path
    before = client.get("/en/open-data/").content.decode()
    assert "have not been made yet" in before
    export.export_all()
    response = client.get("/en/open-data/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "CC BY 4.0" in page
    assert "creativecommons.org/licenses/by/4.0/" in page
    for resource in resources.resources():
        assert f'id="{resource.basename}"' in page
        assert f"/open-data/files/{resource.basename}.zip" in page
    assert "/open-data/files/budgeting-pabulib.zip" in page
    assert "<code>name_sv</code>" in page
    assert "Changes daily" in page


def test_downloads_are_served_as_files(client, world, settings, tmp_path):
    settings.OPEN_DATA_ROOT = tmp_path
    export.export_all()
    response = client.get("/open-data/files/areas.zip")
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:2] == b"PK"
    assert "attachment" in response["Content-Disposition"]
    again = client.get(
        "/open-data/files/areas.zip", headers={"if-modified-since": response["Last-Modified"]}
    )
    assert again.status_code == 304
    (tmp_path / "secret.txt").write_text("not a download")
    for name in ("secret.txt", "..%2Fsettings.py", "manifest.json"):
        assert client.get(f"/open-data/files/{name}").status_code == 404


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_open_data_is_found_from_the_front_page(client, helsinki, language):
    page = client.get(f"/{language}/").content.decode()
    assert f'href="/{language}/open-data/"' in page
    footer = client.get(f"/{language}/surveys/").content.decode().split('class="site-footer"')[1]
    assert f'href="/{language}/open-data/"' in footer
