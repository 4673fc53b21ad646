"""Demo wrap-up review of the 2023 special campaign (seed 002), worded as the province's
wrap-up reports are: results achieved, shortcomings and their causes, lessons learned, and
the way forward (seeds 001, 002 and 004).

`load(admin)` is idempotent: a campaign that already has a review keeps it.
"""

from __future__ import annotations

from emulation.accounts.models import User
from emulation.campaigns.service import campaign_by_slug
from emulation.core.extensions import db
from emulation.wrapup.models import CampaignReview
from emulation.wrapup.service import review_of

SLUG = "thi-dua-dac-biet-2023"

REVIEW = {
    "achievements": (
        "Phong trào thi đua đặc biệt được các cấp, các ngành, các cơ quan, đơn vị, địa phương "
        "hưởng ứng sâu rộng; việc tham gia phong trào thi đua trở thành ý thức tự giác của "
        "cán bộ, đảng viên và các tầng lớp Nhân dân.\n"
        "Các cụm, khối thi đua ký kết giao ước thi đua, đăng ký chỉ tiêu cụ thể, định lượng "
        "theo từng nội dung: tăng trưởng GRDP, thu ngân sách, giải ngân vốn đầu tư công, "
        "chuyển đổi số, giảm nghèo, quốc phòng – an ninh.\n"
        "Nhiều cách làm hay, mô hình hiệu quả được phát hiện, biểu dương và nhân rộng, góp "
        "phần lập thành tích chào mừng 115 năm thành lập tỉnh và 20 năm chia tách, thành lập tỉnh."
    ),
    "shortcomings": (
        "Bên cạnh kết quả đạt được, còn một số hạn chế: công tác lãnh đạo, chỉ đạo phong "
        "trào ở một số cơ quan, đơn vị có mặt còn hạn chế; một số bản đăng ký thi đua phải "
        "trả lại để bổ sung chỉ tiêu; việc báo cáo tiến độ, gửi minh chứng còn chậm.\n"
        "Nguyên nhân chủ yếu là do một số người đứng đầu chưa nhận thức đầy đủ vị trí, vai "
        "trò của công tác thi đua, khen thưởng; việc theo dõi, đôn đốc, kiểm tra có lúc chưa "
        "thường xuyên."
    ),
    "lessons": (
        "Một là, người đứng đầu cấp ủy, chính quyền, cơ quan, đơn vị phải trực tiếp lãnh "
        "đạo, chỉ đạo và gương mẫu tham gia phong trào thi đua.\n"
        "Hai là, nội dung thi đua phải cụ thể, rõ ràng, mang tính định lượng, gắn với nhiệm vụ "
        "chính trị của từng ngành, địa phương, đơn vị.\n"
        "Ba là, thường xuyên theo dõi, hướng dẫn, đôn đốc, kiểm tra; kịp thời điều chỉnh, bổ "
        "sung mục tiêu, nhiệm vụ; phát huy vai trò của cụm trưởng, khối trưởng.\n"
        "Bốn là, bình xét khen thưởng kịp thời, công khai, đúng người, đúng thành tích; chú "
        "trọng phát hiện, bồi dưỡng, tôn vinh các điển hình tiên tiến."
    ),
    "next_steps": (
        "Tiếp tục phát huy kết quả của phong trào trong thực hiện Nghị quyết Đại hội Đảng bộ "
        "tỉnh; gắn phong trào thi đua với nhiệm vụ phát triển kinh tế – xã hội hằng năm.\n"
        "Kịp thời phát hiện, nhân rộng cách làm hay, điển hình tiên tiến tiêu biểu; đồng thời "
        "chấn chỉnh, phê bình những nơi chưa thực hiện tốt phong trào thi đua.\n"
        "Nâng cao chất lượng đăng ký, báo cáo và chấm điểm thi đua trên hệ thống; rút ngắn "
        "thời gian bình xét, đề nghị khen thưởng."
    ),
}


def load(admin: User | None = None) -> CampaignReview | None:
    """The 2023 campaign's review, written once (the campaign's wrap-up phase is long over,
    so the texts are stored as the demo's history, not through the office's form)."""
    campaign = campaign_by_slug(SLUG)
    if campaign is None:
        return None
    found = review_of(campaign)
    if found is not None:
        return found
    review = CampaignReview(
        campaign_id=campaign.id, updated_by_id=admin.id if admin is not None else None, **REVIEW
    )
    db.session.add(review)
    return review
