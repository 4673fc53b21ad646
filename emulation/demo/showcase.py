"""Demo showcase: typical examples (điển hình tiên tiến) in the wording of the provincial
documents — a commune's "Dân vận khéo" model (seed 004: "nhân rộng các mô hình “Dân vận
khéo”"), a department's digital transformation in the 2023 special campaign (seed 002), a
Chiến sĩ thi đua honoured under plan 222-KH/TU (seed 003: "bình xét, ghi danh các tập thể, cá
nhân, mô hình tiêu biểu"), and a value-chain tea model — published, with measured results
and the units that took them up. No photos, so nothing is written outside the database.

`load(admin)` is idempotent: a profile whose slug exists is left as it is.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from emulation.accounts.models import User
from emulation.campaigns.service import campaign_by_slug
from emulation.core.clock import local_today
from emulation.core.extensions import db
from emulation.showcase import service as showcase
from emulation.showcase.models import ProfileKind, ShowcaseProfile
from emulation.units.service import unit_by_code

PROFILES = [
    {
        "slug": "chuyen-doi-so-van-phong-ubnd-tinh-2023",
        "kind": ProfileKind.UNIT,
        "unit": "VPUBND",
        "title": "Tập thể dẫn đầu về chuyển đổi số trong chỉ đạo, điều hành",
        "headline": "Họp không giấy, văn bản điện tử có chữ ký số ở mọi cấp",
        "campaign": "thi-dua-dac-biet-2023",
        "year": 2023,
        "field": "chuyen_doi_so",
        "award_text": "Bằng khen của Chủ tịch UBND tỉnh theo chuyên đề năm 2023",
        "story": (
            "Hưởng ứng phong trào thi đua đặc biệt, Văn phòng UBND tỉnh đặt mục tiêu đưa toàn bộ "
            "việc trình, ký và phát hành văn bản lên môi trường mạng, bảo đảm tiến độ, chất lượng "
            "tham mưu cho Thường trực UBND tỉnh.\n\n"
            "Hệ thống quản lý văn bản và điều hành được kết nối liên thông bốn cấp; các cuộc họp "
            "của UBND tỉnh dùng tài liệu điện tử; hồ sơ thủ tục hành chính được tiếp nhận, giải "
            "quyết trực tuyến và trả kết quả đúng hạn.\n\n"
            "Cách làm được các sở, ngành học tập, góp phần đẩy mạnh chuyển đổi số trong các cơ "
            "quan nhà nước của tỉnh."
        ),
        "results": [
            ("Văn bản đi được ký số và gửi điện tử", "100", "%"),
            ("Cuộc họp không dùng tài liệu giấy", "96", "%"),
            ("Hồ sơ trực tuyến giải quyết đúng hạn", "98.7", "%"),
        ],
        "replications": [
            ("STP", date(2024, 2, 20), "Áp dụng họp không giấy tại cơ quan Sở"),
            ("TTT", date(2024, 4, 10), ""),
        ],
    },
    {
        "slug": "chien-si-thi-dua-vang-thi-mai-2024",
        "kind": ProfileKind.PERSON,
        "unit": "SGDDT",
        "person_name": "Vàng Thị Mai",
        "person_title": "Giáo viên Trường Phổ thông dân tộc bán trú Tiểu học xã Tả Lèng",
        "title": "Chiến sĩ thi đua cấp tỉnh",
        "headline": "Mười năm bám bản, đưa chữ về với học sinh vùng cao",
        "campaign": "hoc-tap-lam-theo-bac-2024",
        "year": 2024,
        "field": "van_hoa_xa_hoi",
        "award_text": "Danh hiệu Chiến sĩ thi đua cấp tỉnh năm 2024",
        "story": (
            "Cô Vàng Thị Mai nhận công tác tại điểm trường xa nhất của xã từ năm 2014. Cô vận "
            "động từng gia đình đưa trẻ đến lớp, tổ chức lớp học song ngữ Mông – Việt cho học sinh "
            "lớp 1.\n\n"
            "Học tập và làm theo Bác, cô đăng ký nêu gương với hai việc: không để học sinh bỏ học "
            "giữa chừng và xây dựng tủ sách dùng chung cho các điểm trường. Cả hai việc đều hoàn "
            "thành trước thời hạn."
        ),
        "results": [
            ("Học sinh đi học chuyên cần", "99.2", "%"),
            ("Đầu sách trong tủ sách dùng chung", "1250", "cuốn"),
            ("Sáng kiến được công nhận cấp tỉnh", "2", "sáng kiến"),
        ],
        "replications": [],
    },
    {
        "slug": "mo-hinh-che-theo-chuoi-gia-tri-tam-duong-2024",
        "kind": ProfileKind.MODEL,
        "unit": "HUYEN-106",
        "title": "Trồng chè theo chuỗi giá trị gắn với hợp tác xã",
        "headline": "Hai hợp tác xã liên kết, thu nhập người trồng chè tăng gần một phần ba",
        "campaign": "hoc-tap-lam-theo-bac-2024",
        "year": 2024,
        "field": "kinh_te",
        "award_text": "Mô hình tiêu biểu được ghi danh năm 2024",
        "story": (
            "Huyện Tam Đường hỗ trợ các hộ trồng chè liên kết với hai hợp tác xã, sản xuất theo "
            "quy trình an toàn, thu mua theo hợp đồng và xây dựng nhãn hiệu chung.\n\n"
            "Sản phẩm chè của hợp tác xã đạt chứng nhận OCOP 4 sao, được tiêu thụ ổn định tại "
            "các tỉnh miền xuôi."
        ),
        "results": [
            ("Hợp tác xã tham gia chuỗi", "2", "hợp tác xã"),
            ("Diện tích chè sản xuất an toàn", "350", "ha"),
            ("Thu nhập bình quân của hộ tăng", "31.5", "%"),
        ],
        "replications": [
            ("HUYEN-111", date(2024, 9, 5), "Liên kết tiêu thụ chè tại xã Phúc Khoa"),
            ("XA-03595", date(2025, 8, 15), ""),
        ],
    },
    {
        "slug": "dan-van-kheo-hien-dat-lam-duong-xa-binh-lu-2025",
        "kind": ProfileKind.MODEL,
        "unit": "XA-03390",
        "title": "“Dân vận khéo” vận động nhân dân hiến đất làm đường giao thông nông thôn",
        "headline": "Nhân dân hiến hơn 12.000 m² đất, làm 18,6 km đường bê tông liên thôn",
        "campaign": "thi-dua-thuc-hien-nghi-quyet-dai-hoi-xv",
        "year": 2025,
        "field": "dan_van",
        "award_text": "Bằng khen của Chủ tịch UBND tỉnh năm 2025",
        "story": (
            "Đảng ủy xã Bình Lư giao mỗi cán bộ, đảng viên phụ trách một nhóm hộ; trưởng bản, "
            "người có uy tín cùng đến từng nhà trao đổi về lợi ích của con đường.\n\n"
            "Việc làm công khai từ khâu đo đạc đến nghiệm thu; gia đình cán bộ, đảng viên hiến "
            "đất trước. Sau một năm, toàn bộ các thôn đã có đường bê tông đến trung tâm xã.\n\n"
            "Mô hình được Ban Dân vận Tỉnh ủy đánh giá cao và đề nghị nhân rộng trong toàn tỉnh."
        ),
        "results": [
            ("Diện tích đất nhân dân tự nguyện hiến", "12500", "m²"),
            ("Đường bê tông liên thôn hoàn thành", "18.6", "km"),
            ("Ngày công nhân dân đóng góp", "1236", "ngày công"),
            ("Thôn có đường bê tông đến trung tâm xã", "100", "%"),
        ],
        "replications": [
            ("XA-03405", date(2025, 3, 15), "Áp dụng ở 5 thôn"),
            ("XA-03549", date(2025, 6, 2), ""),
            ("XA-03583", date(2025, 8, 20), "Gắn với xây dựng nông thôn mới"),
        ],
    },
]


def load(admin: User | None = None) -> list[ShowcaseProfile]:
    """Add the demo profiles that are missing, published, oldest first (so the newest
    shows first in the gallery); returns those added. The caller commits."""
    added = []
    today = local_today()
    for row in PROFILES:
        if showcase.profile_by_slug(row["slug"]) is not None:
            continue
        campaign = campaign_by_slug(row["campaign"])
        profile = showcase.save_profile(
            ShowcaseProfile(),
            kind=row["kind"],
            unit=unit_by_code(row["unit"]),
            person_name=row.get("person_name", ""),
            person_title=row.get("person_title", ""),
            title=row["title"],
            headline=row["headline"],
            story=row["story"],
            campaign=campaign if campaign is not None and campaign.status != "draft" else None,
            year=row["year"],
            field=row["field"],
            award_text=row["award_text"],
            results=[(label, Decimal(value), unit) for label, value, unit in row["results"]],
            slug=row["slug"],
        )
        for code, adopted_on, note in row["replications"]:
            unit = unit_by_code(code)
            if unit is not None:
                showcase.add_replication(profile, unit, min(adopted_on, today), note)
        showcase.publish(profile)
        db.session.flush()
        added.append(profile)
    return added
