"""The showcase as people use it: the public gallery and profiles, photos, the home page's
live boards, and the standing office's editing."""

from __future__ import annotations

import io
import re
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from emulation.accounts.models import Role
from emulation.commendation.models import Award, NominationSubject
from emulation.core.extensions import db
from emulation.progress.models import ProgressReport, ProgressValue, ReportStatus
from emulation.registrations.models import Registration, RegistrationTarget
from emulation.scoring import sheets
from emulation.showcase import service as showcase
from emulation.showcase.models import ShowcasePhoto, ShowcaseProfile
from tests.factories import add_criterion, make_campaign, make_unit, make_user
from tests.test_showcase import image_bytes, make_profile
from tests.test_standings import score, setting


@pytest.fixture(autouse=True)
def showcase_dir(app, tmp_path):
    folder = tmp_path / "showcase"
    app.config["SHOWCASE_DIR"] = str(folder)
    return folder


@pytest.fixture
def admin(app):
    return make_user("thuongtruc", Role.ADMIN)


def text(response) -> str:
    return response.get_data(as_text=True)


def dan_van_model(**fields):
    owner = make_unit("Xã Bình Lư")
    profile = make_profile(
        unit=owner,
        headline="Nhân dân hiến 12.000 m² đất làm đường liên thôn",
        award_text="Bằng khen của Chủ tịch UBND tỉnh năm 2025",
        results=[
            ("Diện tích đất nhân dân hiến", Decimal("12000"), "m²"),
            ("Tỷ lệ hộ đồng thuận", Decimal("98.5"), "%"),
        ],
        **fields,
    )
    showcase.add_replication(profile, make_unit("Xã Tả Lèng"), date(2025, 3, 1), "Ở 5 thôn")
    showcase.add_replication(profile, make_unit("Xã Phong Thổ"), date(2024, 11, 20))
    db.session.commit()
    return profile


# --- the public gallery -----------------------------------------------------------------------


def test_anyone_sees_the_gallery_of_published_examples(client):
    model = dan_van_model()
    make_profile(
        kind="person",
        title="",
        person_name="Vàng Thị Mai",
        person_title="Giáo viên Trường PTDTBT Tiểu học Tà Tổng",
        field="van_hoa_xa_hoi",
        year=2024,
    )
    make_profile(title="Mô hình còn đang soạn", published=False)
    page = text(client.get("/showcase/"))
    assert "Điển hình tiên tiến" in page and "2 điển hình" in page
    assert model.name in page and "Nhân dân hiến 12.000 m² đất làm đường liên thôn" in page
    assert "Vàng Thị Mai" in page and "Cá nhân" in page and "Văn hóa – xã hội" in page
    assert "Mô hình còn đang soạn" not in page
    assert 'hx-get="/showcase/"' in page and 'hx-push-url="true"' in page
    assert 'href="/showcase/"' in page  # the nav link, for everyone


def test_filters_work_as_plain_links_and_htmx_gets_only_the_results(client):
    dan_van_model()
    make_profile(
        kind="unit",
        title="",
        unit=make_unit("Văn phòng UBND tỉnh"),
        field="chuyen_doi_so",
        year=2023,
        story="Số hóa hồ sơ.",
    )
    page = text(client.get("/showcase/?q=dan+van+kheo&year=2025"))
    assert "1 điển hình" in page and "Văn phòng UBND tỉnh" not in page
    assert 'value="dan van kheo"' in page and '<option value="2025" selected>' in page
    fragment = client.get("/showcase/?field=chuyen_doi_so", headers={"HX-Request": "true"})
    body = text(fragment)
    assert "HX-Request" in fragment.headers["Vary"]
    assert "<html" not in body and body.lstrip().startswith('<section id="showcase-results"')
    assert "Văn phòng UBND tỉnh" in body and "Dân vận khéo" not in body
    assert "Bỏ lọc" in body
    nothing = text(client.get("/showcase/?kind=person", headers={"HX-Request": "true"}))
    assert "Không có điển hình nào khớp với điều kiện tìm kiếm." in nothing


def test_pages_of_24_keep_the_filters_in_their_links(client):
    for n in range(25):
        make_profile(title=f"Mô hình dân vận {n}")
    page = text(client.get("/showcase/?q=dan+van"))
    assert "25 điển hình" in page and "Trang 1 / 2" in page
    link = re.search(r'<a href="([^"]+)" rel="next"', page).group(1).replace("&amp;", "&")
    assert link == "/showcase/?q=dan+van&page=2"
    second = text(client.get(link))
    assert "Trang 2 / 2" in second and "Mô hình dân vận 0" in second
    assert second.count('class="sc-card"') == 1


# --- the profile page -------------------------------------------------------------------------


def test_a_profile_tells_its_story_with_figures_award_and_replications(client):
    campaign = make_campaign(name="Phong trào Dân vận khéo 2025", slug="dan-van-kheo-2025")
    profile = dan_van_model(campaign=campaign)
    page = text(client.get(f"/showcase/{profile.slug}"))
    assert "<p>Đảng ủy xã chỉ đạo cán bộ bám thôn, bám bản.</p>" in page
    assert "<p>Nhân dân tự nguyện hiến đất làm đường.</p>" in page
    assert "<strong>12.000</strong> m²" in page and "<strong>98,5</strong> %" in page
    assert "Bằng khen của Chủ tịch UBND tỉnh năm 2025" in page
    assert "Nhân rộng: 2 đơn vị đã áp dụng mô hình" in page
    assert page.index("Xã Phong Thổ") < page.index("Xã Tả Lèng")
    assert "áp dụng từ 20/11/2024" in page and "áp dụng từ 01/03/2025. Ở 5 thôn" in page
    assert 'href="/campaigns/dan-van-kheo-2025"' in page
    assert 'href="/campaigns/dan-van-kheo-2025/standings"' in page


def test_a_draft_profile_is_only_for_the_standing_office(client, admin):
    profile = make_profile(title="Mô hình chưa công bố", published=False)
    assert client.get(f"/showcase/{profile.slug}").status_code == 404
    make_user("canbo")
    client.login("canbo")
    assert client.get(f"/showcase/{profile.slug}").status_code == 404
    client.post("/logout", data={"csrf_token": client.csrf_token()})
    client.login("thuongtruc")
    page = text(client.get(f"/showcase/{profile.slug}"))
    assert "Hồ sơ chưa công bố: chỉ Thường trực Hội đồng xem được trang này." in page


def test_a_unit_profile_embeds_its_official_result_and_chart(client, admin):
    campaign, units, leaf = setting()
    for unit, points in zip(units, ("95", "92", "84", "70"), strict=True):
        score(campaign, unit, leaf, points)
    sheets.publish_approved(campaign, admin)
    db.session.commit()
    profile = make_profile(kind="unit", title="", unit=units[1], campaign=campaign)
    page = text(client.get(f"/showcase/{profile.slug}"))
    assert "Kết quả chính thức trong phong trào" in page
    assert "Xếp hạng 2 trong Cụm thi đua các xã, phường số 1 với 92,00 điểm" in page
    chart = f"/campaigns/{campaign.slug}/standings/units/{units[1].id}/profile.svg"
    assert f'src="{chart}"' in page and 'alt="Phường Tân Phong: điểm từng nhóm tiêu chí"' in page
    image = client.get(chart)
    assert image.status_code == 200 and image.headers["Content-Type"] == "image/svg+xml"


# --- photos -----------------------------------------------------------------------------------


def _photo(profile, caption="Người dân hiến đất", size=(1200, 800)):
    photo = showcase.store_photo(profile, stream=io.BytesIO(image_bytes(size)), caption=caption)
    db.session.commit()
    return photo


def test_photos_are_served_only_while_the_profile_is_published(client, admin):
    profile = dan_van_model()
    photo = _photo(profile)
    page = text(client.get(f"/showcase/{profile.slug}"))
    assert f'src="/showcase/photos/{photo.id}"' in page and 'alt="Người dân hiến đất"' in page
    assert f"/showcase/photos/{photo.id}/thumb 400w, /showcase/photos/{photo.id} 1200w" in page
    assert "<figcaption>Người dân hiến đất</figcaption>" in page
    gallery = text(client.get("/showcase/"))
    assert f'src="/showcase/photos/{photo.id}/thumb"' in gallery
    large = client.get(f"/showcase/photos/{photo.id}")
    assert large.status_code == 200 and large.headers["Content-Type"] == "image/jpeg"
    assert large.headers["X-Content-Type-Options"] == "nosniff"
    assert client.get(f"/showcase/photos/{photo.id}/thumb").status_code == 200
    showcase.unpublish(profile)
    db.session.commit()
    assert client.get(f"/showcase/photos/{photo.id}").status_code == 404
    client.login("thuongtruc")
    assert client.get(f"/showcase/photos/{photo.id}/thumb").status_code == 200


def upload(client, profile, content: bytes, filename="anh.jpg", caption="", htmx=False):
    url = f"/showcase/{profile.slug}/photos"
    data = {"file": (io.BytesIO(content), filename), "caption": caption}
    if htmx:
        return client.htmx("POST", url, data, content_type="multipart/form-data")
    return client.submit(url, data, content_type="multipart/form-data")


def test_the_standing_office_uploads_checks_reorders_and_deletes_photos(
    client, admin, showcase_dir
):
    profile = make_profile(published=False)
    client.login("thuongtruc")
    response = upload(client, profile, image_bytes((2400, 1200)), caption="Lễ khánh thành đường")
    assert response.status_code == 302 and response.location.endswith("#photos")
    assert "Đã thêm ảnh." in text(client.get(response.location))
    refused = upload(client, profile, b"%PDF-1.7\n%%EOF\n", "bao-cao.pdf", htmx=True)
    assert refused.status_code == 200
    assert "Chỉ nhận ảnh JPEG, PNG hoặc WebP" in text(refused)
    panel = text(
        upload(client, profile, image_bytes((500, 500), "PNG"), "b.png", "Ảnh hai", htmx=True)
    )
    assert "<html" not in panel and "Ảnh (2)" in panel and "Đã thêm ảnh." in panel
    photos = db.session.scalars(db.select(ShowcasePhoto).order_by(ShowcasePhoto.id)).all()
    assert (photos[0].width, photos[0].height) == (1600, 800)
    assert len(list(showcase_dir.iterdir())) == 4  # two photos, each with its thumbnail

    panel = text(client.htmx("POST", f"/showcase/photos/{photos[1].id}/move", {"direction": "up"}))
    assert panel.index('value="Ảnh hai"') < panel.index('value="Lễ khánh thành đường"')
    panel = text(
        client.htmx("POST", f"/showcase/photos/{photos[1].id}/caption", {"caption": "Ảnh đẹp"})
    )
    assert "Đã lưu chú thích ảnh." in panel and 'value="Ảnh đẹp"' in panel
    panel = text(client.htmx("POST", f"/showcase/photos/{photos[0].id}/delete"))
    assert "Đã xóa ảnh." in panel and "Ảnh (1)" in panel
    assert len(list(showcase_dir.iterdir())) == 2


def test_only_the_standing_office_changes_the_showcase(client):
    profile = make_profile(published=False)
    photo = _photo(profile)
    posts = [
        "/showcase/new",
        f"/showcase/{profile.slug}/edit",
        f"/showcase/{profile.slug}/publish",
        f"/showcase/{profile.slug}/photos",
        f"/showcase/photos/{photo.id}/delete",
        f"/showcase/{profile.slug}/replications",
    ]
    for url in posts:
        assert client.submit(url, {}).status_code == 302  # to the login page
    make_user("hoidong", Role.COUNCIL_MEMBER)
    client.login("hoidong")
    assert client.get("/showcase/manage").status_code == 403
    for url in posts:
        assert client.submit(url, {}).status_code in (403, 404)
    assert client.post(f"/showcase/{profile.slug}/publish").status_code == 400  # no CSRF token
    db.session.refresh(profile)
    assert not profile.published and len(profile.photos) == 1


# --- editing ----------------------------------------------------------------------------------


def test_a_bad_form_keeps_what_was_typed_with_messages_by_field(client, admin):
    client.login("thuongtruc")
    form = text(client.get("/showcase/new"))
    assert "Thêm điển hình tiên tiến" in form and 'name="results-2-label"' in form
    page = text(
        client.submit(
            "/showcase/new",
            {
                "kind": "model",
                "unit_id": "0",
                "campaign_id": "0",
                "field": "dan_van",
                "title": "",
                "year": "20x5",
                "story": "Câu chuyện đã gõ dở",
                "results-0-label": "Số hộ tham gia",
                "results-0-value": "nhiều",
                "results-0-unit": "hộ",
                "results-1-value": "5",
            },
        )
    )
    assert "Hãy nhập năm gồm 4 chữ số, ví dụ 2025." in page and 'value="20x5"' in page
    assert "Không phải là số; ví dụ: 1.234,5" in page and 'value="nhiều"' in page
    assert "Hãy ghi kết quả này là gì." in page
    assert "Câu chuyện đã gõ dở" in page
    assert db.session.scalar(db.select(db.func.count()).select_from(ShowcaseProfile)) == 0
    page = text(
        client.submit(
            "/showcase/new",
            {
                "kind": "model",
                "unit_id": "0",
                "campaign_id": "0",
                "field": "dan_van",
                "year": "2025",
            },
        )
    )
    assert "Cần nhập tên mô hình." in page


def test_creating_editing_and_publishing_a_profile(client, admin):
    unit = make_unit("Xã Bình Lư")
    campaign = make_campaign(name="Phong trào 2025", start=date(2025, 1, 1), end=date(2025, 12, 31))
    client.login("thuongtruc")
    response = client.submit(
        "/showcase/new",
        {
            "kind": "model",
            "unit_id": str(unit.id),
            "campaign_id": str(campaign.id),
            "field": "dan_van",
            "title": "Dân vận khéo – hiến đất làm đường",
            "year": "",
            "headline": "12.000 m² đất được hiến",
            "story": "",
            "results-0-label": "Diện tích đất hiến",
            "results-0-value": "12.000",
            "results-0-unit": "m²",
        },
    )
    assert response.status_code == 302
    profile = db.session.scalar(db.select(ShowcaseProfile))
    assert profile.slug == "dan-van-kheo-hien-dat-lam-duong-2025" and profile.year == 2025
    assert showcase.figures(profile)[0].value == Decimal("12000")
    edit = text(client.get(response.location))
    assert 'value="12000"' in edit and "Chưa công bố" in edit
    assert "Đã tạo hồ sơ điển hình (chưa công bố)." in edit

    refused = client.submit(f"/showcase/{profile.slug}/publish", follow_redirects=True)
    assert "Cần viết câu chuyện điển hình trước khi công bố." in text(refused)
    client.submit(
        f"/showcase/{profile.slug}/edit",
        {
            "kind": "model",
            "unit_id": str(unit.id),
            "campaign_id": str(campaign.id),
            "field": "dan_van",
            "title": "Dân vận khéo – hiến đất làm đường",
            "year": "2025",
            "story": "Cán bộ xã đến từng nhà.",
            "slug": profile.slug,
            "results-0-label": "Diện tích đất hiến",
            "results-0-value": "12.500,5",
            "results-0-unit": "m²",
        },
    )
    published = text(client.submit(f"/showcase/{profile.slug}/publish", follow_redirects=True))
    assert "Đã công bố: mọi người xem được hồ sơ này." in published
    client.post("/logout", data={"csrf_token": client.csrf_token()})
    page = text(client.get(f"/showcase/{profile.slug}"))
    assert "Cán bộ xã đến từng nhà." in page and "<strong>12.500,5</strong> m²" in page
    client.login("thuongtruc")
    client.submit(f"/showcase/{profile.slug}/unpublish")
    client.post("/logout", data={"csrf_token": client.csrf_token()})
    assert client.get(f"/showcase/{profile.slug}").status_code == 404


def test_replications_are_added_and_removed_in_place(client, admin):
    profile = make_profile(unit=make_unit("Xã Bình Lư"))
    adopter = make_unit("Xã Tả Lèng")
    client.login("thuongtruc")
    url = f"/showcase/{profile.slug}/replications"
    panel = text(
        client.htmx("POST", url, {"adopting_unit_id": str(adopter.id), "adopted_on": "31/02/2025"})
    )
    assert (
        "Ngày không hợp lệ; hãy nhập theo dạng dd/mm/yyyy." in panel
        and 'value="31/02/2025"' in panel
    )
    panel = text(
        client.htmx(
            "POST",
            url,
            {"adopting_unit_id": str(adopter.id), "adopted_on": "01/03/2025", "note": "5 thôn"},
        )
    )
    assert "Đã thêm Xã Tả Lèng vào danh sách nhân rộng." in panel and "01/03/2025 · 5 thôn" in panel
    assert f'<option value="{adopter.id}"' not in panel  # no longer offered
    replication = profile.replications[0]
    panel = text(client.htmx("POST", f"/showcase/replications/{replication.id}/delete"))
    assert "Đã bỏ Xã Tả Lèng khỏi danh sách nhân rộng." in panel
    assert "Chưa có đơn vị nào áp dụng." in panel
    plain = client.submit(url, {"adopting_unit_id": "0", "adopted_on": "01/03/2025"})
    assert plain.status_code == 200 and "Hãy chọn đơn vị áp dụng." in text(plain)


# --- the home page ----------------------------------------------------------------------------


def test_the_home_page_shows_top_examples_and_live_boards(client, admin):
    campaign, units, leaf = setting()
    for unit, points in zip(units, ("95", "92", "84", "70"), strict=True):
        score(campaign, unit, leaf, points)
    sheets.publish_approved(campaign, admin)
    db.session.commit()
    for n in range(7):
        make_profile(title=f"Mô hình tiêu biểu {n}")
    page = text(client.get("/"))
    assert "Điển hình tiên tiến" in page and "Bảng xếp hạng trực tiếp" in page
    assert "Mô hình tiêu biểu 6" in page and "Mô hình tiêu biểu 0" not in page  # the latest six
    boards = page[page.index('id="home-boards"') :]
    assert (
        boards.index("Phường Đông Phong")
        < boards.index("Phường Tân Phong")
        < boards.index("Xã Bình Lư")
    )
    assert "Xã Sì Lở Lầu" not in boards  # fourth: only the top three
    assert 'hx-trigger="every 30s [!document.hidden]"' in page and 'hx-sync="this:drop"' in page
    assert "Bảng xếp hạng đầy đủ (4 đơn vị)" in page
    poll = re.search(r'hx-get="(/showcase/home-boards[^"]*)"', page).group(1).replace("&amp;", "&")
    unchanged = client.get(poll)
    assert unchanged.status_code == 204 and unchanged.data == b""
    score(campaign, make_unit("Phường Mới"), leaf, "99")
    sheets.publish_approved(campaign, admin)
    db.session.commit()
    changed = client.get(poll)
    assert changed.status_code == 200 and "Phường Mới" in text(changed)
    assert text(changed).lstrip().startswith('<div id="home-boards"')


def test_the_home_page_reads_little_from_the_database(client, admin, queries):
    dan_van_model()
    for n in range(6):
        _photo(make_profile(title=f"Mô hình {n}"), size=(100 + n, 100))
    client.get("/")  # warm the standings cache
    with queries() as statements:
        assert client.get("/").status_code == 200
    showcase_reads = [s for s in statements if "showcase_" in s]
    assert len(showcase_reads) <= 3  # profiles, then their photos in one go


def _decided_awards():
    """A decision of the province for a unit (with reported figures) and one of its people."""
    unit = make_unit("Xã Bản Bo")
    campaign = make_campaign("Thi đua xây dựng nông thôn mới", slug="nong-thon-moi", units=[unit])
    group = add_criterion(campaign, "1", "Kết quả thực hiện", 60)
    roads = add_criterion(
        campaign,
        "1.1",
        "Đường giao thông nông thôn được cứng hóa",
        30,
        parent=group,
        scoring_type="ratio",
        unit_of_measure="km",
    )
    registration = Registration(campaign=campaign, unit=unit, status="approved")
    target = RegistrationTarget(
        registration=registration, criterion=roads, target=Decimal("10"), unit_of_measure="km"
    )
    report = ProgressReport(
        registration=registration,
        period_label="Năm 2025",
        period_end=date(2025, 12, 31),
        status=ReportStatus.SUBMITTED,
    )
    report.values.append(ProgressValue(target=target, actual=Decimal("12.5")))
    db.session.add_all([registration, target, report])
    common = {
        "campaign": campaign,
        "unit": unit,
        "year": 2025,
        "decision_number": "3012/QĐ-UBND",
        "decision_date": date(2025, 12, 26),
    }
    collective = Award(
        award_code="BK_TINH",
        award_name="Bằng khen của Chủ tịch UBND tỉnh",
        subject=NominationSubject.UNIT,
        **common,
    )
    person = Award(
        award_code="CSTD_TINH",
        award_name="Chiến sĩ thi đua cấp tỉnh",
        subject=NominationSubject.PERSON,
        person_name="Lò Thị Mai",
        person_title="Chủ tịch UBND xã",
        **common,
    )
    db.session.add_all([collective, person])
    db.session.commit()
    return collective, person


def test_an_award_becomes_a_draft_profile_with_its_decision_and_figures(app, client, admin):
    collective, person = _decided_awards()
    client.login("thuongtruc")
    made = client.submit(f"/showcase/from-award/{collective.id}")
    assert made.status_code == 302
    form = client.get(made.location).get_data(as_text=True)
    assert "Bằng khen của Chủ tịch UBND tỉnh – Quyết định số 3012/QĐ-UBND ngày 26/12/2025" in form
    assert 'value="Đường giao thông nông thôn được cứng hóa"' in form
    assert 'value="12,5"' in form and 'value="km"' in form
    assert "chưa công bố" in form

    made = client.submit(f"/showcase/from-award/{person.id}")
    form = client.get(made.location).get_data(as_text=True)
    assert 'value="Lò Thị Mai"' in form and 'value="Chủ tịch UBND xã"' in form
    assert "Chiến sĩ thi đua cấp tỉnh – Quyết định số 3012/QĐ-UBND" in form
    # Nothing is public until the office writes the story and publishes it.
    client.submit("/logout")
    assert "Lò Thị Mai" not in client.get("/showcase/").get_data(as_text=True)


def test_only_the_standing_office_makes_profiles_from_awards(app, client, admin):
    collective, _person = _decided_awards()
    make_user("canbo_banbo", Role.UNIT_OFFICER, unit=collective.unit)
    client.login("canbo_banbo")
    assert client.submit(f"/showcase/from-award/{collective.id}").status_code == 403
    assert db.session.scalar(select(func.count(ShowcaseProfile.id))) == 0
