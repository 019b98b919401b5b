"""An uploaded picture in the browser: a phone photo sent sideways with its GPS
position and a second picture after it is shown upright, and the file the site serves
holds nothing but the picture; a decompression bomb is refused next to the field.
axe-core checks every page on the way."""

import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from osallistu.budgeting.models import Proposal
from tests import images
from tests.browser.helpers import follow, log_in, visit
from tests.browser.test_budgeting_proposals_map import write_the_idea
from tests.budgeting import factories

pytestmark = pytest.mark.browser


@pytest.fixture
def proposing_round(transactional_db, helsinki):
    return factories.proposing_round(helsinki.values(), slug="ideat", name_fi="OmaStadi 2027")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_a_sideways_phone_photo_is_shown_upright_without_its_metadata(
    page, resident, proposing_round, helsinki, media, tmp_path
):
    photo = tmp_path / "IMG_2031.jpg"
    sideways = images.left_half_red_jpeg(size=(60, 40), orientation=6, gps=True)
    photo.write_bytes(sideways + images.jpeg_with_a_second_jpeg_appended())
    log_in(page, resident.email, resident.plain_password)
    visit(page, f"/fi/budgeting/{proposing_round.slug}/proposals/new/")
    write_the_idea(page, helsinki)
    page.get_by_label("Kuva (vapaaehtoinen)").set_input_files(str(photo))
    page.get_by_label("Mitä kuvassa on?").fill("Ranta talvella")
    follow(page, lambda: page.get_by_role("button", name="Lähetä ehdotus").click())

    picture = page.get_by_role("img", name="Ranta talvella")
    expect(picture).to_be_visible()
    served = page.request.get(picture.get_attribute("src")).body()
    assert b"PhoneMaker" not in served and b"Exif" not in served
    assert served.count(b"\xff\xd8\xff") == 1 and served.endswith(b"\xff\xd9")
    shown = Image.open(io.BytesIO(served)).convert("RGB")
    assert shown.size == (40, 60)  # turned upright
    assert shown.getpixel((20, 5))[0] > 200  # the red half on top
    # The browser draws it as it is stored.
    assert picture.evaluate("image => [image.naturalWidth, image.naturalHeight]") == [40, 60]
    stored = Proposal.objects.get(author=resident).images.get().image
    assert (media / stored.name).read_bytes() == served


def test_a_decompression_bomb_is_refused_next_to_the_field(
    page, resident, proposing_round, helsinki, media, tmp_path
):
    bomb = tmp_path / "kuva.png"
    bomb.write_bytes(images.png_bomb())
    log_in(page, resident.email, resident.plain_password)
    visit(page, f"/fi/budgeting/{proposing_round.slug}/proposals/new/")
    write_the_idea(page, helsinki)
    page.get_by_label("Kuva (vapaaehtoinen)").set_input_files(str(bomb))
    page.get_by_label("Mitä kuvassa on?").fill("Kuva")
    follow(page, lambda: page.get_by_role("button", name="Lähetä ehdotus").click())
    expect(page.locator("main")).to_contain_text("Kuvassa on liikaa pikseleitä")
    assert not Proposal.objects.filter(author=resident).exists()
    assert not any(media.rglob("*.png"))
