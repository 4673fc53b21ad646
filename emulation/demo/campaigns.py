"""Demo campaigns from the provincial documents in shared/seeds.

- The special campaign of seed 002 (2023, to 30/10/2023): its content areas are the criteria
  groups; registrations of provincial agencies and the former districts in several states.
- The 2024 plan of seed 003 (Kế hoạch 222-KH/TU): individual pledges (đăng ký nêu gương).
- A current campaign after seed 004 (Nghị quyết Đại hội XV, GRDP ≥ 10 %/năm) whose registration
  window is open around the day the demo is loaded, so every flow can be tried at once.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from emulation.accounts.models import User
from emulation.campaigns.models import Campaign, Phase
from emulation.campaigns.service import campaign_by_slug, create_campaign
from emulation.core.clock import local_today, utcnow
from emulation.core.extensions import db
from emulation.criteria.models import Criterion
from emulation.criteria.service import default_params, walk
from emulation.demo import data as demo_data
from emulation.progress.models import ProgressReport, ProgressValue
from emulation.registrations.models import (
    ExemplaryRegistration,
    ExemplaryTask,
    Registration,
    RegistrationEvent,
    RegistrationTarget,
)
from emulation.scoring import audit, sheets, table_from_criteria_set
from emulation.scoring.models import ScoreEntry, ScoreSheet
from emulation.units.models import Cluster, ClusterMember, ClusterPosition
from emulation.units.service import unit_by_code

# (code, title, max, scoring type, params, unit of measure); children follow their group.
CRITERIA = [
    (
        "1",
        "Phát triển kinh tế, tăng trưởng GRDP",
        10,
        "sum",
        None,
        "",
        [
            (
                "1.1",
                "Tốc độ tăng trưởng GRDP (giá so sánh 2010)",
                6,
                "ratio",
                {"over_rate": 1, "over_cap": 1},
                "%",
            ),
            (
                "1.2",
                "Sản phẩm OCOP được công nhận mới",
                4,
                "count",
                {"per": 1, "cap": 4},
                "sản phẩm",
            ),
        ],
    ),
    (
        "2",
        "Thu ngân sách nhà nước",
        10,
        "sum",
        None,
        "",
        [
            (
                "2.1",
                "Tỷ lệ hoàn thành dự toán thu ngân sách nhà nước",
                10,
                "ratio",
                {"over_rate": 0.5, "over_cap": 2},
                "%",
            ),
        ],
    ),
    (
        "3",
        "Giải ngân vốn đầu tư công",
        10,
        "sum",
        None,
        "",
        [
            (
                "3.1",
                "Tỷ lệ giải ngân kế hoạch vốn đầu tư công được giao",
                10,
                "ratio_cluster",
                None,
                "%",
            ),
        ],
    ),
    (
        "4",
        "Thực hành tiết kiệm, chống lãng phí",
        10,
        "sum",
        None,
        "",
        [
            ("4.1", "Tỷ lệ tiết kiệm chi thường xuyên", 6, "ratio", None, "%"),
            ("4.2", "Không để xảy ra thất thoát, lãng phí tài sản công", 4, "boolean", None, ""),
        ],
    ),
    (
        "5",
        "Khoa học, công nghệ và chuyển đổi số",
        10,
        "sum",
        None,
        "",
        [
            (
                "5.1",
                "Tỷ lệ hồ sơ thủ tục hành chính giải quyết trực tuyến toàn trình",
                6,
                "ratio",
                None,
                "%",
            ),
            (
                "5.2",
                "Sáng kiến, giải pháp được công nhận",
                4,
                "count",
                {"per": 1, "cap": 4},
                "sáng kiến",
            ),
        ],
    ),
    (
        "6",
        "Văn hóa – xã hội, giảm nghèo, an sinh xã hội",
        10,
        "sum",
        None,
        "",
        [
            ("6.1", "Tỷ lệ hộ nghèo cuối năm", 5, "ratio", {"direction": "down"}, "%"),
            (
                "6.2",
                "Chất lượng giáo dục, y tế trên địa bàn",
                5,
                "choice",
                {
                    "levels": [
                        {"label": "Tốt", "points": 5},
                        {"label": "Khá", "points": 3},
                        {"label": "Trung bình", "points": 1},
                        {"label": "Không đạt", "points": 0, "zero_parent": True},
                    ]
                },
                "",
            ),
        ],
    ),
    (
        "7",
        "Tài nguyên, môi trường, phòng chống thiên tai",
        10,
        "sum",
        None,
        "",
        [
            (
                "7.1",
                "Vụ khai thác, vận chuyển khoáng sản trái phép để xảy ra",
                5,
                "minus",
                {"per": 1},
                "vụ",
            ),
            ("7.2", "Chủ động ứng phó, khắc phục hậu quả thiên tai", 5, "council", None, ""),
        ],
    ),
    (
        "8",
        "Quốc phòng – an ninh, trật tự an toàn giao thông",
        10,
        "sum",
        None,
        "",
        [
            ("8.1", "Giữ vững an ninh chính trị, trật tự an toàn xã hội", 5, "boolean", None, ""),
            ("8.2", "Số vụ tai nạn giao thông", 5, "ratio", {"direction": "down"}, "vụ"),
        ],
    ),
    (
        "9",
        "Xây dựng Đảng, chính quyền, cải cách hành chính",
        10,
        "sum",
        None,
        "",
        [
            ("9.1", "Kết quả Chỉ số cải cách hành chính", 5, "council", None, ""),
            ("9.2", "Báo cáo gửi chậm so với quy định", 5, "minus", {"per": 0.5}, "lần"),
        ],
    ),
    (
        "10",
        "Công trình chào mừng các ngày kỷ niệm",
        10,
        "sum",
        None,
        "",
        [
            (
                "10.1",
                "Tiến độ công trình chào mừng",
                10,
                "choice",
                {
                    "levels": [
                        {"label": "Hoàn thành đúng tiến độ", "points": 10},
                        {"label": "Chậm dưới 3 tháng", "points": 5},
                        {"label": "Chưa hoàn thành", "points": 0},
                    ]
                },
                "",
            ),
        ],
    ),
]
# The current campaign swaps the 2023 commemorative works for the emulation work itself.
CURRENT_CRITERIA = CRITERIA[:9] + [
    (
        "10",
        "Công tác thi đua, khen thưởng, nhân rộng điển hình tiên tiến",
        10,
        "sum",
        None,
        "",
        [
            (
                "10.1",
                "Điển hình tiên tiến được phát hiện, nhân rộng",
                10,
                "count",
                {"per": 2, "cap": 10},
                "điển hình",
            ),
        ],
    ),
]
BONUS = (
    "B",
    "Điểm thưởng",
    10,
    [
        (
            "B.1",
            "Được Thủ tướng Chính phủ, bộ, ngành Trung ương khen thưởng",
            6,
            "count",
            {"per": 2, "cap": 6},
            "lần",
        ),
        (
            "B.2",
            "Mô hình mới, cách làm hay được nhân rộng",
            4,
            "count",
            {"per": 2, "cap": 4},
            "mô hình",
        ),
    ],
)
DEDUCTION = (
    "T",
    "Điểm trừ",
    20,
    [
        (
            "T.1",
            "Cán bộ, công chức bị xử lý kỷ luật",
            10,
            "count",
            {"per": 5, "cap": 10},
            "người",
            "max_kha",
        ),
        (
            "T.2",
            "Để xảy ra khiếu kiện đông người, kéo dài",
            10,
            "count",
            {"per": 5, "cap": 10},
            "vụ",
            "no_excellent",
        ),
    ],
)


def _add(
    campaign: Campaign,
    code,
    title,
    max_points,
    scoring_type,
    params,
    unit,
    parent,
    position,
    section=None,
    sanction=None,
) -> Criterion:
    node = Criterion(
        criteria_set=campaign.criteria_set,
        parent=parent,
        position=position,
        code=code,
        title=title,
        section=section,
        max_points=Decimal(str(max_points)),
        scoring_type=scoring_type,
        params={**default_params(scoring_type), **(params or {})},
        unit_of_measure=unit,
        sanction=sanction,
        evidence="Báo cáo kết quả, số liệu thống kê có xác nhận" if scoring_type != "sum" else "",
        evidence_required=scoring_type in ("ratio", "ratio_cluster", "count"),
    )
    db.session.add(node)
    return node


def build_criteria(campaign: Campaign, groups=CRITERIA) -> None:
    position = 0
    for code, title, max_points, scoring_type, params, unit, children in groups:
        group = _add(
            campaign, code, title, max_points, scoring_type, params, unit, None, position, "base"
        )
        for i, (c_code, c_title, c_max, c_type, c_params, c_unit) in enumerate(children):
            _add(campaign, c_code, c_title, c_max, c_type, c_params, c_unit, group, i)
        position += 1
    for section, (code, title, max_points, items) in (("bonus", BONUS), ("deduction", DEDUCTION)):
        group = _add(campaign, code, title, max_points, "sum", None, "", None, position, section)
        for i, item in enumerate(items):
            c_code, c_title, c_max, c_type, c_params, c_unit, *sanction = item
            _add(
                campaign,
                c_code,
                c_title,
                c_max,
                c_type,
                c_params,
                c_unit,
                group,
                i,
                sanction=sanction[0] if sanction else None,
            )
        position += 1


def _history_cluster(
    name: str, kind: str, year: int, codes: list[str], leader: str, deputy: str
) -> Cluster:
    """A past year's cluster as it was, former districts included (they were active then)."""
    cluster = db.session.scalar(select(Cluster).where(Cluster.name == name, Cluster.year == year))
    if cluster is None:
        cluster = Cluster(name=name, kind=kind, year=year)
        db.session.add(cluster)
        for code in codes:
            position = {leader: ClusterPosition.LEADER, deputy: ClusterPosition.DEPUTY}.get(
                code, "member"
            )
            cluster.members.append(ClusterMember(unit=unit_by_code(code), position=position))
    return cluster


def _phases(campaign: Campaign, phases: list[tuple[str, str, date, date]]) -> None:
    for kind, title, starts_on, ends_on in phases:
        campaign.phases.append(Phase(kind=kind, title=title, starts_on=starts_on, ends_on=ends_on))


def _register(
    campaign: Campaign,
    code: str,
    status: str,
    values: dict[str, tuple],
    reviewer: User | None,
    reason: str = "",
    commitment: str = "",
    titles: list[str] | None = None,
) -> None:
    unit = unit_by_code(code)
    registration = Registration(
        campaign=campaign,
        unit=unit,
        status=status,
        commitment=commitment or "Quyết tâm hoàn thành và hoàn thành vượt mức các chỉ tiêu.",
        titles=titles or [],
    )
    db.session.add(registration)
    by_code = {c.code: c for c in campaign.criteria_set.criteria}
    for criterion_code, (baseline, target, deadline) in values.items():
        criterion = by_code[criterion_code]
        registration.targets.append(
            RegistrationTarget(
                criterion=criterion,
                baseline=Decimal(str(baseline)) if baseline is not None else None,
                target=Decimal(str(target)),
                unit_of_measure=criterion.unit_of_measure,
                deadline=deadline,
            )
        )
    registration.events.append(RegistrationEvent(action="created"))
    if status in ("submitted", "approved", "returned"):
        registration.submitted_at = utcnow()
        registration.events.append(RegistrationEvent(action="submitted"))
    if status in ("approved", "returned"):
        registration.decided_at, registration.decided_by = utcnow(), reviewer
        registration.events.append(
            RegistrationEvent(
                action=status, reason=reason, user_id=reviewer.id if reviewer else None
            )
        )


def _targets(end: date, grdp=9.0, revenue=100, disbursement=95, poverty=(4.5, 3.2)) -> dict:
    return {
        "1.1": (7.8, grdp, end),
        "2.1": (96, revenue, end),
        "3.1": (82, disbursement, end),
        "4.1": (8, 10, end),
        "5.1": (35, 50, end),
        "6.1": (poverty[0], poverty[1], end),
        "8.2": (12, 10, end),
    }


def load_2023_special(admin: User) -> None:
    slug = "thi-dua-dac-biet-2023"
    if campaign_by_slug(slug):
        return
    campaign = create_campaign(
        name="Phong trào thi đua đặc biệt chào mừng kỷ niệm 115 năm thành lập tỉnh, 75 năm thành lập Đảng bộ tỉnh, "
        "70 năm ngày Bác Hồ gửi thư cho đồng bào và cán bộ Lai Châu và 20 năm chia tách, thành lập tỉnh",
        slug=slug,
        theme="“Thi đua đổi mới, sáng tạo, lập thành tích cao nhất chào mừng kỷ niệm 115 năm thành lập tỉnh "
        "(28/6/1909 - 28/6/2024), 75 năm thành lập Đảng bộ tỉnh (10/10/1949 - 10/10/2024), 70 năm ngày Bác Hồ "
        "gửi thư cho đồng bào và cán bộ Lai Châu (12/12/1953 - 12/12/2023) và 20 năm chia tách, thành lập tỉnh "
        "(01/01/2004 - 01/01/2024)”",
        form="chuyen_de",
        authority="Chủ tịch UBND tỉnh Lai Châu",
        decision_number="Lời kêu gọi thi đua đặc biệt của Chủ tịch UBND tỉnh",
        decision_date=date(2023, 5, 15),
        start_date=date(2023, 5, 15),
        end_date=date(2023, 10, 30),
        content_areas="\n".join(title for _c, title, *_rest in CRITERIA),
    )
    build_criteria(campaign)
    _phases(
        campaign,
        [
            ("registration", "", date(2023, 5, 15), date(2023, 6, 15)),
            ("implementation", "", date(2023, 6, 16), date(2023, 10, 30)),
            ("midterm", "Sơ kết 3 tháng", date(2023, 8, 15), date(2023, 8, 31)),
            ("scoring", "", date(2023, 11, 1), date(2023, 11, 20)),
            ("wrapup", "Tổng kết phong trào", date(2023, 11, 21), date(2023, 12, 15)),
        ],
    )
    agencies = next(
        c for c in demo_data.CLUSTERS if c["name"] == "Khối thi đua các cơ quan tổng hợp"
    )
    districts = [u["code"] for u in demo_data.UNITS if u["type"] == "ubnd_huyen"]
    campaign.clusters = [
        _history_cluster(
            agencies["name"],
            "khoi",
            2023,
            agencies["members"],
            agencies["leader"],
            agencies["deputy"],
        ),
        _history_cluster(
            "Cụm thi đua các huyện, thành phố", "cum", 2023, districts, districts[0], districts[1]
        ),
    ]
    campaign.status = "launched"
    db.session.flush()
    end = date(2023, 10, 30)
    states = {
        "VPUBND": "approved",
        "STC": "approved",
        "SNV": "submitted",
        "STP": "returned",
        "TTT": "draft",
        districts[0]: "approved",
        districts[1]: "approved",
        districts[2]: "submitted",
        districts[3]: "returned",
        districts[4]: "approved",
        districts[5]: "draft",
        districts[6]: "approved",
    }
    for i, (code, status) in enumerate(states.items()):
        _register(
            campaign,
            code,
            status,
            _targets(end, grdp=8.5 + (i % 4) * 0.5, revenue=100 + (i % 3) * 5),
            admin,
            reason="Chỉ tiêu tăng trưởng GRDP thấp hơn Nghị quyết của tỉnh (9,0%); đề nghị rà soát lại."
            if status == "returned"
            else "",
        )


PLEDGES = [
    (
        "SNV",
        "Nguyễn Văn Thành",
        "Giám đốc Sở Nội vụ",
        [
            (
                1,
                "Giải quyết dứt điểm hồ sơ chính sách tồn đọng từ năm 2021",
                "100% hồ sơ được giải quyết",
                date(2024, 6, 30),
            ),
            (
                2,
                "Số hóa hồ sơ cán bộ, công chức toàn tỉnh",
                "Hoàn thành cơ sở dữ liệu cán bộ",
                date(2024, 12, 31),
            ),
        ],
        "approved",
        "excellent",
    ),
    (
        "STC",
        "Lê Thị Hồng",
        "Trưởng phòng Quản lý ngân sách, Sở Tài chính",
        [
            (
                1,
                "Rút ngắn thời gian thẩm định quyết toán dự án hoàn thành",
                "Không còn hồ sơ quá hạn",
                date(2024, 9, 30),
            )
        ],
        "approved",
        "done",
    ),
    (
        "HUYEN-106",
        "Giàng A Dơ",
        "Chủ tịch UBND huyện Tam Đường",
        [
            (
                2,
                "Xây dựng mô hình trồng chè theo chuỗi giá trị",
                "02 hợp tác xã tham gia chuỗi",
                date(2024, 11, 30),
            )
        ],
        "approved",
        None,
    ),
    (
        "HUYEN-109",
        "Lò Thị Xuân",
        "Trưởng phòng Văn hóa – Thông tin huyện Phong Thổ",
        [
            (
                1,
                "Khắc phục tình trạng chậm báo cáo định kỳ",
                "Không còn báo cáo chậm",
                date(2024, 12, 31),
            )
        ],
        "returned",
        None,
    ),
]


def load_2024_plan(admin: User) -> None:
    slug = "hoc-tap-lam-theo-bac-2024"
    if campaign_by_slug(slug):
        return
    campaign = create_campaign(
        name="Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh năm 2024",
        slug=slug,
        theme="Học tập, làm theo Bác và nêu gương của cán bộ, đảng viên, nhất là người đứng đầu",
        form="chuyen_de",
        authority="Ban Thường vụ Tỉnh ủy Lai Châu",
        decision_number="Kế hoạch số 222-KH/TU",
        decision_date=date(2023, 12, 18),
        start_date=date(2024, 1, 1),
        end_date=date(2024, 12, 31),
        content_areas="Học tập chuyên đề năm 2024\nLàm theo: nhiệm vụ trọng tâm, đột phá, mô hình tiêu biểu\n"
        "Nêu gương của cán bộ, đảng viên, nhất là người đứng đầu\nBình xét, ghi danh tập thể, cá nhân, mô hình tiêu biểu",
    )
    group = _add(campaign, "1", "Học tập và làm theo Bác", 100, "sum", None, "", None, 0, "base")
    _add(
        campaign,
        "1.1",
        "Xây dựng kế hoạch trước ngày 15/01/2024",
        30,
        "boolean",
        None,
        "",
        group,
        0,
    )
    _add(
        campaign,
        "1.2",
        "Mô hình, điển hình tiêu biểu được ghi danh",
        40,
        "count",
        {"per": 10, "cap": 40},
        "mô hình",
        group,
        1,
    )
    _add(campaign, "1.3", "Đánh giá của Ban Thường vụ", 30, "council", None, "", group, 2)
    _phases(
        campaign,
        [
            (
                "registration",
                "Xây dựng kế hoạch, đăng ký nêu gương",
                date(2024, 1, 1),
                date(2024, 1, 15),
            ),
            ("implementation", "", date(2024, 1, 16), date(2024, 12, 31)),
            ("midterm", "Bình xét, ghi danh điển hình", date(2024, 5, 1), date(2024, 5, 19)),
            ("wrapup", "", date(2024, 12, 1), date(2024, 12, 31)),
        ],
    )
    campaign.units = [unit_by_code(code) for code in ("SNV", "STC", "HUYEN-106", "HUYEN-109")]
    campaign.status = "launched"
    db.session.flush()
    for code, name, title, tasks, status, evaluation in PLEDGES:
        pledge = ExemplaryRegistration(
            campaign=campaign,
            unit=unit_by_code(code),
            person_name=name,
            person_title=title,
            status=status,
            evaluation=evaluation,
            reviewed_by_id=admin.id,
            reviewed_at=utcnow(),
            review_note="Đề nghị ghi rõ số lượng, thời hạn." if status == "returned" else "",
        )
        for i, (group_no, description, result, deadline) in enumerate(tasks):
            pledge.tasks.append(
                ExemplaryTask(
                    position=i,
                    group=group_no,
                    description=description,
                    expected_result=result,
                    deadline=deadline,
                )
            )
        if evaluation:
            pledge.evaluated_at = utcnow()
        db.session.add(pledge)


def load_current(admin: User) -> None:
    """A campaign whose registration is open on the day the demo is loaded."""
    slug = "thi-dua-thuc-hien-nghi-quyet-dai-hoi-xv"
    if campaign_by_slug(slug):
        return
    today = local_today()
    year_end = date(today.year + 1, 12, 31)
    campaign = create_campaign(
        name="Thi đua thực hiện thắng lợi Nghị quyết Đại hội đại biểu Đảng bộ tỉnh lần thứ XV, nhiệm kỳ 2025–2030",
        slug=slug,
        theme="Đoàn kết, đổi mới, sáng tạo, tăng trưởng nhanh, xanh và bền vững",
        form="thuong_xuyen",
        authority="UBND tỉnh Lai Châu",
        decision_number="Kế hoạch thi đua năm (trình diễn)",
        decision_date=today - timedelta(days=14),
        start_date=today - timedelta(days=14),
        end_date=year_end,
        content_areas="\n".join(title for _c, title, *_rest in CURRENT_CRITERIA),
    )
    build_criteria(campaign, CURRENT_CRITERIA)
    _phases(
        campaign,
        [
            ("registration", "", today - timedelta(days=14), today + timedelta(days=21)),
            ("implementation", "", today - timedelta(days=14), year_end),
            ("midterm", "Sơ kết 6 tháng", date(today.year + 1, 7, 1), date(today.year + 1, 7, 20)),
            ("scoring", "", date(today.year + 1, 12, 1), date(today.year + 1, 12, 20)),
        ],
    )
    campaign.clusters = list(db.session.scalars(select(Cluster).where(Cluster.year == today.year)))
    campaign.status = "launched"
    db.session.flush()
    communes = next(c for c in campaign.clusters if c.kind == "cum")
    leader = communes.leader
    others = [m.unit.code for m in communes.members if m.position == "member"]
    end = year_end
    _register(campaign, leader.code, "approved", _targets(end, grdp=10), admin)
    _first_report(campaign, leader.code, today)
    for code, status in zip(others[1:4], ("submitted", "returned", "submitted"), strict=False):
        _register(
            campaign,
            code,
            status,
            _targets(end, grdp=9.5),
            admin,
            reason="Bổ sung chỉ tiêu giải ngân vốn đầu tư công theo kế hoạch được giao."
            if status == "returned"
            else "",
        )


def _first_report(campaign: Campaign, code: str, today: date) -> None:
    """A submitted progress report, so the achievement bars have something to show."""
    registration = db.session.scalar(
        select(Registration).where(
            Registration.campaign_id == campaign.id, Registration.unit_id == unit_by_code(code).id
        )
    )
    db.session.flush()
    report = ProgressReport(
        registration=registration,
        period_label=f"Tháng {today.month}/{today.year}",
        period_end=today,
        status="submitted",
        submitted_at=utcnow(),
        note="Số liệu ước thực hiện, sẽ cập nhật khi có số liệu chính thức.",
    )
    share = {
        "1.1": "0.55",
        "2.1": "0.8",
        "3.1": "0.6",
        "4.1": "0.7",
        "5.1": "0.9",
        "6.1": "1.05",
        "8.2": "1",
    }
    for target in registration.targets:
        ratio = Decimal(share.get(target.criterion.code, "0.5"))
        baseline = target.baseline or Decimal(0)
        actual = baseline + (target.target - baseline) * ratio
        report.values.append(ProgressValue(target=target, actual=actual.quantize(Decimal("0.01"))))
    db.session.add(report)


def _demo_value(criterion: Criterion, target, rng) -> dict | None:
    """A believable entry for a leaf: results near the target, few violations, mostly "đạt"."""
    kind = criterion.scoring_type
    if kind in ("ratio", "ratio_cluster"):
        if target is None:
            return None
        factor = Decimal(str(round(rng.uniform(0.85, 1.12), 3)))
        return {"actual": str((target.target * factor).quantize(Decimal("0.01")))}
    if kind == "choice":
        return {"level": rng.choice([0, 0, 1, 1, 2])}
    if kind == "count":
        return {"n": rng.choice([0, 1, 1, 2, 3])}
    if kind == "minus":
        return {"n": rng.choice([0, 0, 1, 2])}
    if kind == "boolean":
        return {"yes": rng.random() > 0.1}
    if kind == "council":
        share = Decimal(str(round(rng.uniform(0.6, 1.0), 2)))
        return {"points": str((criterion.max_points * share).quantize(Decimal("0.25")))}
    return None


def _council_view(criterion: Criterion, value: dict, rng) -> dict:
    """A council member's reading of a unit's own figure: the same facts, a stricter eye."""
    if "actual" in value:
        factor = Decimal(str(round(rng.uniform(0.97, 1.0), 3)))
        return {"actual": str((Decimal(value["actual"]) * factor).quantize(Decimal("0.01")))}
    if "points" in value:
        share = Decimal(str(round(rng.uniform(0.8, 1.0), 2)))
        return {"points": str((Decimal(value["points"]) * share).quantize(Decimal("0.25")))}
    if "n" in value and criterion.scoring_type == "count":
        return {"n": max(value["n"] - rng.choice([0, 0, 1]), 0)}
    return dict(value)


def score_2023(admin: User, council: list[User]) -> None:
    """The 2023 special campaign, scored and published: self-scores, three council members."""
    campaign = campaign_by_slug("thi-dua-dac-biet-2023")
    if campaign is None or db.session.scalar(
        select(ScoreSheet).where(ScoreSheet.campaign_id == campaign.id)
    ):
        return
    rng = random.Random(2023)
    table = table_from_criteria_set(campaign.criteria_set)
    leaves = [c for c in walk(campaign.criteria_set.roots) if c.is_leaf and sheets.input_field(c)]
    for unit in sheets.participants(campaign):
        sheet = ScoreSheet(campaign=campaign, unit=unit, stage="published", published_at=utcnow())
        db.session.add(sheet)
        db.session.flush()
        targets = sheets.registered_targets(sheet)
        own = {c.id: _demo_value(c, targets.get(c.id), rng) for c in leaves}
        for stage, scorer in [("self", None)] + [("council", member) for member in council]:
            for criterion in leaves:
                value = own[criterion.id]
                if value is None:
                    continue
                if scorer is not None:
                    value = _council_view(criterion, value, rng)
                entry = ScoreEntry(
                    sheet=sheet,
                    criterion=criterion,
                    stage=stage,
                    scorer_key=scorer.id if scorer else 0,
                    scorer_id=scorer.id if scorer else None,
                    value=value,
                    points=sheets.leaf_points(
                        sheet, criterion, value, table=table, targets=targets
                    ),
                )
                db.session.add(entry)
                audit.record(
                    "entry_saved",
                    user=scorer,
                    campaign=campaign,
                    sheet=sheet,
                    criterion=criterion,
                    stage=stage,
                    new=value,
                )
        audit.record(
            "stage_closed",
            user=admin,
            campaign=campaign,
            sheet=sheet,
            stage="approved",
            old="approved",
            new="published",
        )


def load(admin: User) -> None:
    load_2023_special(admin)
    load_2024_plan(admin)
    load_current(admin)
    council = list(
        db.session.scalars(
            select(User).where(User.role == "council_member").order_by(User.username)
        )
    )
    score_2023(admin, council)
