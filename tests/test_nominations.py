"""Nominations: proposals from the official results with their reasons, units' own
nominations in the wrap-up phase, discipline, required history, and the final list."""

from __future__ import annotations

from datetime import timedelta

import pytest

from emulation.accounts.models import Role
from emulation.commendation import awards, meetings, nominations
from emulation.commendation.rulebook import current_rulebook, default_rulebook
from emulation.core.clock import local_today
from emulation.core.errors import DomainError, NotAllowed
from emulation.core.extensions import db
from emulation.scoring import sheets
from tests.factories import add_criterion, make_campaign, make_cluster, make_unit, make_user
from tests.test_standings import GRADES, score

NAMES = ("Phường Đông Phong", "Phường Tân Phong", "Xã Bình Lư", "Xã Sì Lở Lầu")


def published(
    points=("95", "92", "84", "70"),
    *,
    names=NAMES,
    form="thuong_xuyen",
    cluster_name="Cụm thi đua các xã, phường số 1",
    extra_clusters=(),
    admin=None,
):
    """A launched campaign whose council results are published (in the wrap-up phase, open
    now), and the default rulebook in force. Returns (campaign, units, admin)."""
    today = local_today()
    admin = admin or make_user("thuongtruc", Role.ADMIN)
    if current_rulebook("Lai Châu") is None:
        default_rulebook(effective_from=today - timedelta(days=400))
    units = [make_unit(name) for name in names]
    clusters = [make_cluster(cluster_name, year=today.year, members=units, leader=units[0])]
    for name, members in extra_clusters:
        clusters.append(make_cluster(name, year=today.year, members=members, leader=members[0]))
    campaign = make_campaign(
        form=form,
        clusters=clusters,
        phases={
            "scoring": (today - timedelta(days=30), today - timedelta(days=5)),
            "wrapup": (today - timedelta(days=3), today + timedelta(days=10)),
        },
    )
    campaign.criteria_set.grades = GRADES
    group = add_criterion(campaign, "1", "Thực hiện nhiệm vụ", 100, section="base")
    leaf = add_criterion(
        campaign, "1.1", "Hội đồng đánh giá", 100, parent=group, scoring_type="council"
    )
    for unit, value in zip(units, points, strict=True):
        score(campaign, unit, leaf, value)
    for _name, members in extra_clusters:
        for unit, value in zip(members, ("91", "60"), strict=False):
            score(campaign, unit, leaf, value)
    sheets.publish_approved(campaign, admin)
    db.session.commit()
    return campaign, units, admin


def verdicts(campaign) -> dict[tuple[str, str], tuple[bool, str]]:
    return {
        (p.award_type.code, p.unit_name): (p.eligible, p.reason)
        for p in nominations.propose(campaign)
    }


def test_proposals_say_why_each_unit_is_or_is_not_eligible(app):
    campaign, units, _admin = published()
    late = make_unit("Xã chưa có kết quả")
    campaign.units = [late]
    db.session.commit()
    found = verdicts(campaign)
    cluster = "Cụm thi đua các xã, phường số 1"
    # 95 → Xuất sắc; 92 loses Xuất sắc to the 25 % quota → Tốt; 84 Tốt; 70 Khá.
    assert found[("CTD_TINH", NAMES[0])] == (
        True,
        f"Đứng đầu {cluster} với xếp loại Xuất sắc.",
    )
    assert found[("CTD_TINH", NAMES[1])] == (False, f"Xếp thứ 2 trong {cluster}, không dẫn đầu.")
    assert found[("BK_TINH", NAMES[0])] == (
        False,
        "Đã được đề nghị Cờ thi đua của UBND tỉnh.",
    )
    assert found[("BK_TINH", NAMES[1])][0] and found[("BK_TINH", NAMES[2])][0]
    assert found[("BK_TINH", NAMES[1])][1] == (
        f"Xếp thứ 2 trong {cluster} (3 đơn vị đầu được đề nghị), xếp loại Tốt."
    )
    assert found[("BK_TINH", NAMES[3])] == (
        False,
        "Xếp thứ 4 trong cụm, chỉ 3 đơn vị đầu được đề nghị.",
    )
    assert found[("GK", NAMES[3])] == (True, "Xếp loại Khá (từ Khá trở lên).")
    assert found[("GK", NAMES[2])] == (False, "Đã được đề nghị Bằng khen của Chủ tịch UBND tỉnh.")
    assert found[("CTD_TINH", late.name)] == (False, "Chưa có kết quả chấm điểm chính thức.")
    # Types decided by units themselves are not computed.
    assert not any(code in ("TTLDXS", "BK_CN") for code, _name in found)


def test_a_grade_below_the_minimum_is_the_reason(app):
    campaign, units, _admin = published(points=("85", "70", "60", "40"))
    found = verdicts(campaign)
    assert found[("CTD_TINH", NAMES[0])] == (
        False,
        "Dẫn đầu Cụm thi đua các xã, phường số 1 nhưng xếp loại Tốt, cần từ Xuất sắc trở lên.",
    )
    assert found[("BK_TINH", NAMES[1])] == (False, "Xếp loại Khá, cần từ Tốt trở lên.")
    assert found[("GK", NAMES[3])] == (False, "Xếp loại Trung bình, cần từ Khá trở lên.")


def test_the_total_quota_keeps_the_best_cluster_leader(app):
    others = [make_unit("Sở Xây dựng"), make_unit("Sở Công Thương")]
    campaign, units, _admin = published(extra_clusters=[("Khối các sở", others)])
    found = verdicts(campaign)
    # Cờ thi đua của Chính phủ: one for the province, the higher of the two leaders.
    assert found[("CTD_CP", NAMES[0])][0]  # 95
    assert found[("CTD_CP", "Sở Xây dựng")] == (
        False,
        "Vượt số lượng tối đa 1 đơn vị toàn tỉnh.",
    )
    assert found[("CTD_TINH", "Sở Xây dựng")][0]  # both lead their cluster


def test_themed_campaigns_use_the_themed_awards(app):
    campaign, units, _admin = published(form="chuyen_de")
    codes = {p.award_type.code for p in nominations.propose(campaign)}
    assert codes == {"BK_CD", "GK_CD"}
    types = {t.code for t in nominations.allowed_types(campaign, "person")}
    assert types == {"BK_CD_CN"}


def test_a_unit_under_discipline_is_not_proposed_and_cannot_be_added(app):
    today = local_today()
    campaign, units, admin = published()
    nominations.add_flag(
        admin,
        unit=units[0],
        reason="Đang thanh tra việc quản lý ngân sách",
        until=today + timedelta(days=90),
    )
    db.session.commit()
    eligible, reason = verdicts(campaign)[("CTD_TINH", NAMES[0])]
    assert not eligible
    assert reason == (
        "Đang bị xem xét, xử lý kỷ luật: Đang thanh tra việc quản lý ngân sách "
        f"(đến {(today + timedelta(days=90)).strftime('%d/%m/%Y')})."
    )
    officer = make_user("canbo", unit=units[0])
    with pytest.raises(DomainError, match="Đang thanh tra việc quản lý ngân sách") as caught:
        nominations.add_nomination(
            campaign,
            officer,
            award_type=nominations.rulebook_for(campaign).type_by_code("TTLDXS"),
            subject="unit",
            unit=units[0],
            summary="Hoàn thành xuất sắc nhiệm vụ",
        )
    assert caught.value.field == "unit_id"


def test_an_expired_flag_no_longer_stops_anyone(app):
    today = local_today()
    campaign, units, admin = published()
    nominations.add_flag(
        admin,
        unit=units[1],
        person_name="Lò Văn Hùng",
        reason="Kiểm điểm",
        until=today - timedelta(days=1),
    )
    db.session.commit()
    assert nominations.active_flag(units[1].id, "Lò Văn Hùng") is None


def test_units_add_people_and_models_during_the_wrapup_phase(app):
    campaign, units, admin = published()
    officer = make_user("canbo", unit=units[1])
    book = nominations.rulebook_for(campaign)
    person = nominations.add_nomination(
        campaign,
        officer,
        award_type=book.type_by_code("BK_CN"),
        subject="person",
        unit=units[1],
        person_name="Lò Thị Xuân",
        person_title="Chủ tịch UBND phường",
        summary="Chỉ đạo hoàn thành 100 % chỉ tiêu thu ngân sách.",
    )
    model = nominations.add_nomination(
        campaign,
        officer,
        award_type=book.type_by_code("BK_CN"),
        subject="model",
        unit=units[1],
        person_name="Mô hình “Chợ phiên không rác thải”",
        summary="Nhân rộng ra 5 bản.",
    )
    db.session.commit()
    assert person.display_name == "Lò Thị Xuân, Chủ tịch UBND phường (Phường Tân Phong)"
    assert person.source == "added" and person.reason == "Đơn vị đề nghị."
    assert model in nominations.nominations_of(campaign)
    # The same person twice for the same award is refused.
    with pytest.raises(DomainError, match="Đã có đề nghị"):
        nominations.add_nomination(
            campaign,
            officer,
            award_type=book.type_by_code("BK_CN"),
            subject="person",
            unit=units[1],
            person_name="lò thị xuân",
            summary="Lần nữa",
        )
    # Another unit's people are not theirs to propose.
    with pytest.raises(NotAllowed, match="đơn vị của mình"):
        nominations.add_nomination(
            campaign,
            officer,
            award_type=book.type_by_code("BK_CN"),
            subject="person",
            unit=units[2],
            person_name="Giàng A Dơ",
            summary="Tốt",
        )
    # An individual award is not for a collective, and a summary is required.
    with pytest.raises(DomainError) as caught:
        nominations.add_nomination(
            campaign,
            officer,
            award_type=book.type_by_code("BK_CN"),
            subject="unit",
            unit=units[1],
            summary="Tốt",
        )
    assert caught.value.field == "award_type_id"
    with pytest.raises(DomainError) as caught:
        nominations.add_nomination(
            campaign,
            officer,
            award_type=book.type_by_code("TTLDXS"),
            subject="unit",
            unit=units[1],
            summary="  ",
        )
    assert caught.value.field == "summary"


def test_outside_the_wrapup_phase_units_are_refused_with_the_window(app):
    today = local_today()
    campaign, units, _admin = published()
    later = (today + timedelta(days=5), today + timedelta(days=20))
    wrapup = next(p for p in campaign.phases if p.kind == "wrapup")
    wrapup.starts_on, wrapup.ends_on = later
    db.session.commit()
    officer = make_user("canbo", unit=units[1])
    with pytest.raises(NotAllowed, match=later[0].strftime("%d/%m/%Y")):
        nominations.add_nomination(
            campaign,
            officer,
            award_type=nominations.rulebook_for(campaign).type_by_code("BK_CN"),
            subject="person",
            unit=units[1],
            person_name="Lò Thị Xuân",
            summary="Tốt",
        )


def test_a_person_flagged_under_discipline_is_refused_with_the_reason(app):
    campaign, units, admin = published()
    nominations.add_flag(admin, unit=units[1], person_name="Lò Thị Xuân", reason="Đang bị điều tra")
    db.session.commit()
    with pytest.raises(DomainError, match="Đang bị điều tra") as caught:
        nominations.add_nomination(
            campaign,
            admin,
            award_type=nominations.rulebook_for(campaign).type_by_code("BK_CN"),
            subject="person",
            unit=units[1],
            person_name="LÒ THỊ XUÂN",
            summary="Tốt",
        )
    assert caught.value.field == "person_name"


def test_chien_si_thi_dua_cap_tinh_needs_three_consecutive_years_of_the_base_title(app):
    campaign, units, admin = published()
    book = nominations.rulebook_for(campaign)
    fields = dict(
        award_type=book.type_by_code("CSTD_TINH"),
        subject="person",
        unit=units[1],
        person_name="Lò Thị Xuân",
        summary="Ba năm liền là Chiến sĩ thi đua cơ sở.",
    )
    year = campaign.year
    for past in (year - 1, year - 2):
        awards.record_past_award(
            admin,
            unit=units[1],
            award_code="CSTD_CS",
            award_name="Chiến sĩ thi đua cơ sở",
            year=past,
            person_name="Lò Thị Xuân",
        )
    db.session.commit()
    with pytest.raises(DomainError) as caught:
        nominations.add_nomination(campaign, admin, **fields)
    assert caught.value.message == (
        f"Cần 3 năm liên tục đạt Chiến sĩ thi đua cơ sở; mới có 2 ({year - 2}, {year - 1})."
    )
    awards.record_past_award(
        admin,
        unit=units[1],
        award_code="CSTD_CS",
        award_name="Chiến sĩ thi đua cơ sở",
        year=year - 3,
        person_name="Lò Thị Xuân",
    )
    db.session.commit()
    assert nominations.add_nomination(campaign, admin, **fields).person_name == "Lò Thị Xuân"


def test_awards_of_a_themed_campaign_do_not_count_toward_the_streak(app):
    campaign, units, admin = published()
    year = campaign.year
    awards.record_past_award(
        admin,
        unit=units[0],
        award_code="TTLDXS",
        award_name="Tập thể lao động xuất sắc",
        year=year - 1,
    )
    awards.record_past_award(
        admin,
        unit=units[0],
        award_code="TTLDXS",
        award_name="Tập thể lao động xuất sắc",
        year=year - 2,
        counts_toward_higher=False,
    )
    db.session.commit()
    assert awards.streak(awards.counting_years(units[0].id, "TTLDXS"), year) == [year - 1]


def test_the_office_takes_the_proposals_finalizes_and_the_list_locks(app):
    today = local_today()
    campaign, units, admin = published()
    added = nominations.apply_proposals(campaign, admin)
    db.session.commit()
    assert added == 5  # CTD_CP, CTD_TINH (unit 0), BK_TINH ×2, GK
    assert nominations.apply_proposals(campaign, admin) == 0  # once only
    flag = next(n for n in nominations.nominations_of(campaign) if n.award_type.code == "CTD_CP")
    nominations.remove_nomination(flag, admin, "Chưa đủ hồ sơ")
    db.session.commit()
    assert nominations.apply_proposals(campaign, admin) == 0  # a removal stays removed
    assert flag not in nominations.nominations_of(campaign)
    assert nominations.finalized(campaign) == []  # not final yet
    nominations.finalize(campaign, admin)
    db.session.commit()
    final = nominations.finalized(campaign)
    assert [n.award_type.code for n in final] == ["CTD_TINH", "BK_TINH", "BK_TINH", "GK"]
    assert nominations.nomination_list(campaign).posting_from == today
    officer = make_user("canbo", unit=units[1])
    with pytest.raises(NotAllowed, match="đã chốt"):
        nominations.add_nomination(
            campaign,
            officer,
            award_type=nominations.rulebook_for(campaign).type_by_code("BK_CN"),
            subject="person",
            unit=units[1],
            person_name="Lò Thị Xuân",
            summary="Tốt",
        )
    assert not nominations.can_edit(final[0], admin)
    # Reopening is possible until a council meeting is set up.
    nominations.reopen(campaign, admin)
    nominations.finalize(campaign, admin)
    make_user("hoidong", Role.COUNCIL_MEMBER)
    meetings.create_meeting(campaign, admin, held_on=today, chair="Chủ tịch UBND tỉnh")
    db.session.commit()
    with pytest.raises(NotAllowed, match="cuộc họp"):
        nominations.reopen(campaign, admin)


def test_a_flagged_nominee_stops_the_list_from_being_finalized(app):
    campaign, units, admin = published()
    nominations.apply_proposals(campaign, admin)
    nominations.add_flag(admin, unit=units[3], reason="Vi phạm quy định về tài chính")
    db.session.commit()
    with pytest.raises(DomainError, match=NAMES[3]):
        nominations.finalize(campaign, admin)


def test_only_the_office_finalizes_and_only_officers_of_the_unit_add(app):
    campaign, units, admin = published()
    member = make_user("hoidong", Role.COUNCIL_MEMBER)
    with pytest.raises(NotAllowed):
        nominations.apply_proposals(campaign, member)
    with pytest.raises(NotAllowed):
        nominations.finalize(campaign, member)
    with pytest.raises(NotAllowed):
        nominations.add_nomination(
            campaign,
            member,
            award_type=nominations.rulebook_for(campaign).type_by_code("BK_CN"),
            subject="person",
            unit=units[1],
            person_name="Lò Thị Xuân",
            summary="Tốt",
        )
