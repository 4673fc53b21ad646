"""The scoring pipeline over the database: stages, conflicts, embargo, versions, audit."""

from datetime import timedelta
from decimal import Decimal
from functools import partial

import pytest

from emulation.core.clock import local_today
from emulation.core.errors import DomainError, NotAllowed
from emulation.core.extensions import db
from emulation.scoring import sheets
from emulation.scoring.models import ConflictDeclaration, ScoreEvent, Stage


def _self_score(s, grdp="9,9", ocop="3", council="8"):
    for criterion, text in ((s["grdp"], grdp), (s["ocop"], ocop), (s["council"], council)):
        entry = sheets.stage_values(s["sheet"], Stage.SELF).get(criterion.id)
        sheets.save_entry(
            s["sheet"], s["canbo"], criterion, text, version=entry.version if entry else 0
        )
    db.session.commit()


def test_self_scoring_computes_points_with_the_engine(s):
    _self_score(s)
    entries = sheets.stage_values(s["sheet"], Stage.SELF)
    assert entries[s["grdp"].id].points == Decimal("10")  # 9,9 of 9 → the full 10
    assert entries[s["ocop"].id].points == Decimal("6")  # 3 × 2
    result = sheets.result_of(s["sheet"], sheets.effective_values(s["sheet"], Stage.SELF))
    assert result.total == Decimal("24")


def test_bad_input_is_refused_with_a_field_message(s):
    with pytest.raises(DomainError, match="“chín” không phải là số"):
        sheets.save_entry(s["sheet"], s["canbo"], s["grdp"], "chín", version=0)
    with pytest.raises(DomainError, match="Số lần phải là số nguyên."):
        sheets.save_entry(s["sheet"], s["canbo"], s["ocop"], "1,5", version=0)
    with pytest.raises(DomainError, match="Tối đa 10 điểm."):
        sheets.save_entry(s["sheet"], s["canbo"], s["council"], "11", version=0)


def test_a_second_save_from_a_stale_form_is_refused(s):
    sheets.save_entry(s["sheet"], s["canbo"], s["grdp"], "9", version=0)
    db.session.commit()
    with pytest.raises(sheets.StaleEntry):
        sheets.save_entry(s["sheet"], s["canbo"], s["grdp"], "7", version=0)
    db.session.rollback()
    assert sheets.stage_values(s["sheet"], Stage.SELF)[s["grdp"].id].value == {"actual": "9"}


def test_scoring_outside_its_window_is_refused(s):
    today = local_today()
    s["campaign"].phases[0].ends_on = today - timedelta(days=1)
    db.session.commit()
    with pytest.raises(NotAllowed, match="Ngoài thời gian chấm điểm"):
        sheets.save_entry(s["sheet"], s["canbo"], s["grdp"], "9", version=0)


def test_peers_cannot_see_or_enter_self_scores(s):
    _self_score(s)
    assert sheets.visible_stages(s["peer"], s["sheet"]) == []
    assert not sheets.can_view_sheet(s["peer"], s["sheet"])
    with pytest.raises(NotAllowed):
        sheets.save_entry(s["sheet"], s["peer"], s["grdp"], "1", version=0)


def test_advancing_needs_every_self_score(s):
    sheets.save_entry(s["sheet"], s["canbo"], s["grdp"], "9", version=0)
    with pytest.raises(DomainError, match="Còn tiêu chí chưa tự chấm: 1.2, 2.1."):
        sheets.advance(s["sheet"], s["canbo"])


def _to_council(s):
    _self_score(s)
    sheets.advance(s["sheet"], s["canbo"])  # → leader (no cross-scoring in this campaign)
    sheets.advance(s["sheet"], s["cumtruong"])  # → appraisal
    sheets.advance(s["sheet"], s["admin"])  # → council
    db.session.commit()


def test_council_member_cannot_score_own_unit_and_the_attempt_is_logged(s):
    _to_council(s)
    with pytest.raises(NotAllowed, match="Bạn không được chấm Phường Tân Phong"):
        sheets.save_entry(s["sheet"], s["hd_ward"], s["council"], "10", version=0)
    logged = db.session.scalar(db.select(ScoreEvent).where(ScoreEvent.action == "conflict_refused"))
    assert logged is not None and logged.user_id == s["hd_ward"].id


def test_declared_conflicts_and_the_hierarchy_count(s):
    _to_council(s)
    db.session.add(
        ConflictDeclaration(
            user=s["hd1"], unit=s["sheet"].unit, reason="Người thân công tác tại phường"
        )
    )
    db.session.commit()
    with pytest.raises(NotAllowed):
        sheets.save_entry(s["sheet"], s["hd1"], s["council"], "10", version=0)
    parent = s["hd2"].unit
    s["sheet"].unit.parent = parent  # the ward under the member's department
    db.session.commit()
    with pytest.raises(NotAllowed):
        sheets.save_entry(s["sheet"], s["hd2"], s["council"], "10", version=0)


def test_council_numbers_are_aggregated_flagged_and_published_locked(s):
    _to_council(s)
    sheet = s["sheet"]
    for member, council_points in (("hd1", "2"), ("hd2", "4")):
        sheets.save_entry(sheet, s[member], s["council"], council_points, version=0)
    db.session.commit()
    # Before the council stage closes, one member does not see the other's numbers.
    assert Stage.COUNCIL in sheets.visible_stages(s["hd1"], sheet)
    assert Stage.COUNCIL not in sheets.visible_stages(s["canbo"], sheet)
    summary = sheets.council_summary(sheet)
    # Each member's sheet: 10 (GRDP) + 6 (OCOP) carried from self-scoring, plus their council points.
    assert summary.member_totals == {s["hd1"].id: Decimal("18"), s["hd2"].id: Decimal("20")}
    assert summary.total == Decimal("19") and summary.spread == Decimal("2")
    assert sheets.flagged_criteria(sheet) == {s["council"].id: (Decimal("8"), Decimal("3"))}
    sheets.advance(sheet, s["admin"])  # council → approved
    sheets.advance(sheet, s["admin"])  # approved → published
    db.session.commit()
    assert sheet.is_locked
    assert Stage.COUNCIL in sheets.visible_stages(s["canbo"], sheet)
    with pytest.raises(NotAllowed, match="đã công bố và khóa"):
        sheets.save_entry(sheet, s["admin"], s["grdp"], "1", version=0)


def test_return_from_leader_review_sends_the_sheet_back_with_a_reason(s):
    _self_score(s)
    sheets.advance(s["sheet"], s["canbo"])
    with pytest.raises(DomainError, match="Hãy ghi lý do"):
        sheets.return_sheet(s["sheet"], s["cumtruong"], "")
    sheets.return_sheet(s["sheet"], s["cumtruong"], "Thiếu minh chứng sản phẩm OCOP.")
    db.session.commit()
    assert s["sheet"].stage == Stage.SELF and s["sheet"].returned_from == Stage.LEADER
    assert s["sheet"].returned_reason == "Thiếu minh chứng sản phẩm OCOP."
    entry = sheets.stage_values(s["sheet"], Stage.SELF)[s["ocop"].id]
    sheets.save_entry(
        s["sheet"], s["canbo"], s["ocop"], "2", version=entry.version
    )  # the chain re-runs


def test_every_change_is_in_the_audit_chain(s):
    _self_score(s)
    events = db.session.scalars(
        db.select(ScoreEvent).where(ScoreEvent.action == "entry_saved")
    ).all()
    assert len(events) == 3
    assert {e.stage for e in events} == {"self"}
    from emulation.scoring.audit import verify

    assert verify().ok


def test_self_scoring_takes_quantities_from_the_latest_progress_report(s):
    today = local_today()
    from emulation.progress.models import ProgressReport, ProgressValue
    from emulation.registrations.models import Registration

    registration = db.session.scalar(db.select(Registration))
    target = registration.targets[0]
    for label, end, actual in (
        ("Quý II", today - timedelta(days=60), "8,1"),
        ("Quý III", today, "9,5"),
    ):
        report = ProgressReport(
            registration=registration, period_label=label, period_end=end, status="submitted"
        )
        report.values.append(ProgressValue(target=target, actual=Decimal(actual.replace(",", "."))))
        db.session.add(report)
    db.session.commit()
    assert sheets.prefill_from_progress(s["sheet"], s["canbo"]) == 1
    entry = sheets.stage_values(s["sheet"], Stage.SELF)[s["grdp"].id]
    assert entry.value == {"actual": "9.5"} and entry.note == "Từ báo cáo tiến độ Quý III"
    assert sheets.prefill_from_progress(s["sheet"], s["canbo"]) == 0  # never overwrites


USERS = ("canbo", "peer", "cumtruong", "admin", "hd1", "hd_ward")


def _refused(action) -> bool:
    """Whether the action was refused for who is asking (NotAllowed); nothing is kept."""
    try:
        action()
    except NotAllowed:
        return True
    except DomainError:
        return False  # allowed, but something is missing (a score, an answer)
    finally:
        db.session.rollback()
    return False


@pytest.mark.parametrize("stage", Stage.ORDER)
def test_the_predicates_say_exactly_what_the_actions_allow(s, stage):
    """For every stage and every seat: the button is shown exactly when the click would not
    be refused (the scoring window is open, so only who and when decide)."""
    s["campaign"].cross_scoring = True
    s["sheet"].stage = stage
    db.session.commit()
    sheet = s["sheet"]
    movers = set()
    for name in USERS:
        user = s[name]
        checks = (
            (sheets.can_advance, partial(sheets.advance, sheet, user)),
            (sheets.can_return, partial(sheets.return_sheet, sheet, user, "Bổ sung minh chứng.")),
            (sheets.can_prefill, partial(sheets.prefill_from_progress, sheet, user)),
        )
        for predicate, action in checks:
            shown = predicate(user, sheet)
            assert shown == (not _refused(action)), (predicate.__name__, stage, name)
            assert sheet.stage == stage
        if sheets.can_advance(user, sheet):
            movers.add(name)
    assert bool(movers) == (stage != Stage.PUBLISHED)  # someone moves it on until published


def test_the_standing_office_may_publish_once_the_council_approved_a_sheet(s):
    assert not sheets.can_publish(s["admin"], s["campaign"])
    assert _refused(lambda: sheets.publish_approved(s["campaign"], s["canbo"]))
    s["sheet"].stage = Stage.APPROVED
    db.session.commit()
    assert sheets.can_publish(s["admin"], s["campaign"])
    assert not sheets.can_publish(s["canbo"], s["campaign"])
    assert not _refused(lambda: sheets.publish_approved(s["campaign"], s["admin"]))
