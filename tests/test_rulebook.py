"""The commendation rulebook: defaults, versions in force, locking once used, working days."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from emulation.commendation import rulebook as rules
from emulation.commendation.models import AwardType, NominationList, Subject
from emulation.core.errors import DomainError, NotAllowed
from emulation.core.extensions import db
from tests.factories import make_campaign


def test_default_rulebook_carries_the_awards_and_vote_settings_of_the_law(app):
    book = rules.default_rulebook()
    db.session.commit()
    by_code = {t.code: t for t in book.award_types}
    flag = by_code["CTD_TINH"]
    assert flag.name == "Cờ thi đua của UBND tỉnh" and flag.is_collective
    assert flag.eligibility == {"rule": "cluster_first", "min_grade": "Xuất sắc"}
    assert flag.quorum == "2/3" and flag.secret_ballot and flag.denominator == "all"
    assert flag.threshold_pct == Decimal("70")
    assert by_code["CSTD_TINH"].threshold_pct == Decimal("90")
    assert by_code["CSTD_TINH"].subject == Subject.INDIVIDUAL
    assert by_code["CTD_CP"].posting_days == 10  # state-level: ten working days
    assert by_code["GK"].posting_days == 0  # optional for the others
    # Themed campaigns end in awards that do not count toward higher ones.
    assert not by_code["BK_CD"].counts_toward_higher and by_code["BK_CD"].forms == ["chuyen_de"]
    assert by_code["BK_TINH"].counts_toward_higher
    assert rules.describe_eligibility(flag) == "Dẫn đầu cụm, khối, xếp loại từ Xuất sắc"
    assert (
        rules.describe_eligibility(by_code["CSTD_TINH"])
        == "Do đơn vị đề nghị, cần 3 năm liên tục đạt CSTD_CS"
    )


def test_the_version_in_force_is_the_latest_that_took_effect(app):
    old = rules.default_rulebook(effective_from=date(2024, 1, 1), version="2024")
    new = rules.default_rulebook(effective_from=date(2026, 1, 1), version="2026")
    rules.default_rulebook(province="Điện Biên", effective_from=date(2025, 1, 1), version="2025")
    db.session.commit()
    assert rules.current_rulebook("Lai Châu", date(2023, 12, 31)) is None
    assert rules.current_rulebook("Lai Châu", date(2025, 6, 1)) is old
    assert rules.current_rulebook("Lai Châu", date(2026, 1, 1)) is new
    assert [b.version for b in rules.rulebooks("Lai Châu")] == ["2026", "2024"]


def test_a_version_used_by_a_campaign_is_copied_not_changed(app):
    book = rules.default_rulebook()
    campaign = make_campaign()
    db.session.add(NominationList(campaign=campaign, rulebook=book))
    db.session.commit()
    flag = book.type_by_code("CTD_TINH")
    with pytest.raises(NotAllowed, match="hãy tạo phiên bản mới"):
        rules.save_award_type(
            flag,
            book,
            code="CTD_TINH",
            name="Cờ thi đua",
            subject=Subject.COLLECTIVE,
            forms=["thuong_xuyen"],
            eligibility={"rule": "cluster_first"},
        )
    copy = rules.new_version(book, version="2026", effective_from=date(2026, 1, 1))
    db.session.commit()
    assert [t.code for t in copy.award_types] == [t.code for t in book.award_types]
    copied_flag = copy.type_by_code("CTD_TINH")
    rules.save_award_type(
        copied_flag,
        copy,
        code="CTD_TINH",
        name="Cờ thi đua của UBND tỉnh",
        subject=Subject.COLLECTIVE,
        forms=["thuong_xuyen"],
        eligibility={"rule": "cluster_first", "min_grade": "Tốt"},
        threshold_pct=Decimal("75"),
    )
    db.session.commit()
    assert copied_flag.threshold_pct == Decimal("75")
    assert flag.threshold_pct == Decimal("70")  # the version in use is untouched
    assert flag.eligibility["min_grade"] == "Xuất sắc"


def test_award_type_settings_are_checked_field_by_field(app):
    book = rules.default_rulebook()
    db.session.commit()
    base = dict(
        code="NEW", name="Danh hiệu mới", subject=Subject.COLLECTIVE, forms=["thuong_xuyen"]
    )
    cases = [
        (dict(eligibility={"rule": "manual"}, quorum="3/2"), "quorum"),
        (dict(eligibility={"rule": "manual"}, quorum="hai phần ba"), "quorum"),
        (dict(eligibility={"rule": "manual"}, threshold_pct=Decimal("120")), "threshold_pct"),
        (dict(eligibility={"rule": "manual"}, posting_days=-1), "posting_days"),
        (dict(eligibility={"rule": "manual"}, forms=[]), "forms"),
        (dict(eligibility={"rule": "manual"}, code="GK"), "code"),
        (dict(eligibility={"rule": "min_grade"}, subject=Subject.INDIVIDUAL), "rule"),
    ]
    for extra, field in cases:
        with pytest.raises(DomainError) as caught:
            rules.save_award_type(AwardType(), book, **{**base, **extra})
        assert caught.value.field == field, extra
        db.session.rollback()
    added = rules.save_award_type(AwardType(), book, **base, eligibility={"rule": "manual"})
    db.session.commit()
    assert added.position == len(book.award_types) - 1


def test_eligibility_is_built_from_the_form_fields(app):
    assert rules.build_eligibility("top_k", k=2, grade="Tốt", unless="ctd_tinh, ctd_cp") == {
        "rule": "top_k",
        "k": 2,
        "min_grade": "Tốt",
        "unless": ["CTD_TINH", "CTD_CP"],
    }
    assert rules.build_eligibility("manual", requires_award="cstd_cs", requires_years=3) == {
        "rule": "manual",
        "requires": {"award": "CSTD_CS", "years": 3},
    }
    with pytest.raises(DomainError) as caught:
        rules.build_eligibility("top_k", k=0)
    assert caught.value.field == "k"
    with pytest.raises(DomainError) as caught:
        rules.build_eligibility("min_grade")
    assert caught.value.field == "grade"


def test_quorum_is_a_fraction_of_all_members():
    assert rules.parse_quorum("2/3") == Fraction(2, 3)
    assert rules.parse_quorum("60%") == Fraction(3, 5)
    assert rules.parse_quorum("0,5") == Fraction(1, 2)


def test_working_days_skip_weekends_and_the_rulebook_holidays():
    friday = date(2025, 11, 21)
    # Fri 21 is day 1; the weekend is skipped; Thu 04/12 is the tenth working day.
    assert rules.working_days_end(friday, 10) == date(2025, 12, 4)
    assert rules.working_days_end(friday, 10, ["2025-12-02"]) == date(2025, 12, 5)
    saturday = date(2025, 11, 22)
    assert rules.working_days_end(saturday, 1) == date(2025, 11, 24)
    assert rules.working_days_end(saturday, 0) == saturday
    assert rules.parse_holidays("02/09/2025, 01/09/2025\n01/09/2025") == [
        "2025-09-01",
        "2025-09-02",
    ]
    with pytest.raises(DomainError, match="31/02/2025"):
        rules.parse_holidays("31/02/2025")
