"""The showcase domain: profiles, figures, search, photos, replications and the home boards."""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from PIL import Image

from emulation.accounts.models import Role, User
from emulation.core.clock import local_today
from emulation.core.errors import DomainError
from emulation.core.extensions import db
from emulation.scoring import sheets
from emulation.showcase import service as showcase
from emulation.showcase.models import ProfileKind, ShowcaseProfile
from emulation.showcase.service import Filters
from tests.factories import make_campaign, make_unit, make_user
from tests.test_standings import score, setting

STORY = "Đảng ủy xã chỉ đạo cán bộ bám thôn, bám bản.\n\nNhân dân tự nguyện hiến đất làm đường."


@pytest.fixture(autouse=True)
def showcase_dir(app, tmp_path):
    folder = tmp_path / "showcase"
    app.config["SHOWCASE_DIR"] = str(folder)
    return folder


def make_profile(
    *,
    kind: str = ProfileKind.MODEL,
    title: str = "Dân vận khéo trong vận động hiến đất làm đường",
    unit=None,
    person_name: str = "",
    field: str = "dan_van",
    year: int = 2025,
    campaign=None,
    story: str = STORY,
    published: bool = True,
    results=(),
    **fields,
) -> ShowcaseProfile:
    profile = showcase.save_profile(
        ShowcaseProfile(),
        kind=kind,
        title=title,
        unit=unit,
        person_name=person_name,
        field=field,
        year=year,
        campaign=campaign,
        story=story,
        results=results,
        **fields,
    )
    if published:
        showcase.publish(profile)
    db.session.commit()
    return profile


def image_bytes(
    size=(2000, 1000), fmt="JPEG", mode="RGB", exif: Image.Exif | None = None, **options
) -> bytes:
    """Left half red, right half blue, so turning it upright can be seen."""
    image = Image.new(mode, size, (200, 0, 0, 255) if "A" in mode else (200, 0, 0))
    right = Image.new(
        mode, (size[0] // 2, size[1]), (0, 0, 200, 128) if "A" in mode else (0, 0, 200)
    )
    image.paste(right, (size[0] // 2, 0))
    buffer = io.BytesIO()
    if exif is not None:
        options["exif"] = exif
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


# --- profiles ---------------------------------------------------------------------------------


def test_each_kind_needs_who_or_what_it_honours():
    with pytest.raises(DomainError) as error:
        showcase.save_profile(ShowcaseProfile(), kind="unit", field="kinh_te", year=2025)
    assert (
        error.value.field == "unit_id" and error.value.message == "Hãy chọn đơn vị được tôn vinh."
    )
    with pytest.raises(DomainError) as error:
        showcase.save_profile(ShowcaseProfile(), kind="person", field="kinh_te", year=2025)
    assert error.value.field == "person_name"
    with pytest.raises(DomainError) as error:
        showcase.save_profile(ShowcaseProfile(), kind="model", field="kinh_te", year=2025)
    assert error.value.message == "Cần nhập tên mô hình."
    with pytest.raises(DomainError) as error:
        showcase.save_profile(ShowcaseProfile(), kind="model", title="X", field="?", year=2025)
    assert error.value.field == "field"


def test_the_name_slug_and_year_come_from_what_was_typed():
    unit = make_unit("Xã Bình Lư")
    campaign = make_campaign(start=date(2024, 3, 1), end=date(2024, 12, 31))
    profile = make_profile(kind="unit", title="", unit=unit, campaign=campaign, year=None)
    assert profile.name == "Xã Bình Lư" and profile.year == 2024
    assert profile.slug == "xa-binh-lu-2024"
    again = make_profile(kind="unit", title="", unit=unit, campaign=campaign, year=None)
    assert again.slug == "xa-binh-lu-2024-2"
    person = make_profile(
        kind="person", title="", person_name="Vàng Thị Mai", person_title="Giáo viên"
    )
    assert person.name == "Vàng Thị Mai" and person.slug == "vang-thi-mai-2025"
    with pytest.raises(DomainError) as error:
        showcase.save_profile(
            person, kind="person", person_name="A", field="khac", year=2025, slug="xa-binh-lu-2024"
        )
    assert error.value.field == "slug"


def test_figures_keep_their_numbers_and_drop_blank_rows():
    profile = make_profile(
        results=[
            ("Diện tích đất nhân dân hiến", Decimal("12000"), "m²"),
            ("", None, ""),
            ("Tỷ lệ hộ đồng thuận", Decimal("98.5"), "%"),
        ]
    )
    found = showcase.figures(profile)
    assert [(f.label, f.value, f.unit, f.digits) for f in found] == [
        ("Diện tích đất nhân dân hiến", Decimal("12000"), "m²", 0),
        ("Tỷ lệ hộ đồng thuận", Decimal("98.5"), "%", 1),
    ]
    with pytest.raises(DomainError) as error:
        showcase.save_profile(
            profile, kind="model", title="X", field="khac", year=2025, results=[("Số hộ", None, "")]
        )
    assert error.value.message == "Kết quả “Số hộ” chưa có số liệu."


def test_publishing_needs_a_story_and_a_published_profile_cannot_be_deleted():
    profile = make_profile(story="", published=False)
    with pytest.raises(DomainError) as error:
        showcase.publish(profile)
    assert error.value.field == "story"
    profile.story = STORY
    showcase.publish(profile)
    assert profile.published and profile.published_at is not None
    with pytest.raises(DomainError):
        showcase.delete_profile(profile)
    showcase.unpublish(profile)
    showcase.delete_profile(profile)
    db.session.commit()
    assert db.session.get(ShowcaseProfile, profile.id) is None


def test_the_story_splits_into_paragraphs_at_blank_lines():
    profile = make_profile(story="Đoạn một,\ndòng hai.\n\n\nĐoạn hai.")
    assert showcase.story_paragraphs(profile) == ["Đoạn một,\ndòng hai.", "Đoạn hai."]


# --- the gallery's search ---------------------------------------------------------------------


def test_search_ignores_accents_and_combines_filters():
    campaign = make_campaign(name="Thi đua đặc biệt", slug="thi-dua-dac-biet")
    model = make_profile(campaign=campaign)
    digital = make_profile(
        kind="unit",
        title="",
        unit=make_unit("Văn phòng UBND tỉnh"),
        field="chuyen_doi_so",
        year=2023,
        headline="Một cửa điện tử liên thông",
        story="Hồ sơ được giải quyết trực tuyến.",
    )
    make_profile(title="Mô hình chưa công bố về dân vận", published=False)

    def names(**args):
        return [p.name for p in showcase.search_profiles(Filters.from_args(args)).items]

    assert names(q="dan van KHEO") == [model.name]
    assert names(q="một cửa") == [digital.name] == names(q="mot cua")
    assert names(q="hien dat") == [model.name]  # words of the story count too
    assert names(field="chuyen_doi_so") == [digital.name]
    assert names(year="2023") == [digital.name]
    assert names(campaign="thi-dua-dac-biet") == [model.name]
    assert names(kind="unit", q="dan van") == []
    assert sorted(names()) == sorted([model.name, digital.name])  # never the draft
    assert names(year="abc", kind="nonsense", field="x") != []  # nonsense filters are ignored
    options = showcase.filter_options()
    assert options.campaigns == [("thi-dua-dac-biet", "Thi đua đặc biệt")]
    assert options.years == [2025, 2023]


def test_the_gallery_pages_by_24_newest_first():
    for n in range(26):
        make_profile(title=f"Mô hình số {n}")
    first = showcase.search_profiles(Filters(), 1)
    assert first.total == 26 and first.pages == 2 and len(first.items) == 24
    assert first.items[0].title == "Mô hình số 25"
    last = showcase.search_profiles(Filters(), 9)  # past the end: the last page
    assert last.number == 2 and [p.title for p in last.items] == ["Mô hình số 1", "Mô hình số 0"]
    assert Filters(q="a").args(page=2) == {"q": "a", "page": 2}
    assert Filters(q="a").args(page=1) == {"q": "a"}


# --- photos -----------------------------------------------------------------------------------


def test_a_photo_is_turned_upright_resized_and_stripped(showcase_dir):
    profile = make_profile()
    exif = Image.Exif()
    exif[0x0112] = 6  # stored on its side: turn 90° clockwise to show
    exif[0x013B] = "Nguyen Van A"  # Artist
    exif[0x010F] = "PhoneMaker"  # Make
    data = image_bytes((3200, 1600), exif=exif)
    photo = showcase.store_photo(profile, stream=io.BytesIO(data), caption="Người dân hiến đất")
    db.session.commit()
    assert (photo.width, photo.height) == (800, 1600)  # upright and 1600 px on the long side
    with Image.open(showcase.photo_path(photo)) as large:
        assert large.format == "JPEG" and large.size == (800, 1600)
        assert not large.getexif() and "icc_profile" not in large.info
        top, bottom = large.getpixel((400, 100)), large.getpixel((400, 1500))
        assert top[0] > 150 and bottom[2] > 150  # the left (red) side is now on top
    with Image.open(showcase.photo_path(photo, thumb=True)) as thumb:
        assert thumb.size == (200, 400)
    raw = Path(showcase.photo_path(photo)).read_bytes()
    assert b"PhoneMaker" not in raw and b"Nguyen Van A" not in raw
    assert sorted(p.name for p in showcase_dir.iterdir()) == sorted(
        [photo.stored_name, showcase.thumb_name(photo.stored_name)]
    )


def test_a_transparent_png_becomes_webp_and_small_photos_are_not_enlarged():
    profile = make_profile()
    photo = showcase.store_photo(profile, stream=io.BytesIO(image_bytes((600, 300), "PNG", "RGBA")))
    assert photo.stored_name.endswith(".webp") and (photo.width, photo.height) == (600, 300)
    assert photo.content_type == "image/webp"
    webp = showcase.store_photo(profile, stream=io.BytesIO(image_bytes((300, 300), "WEBP")))
    assert webp.stored_name.endswith(".jpg")


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n",
        b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64,  # a JPEG header and nothing else
        image_bytes((50, 50), "GIF"),  # a real image, but not a type we take
        b"MZ\x90\x00\x03" + b"\x00" * 100,
    ],
)
def test_only_real_jpeg_png_and_webp_images_are_accepted(data):
    profile = make_profile()
    with pytest.raises(DomainError) as error:
        showcase.store_photo(profile, stream=io.BytesIO(data))
    assert error.value.field == "file"
    assert error.value.message.startswith("Chỉ nhận ảnh JPEG, PNG hoặc WebP")
    assert profile.photos == []


def test_an_image_of_too_many_pixels_is_refused_before_decoding(monkeypatch):
    monkeypatch.setattr(showcase, "MAX_PIXELS", 100 * 100)
    with pytest.raises(DomainError) as error:
        showcase.prepare_image(image_bytes((101, 100), "PNG"))
    assert error.value.message == "Ảnh có kích thước điểm ảnh quá lớn; hãy chọn ảnh nhỏ hơn."


def test_photos_are_size_limited_and_not_added_twice(app, showcase_dir):
    profile = make_profile()
    app.config["SHOWCASE_MAX_MB"] = 0.01
    with pytest.raises(DomainError) as error:
        showcase.store_photo(profile, stream=io.BytesIO(b"\xff" * 20_000))
    assert error.value.message == "Ảnh lớn hơn 0.01 MB. Hãy chọn ảnh nhỏ hơn."
    app.config["SHOWCASE_MAX_MB"] = 10
    data = image_bytes((400, 300))
    showcase.store_photo(profile, stream=io.BytesIO(data))
    with pytest.raises(DomainError) as error:
        showcase.store_photo(profile, stream=io.BytesIO(data))
    assert error.value.message == "Ảnh này đã có trong hồ sơ."


def test_photos_reorder_and_their_files_go_with_them(showcase_dir):
    profile = make_profile()
    photos = [
        showcase.store_photo(
            profile, stream=io.BytesIO(image_bytes((100 + n, 100))), caption=f"Ảnh {n}"
        )
        for n in range(3)
    ]
    db.session.commit()
    showcase.move_photo(photos[2], -1)
    db.session.commit()
    db.session.refresh(profile)
    assert [p.caption for p in profile.photos] == ["Ảnh 0", "Ảnh 2", "Ảnh 1"]
    showcase.move_photo(profile.photos[1], -1)
    db.session.commit()
    db.session.refresh(profile)
    assert profile.cover.caption == "Ảnh 2"
    name = showcase.delete_photo(profile.photos[0])
    db.session.commit()
    showcase.remove_stored_files(name)
    db.session.refresh(profile)
    assert [p.caption for p in profile.photos] == ["Ảnh 0", "Ảnh 1"]
    assert [p.position for p in profile.photos] == [0, 1]
    assert len(list(showcase_dir.iterdir())) == 4
    showcase.remove_stored_files("../../etc/passwd")  # never outside the folder


# --- replications -----------------------------------------------------------------------------


def test_replications_record_who_took_the_model_up_and_when():
    owner = make_unit("Xã Bình Lư")
    profile = make_profile(unit=owner)
    ta_leng = make_unit("Xã Tả Lèng")
    showcase.add_replication(profile, ta_leng, date(2025, 3, 1), "Áp dụng ở 5 thôn")
    showcase.add_replication(profile, make_unit("Xã Phong Thổ"), date(2024, 11, 20))
    db.session.commit()
    assert [r.unit.name for r in profile.replications] == ["Xã Phong Thổ", "Xã Tả Lèng"]
    for unit, day, message in [
        (ta_leng, date(2025, 4, 1), "Xã Tả Lèng đã có trong danh sách nhân rộng."),
        (
            owner,
            date(2025, 4, 1),
            "Đây là đơn vị của chính điển hình, không phải đơn vị nhân rộng.",
        ),
        (make_unit(), local_today() + timedelta(days=1), "Ngày áp dụng không được sau hôm nay."),
        (None, date(2025, 4, 1), "Hãy chọn đơn vị áp dụng."),
    ]:
        with pytest.raises(DomainError) as error:
            showcase.add_replication(profile, unit, day)
        assert error.value.message == message
    showcase.remove_replication(profile.replications[0])
    db.session.commit()
    assert [r.unit.name for r in profile.replications] == ["Xã Tả Lèng"]


# --- official results and the home page -------------------------------------------------------


def test_a_unit_profile_shows_its_official_result_from_the_leaderboard():
    admin = make_user("thuongtruc", Role.ADMIN)
    campaign, units, leaf = setting()
    for unit, points in zip(units, ("95", "92", "84", "70"), strict=True):
        score(campaign, unit, leaf, points)
    sheets.publish_approved(campaign, admin)
    db.session.commit()
    profile = make_profile(kind="unit", title="", unit=units[1], campaign=campaign)
    result = showcase.official_result(profile)
    assert result.row.rank == 2 and result.row.total == Decimal("92")
    assert result.group.name == "Cụm thi đua các xã, phường số 1"
    model = make_profile(unit=units[1], campaign=campaign)
    assert showcase.official_result(model) is None  # a model is not ranked
    elsewhere = make_profile(kind="unit", title="", unit=make_unit(), campaign=campaign)
    assert showcase.official_result(elsewhere) is None  # not on the board


def test_the_home_section_has_the_latest_examples_and_top_three_per_cluster():
    admin = make_user("thuongtruc", Role.ADMIN)
    campaign, units, leaf = setting(names=("Xã A", "Xã B", "Xã C", "Xã D", "Xã E"))
    make_campaign(name="Phong trào dự thảo", status="draft")
    for unit, points in zip(units, ("60", "95", "70", "80", "90"), strict=True):
        score(campaign, unit, leaf, points)
    sheets.publish_approved(campaign, admin)
    db.session.commit()
    for n in range(8):
        make_profile(title=f"Mô hình {n}", published=n != 7)
    section = showcase.home_section()
    assert [p.title for p in section.profiles] == [f"Mô hình {n}" for n in range(6, 0, -1)]
    assert [b.campaign.id for b in section.boards] == [campaign.id]
    board = section.boards[0]
    assert board.units == 5
    assert [r.name for r in board.groups[0].rows] == ["Xã B", "Xã E", "Xã D"]
    token = showcase.home_token()
    assert token == section.token
    score(campaign, make_unit("Xã F"), leaf, "99")
    sheets.publish_approved(campaign, admin)
    db.session.commit()
    assert showcase.home_token() != token


def test_the_demo_adds_published_examples_once():
    from emulation.demo import loader as demo
    from emulation.demo import showcase as demo_showcase

    demo.load()  # loads the showcase examples too
    admin = db.session.scalar(db.select(User).where(User.username == "thuongtruc"))
    assert len(showcase.latest_profiles()) == 4
    assert all(p.published for p in showcase.latest_profiles())
    assert demo_showcase.load(admin) == []  # nothing twice
    latest = showcase.latest_profiles()
    assert latest[0].name.startswith("“Dân vận khéo”")
    assert [r.unit.name for r in latest[0].replications] == [
        "Xã Tả Lèng",
        "Xã Phong Thổ",
        "Xã Khổng Lào",
    ]
    office = showcase.profile_by_slug("chuyen-doi-so-van-phong-ubnd-tinh-2023")
    result = showcase.official_result(office)
    assert result is not None and result.row.name == "Văn phòng Ủy ban nhân dân tỉnh"
    found = showcase.search_profiles(Filters(q="chien si thi dua"))
    assert [p.name for p in found.items] == ["Vàng Thị Mai"]
