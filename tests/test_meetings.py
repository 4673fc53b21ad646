"""Public posting, the council meeting, ballots and the tally: quorum and threshold arithmetic
with both denominators, recusal, written votes, and secrecy of the ballot."""

from __future__ import annotations

import re
from datetime import timedelta
from fractions import Fraction

import pytest
from sqlalchemy import inspect, select, text

from emulation.accounts.models import Role
from emulation.commendation import awards, decisions, meetings, nominations, posting
from emulation.commendation.models import Vote, VoteCast
from emulation.core.clock import local_today
from emulation.core.errors import DomainError, NotAllowed
from emulation.core.extensions import db
from tests.factories import make_user
from tests.test_nominations import NAMES, published


@pytest.fixture
def council(app):
    """A final list of five nominees and a council of five; the first member sits in the
    unit nominated for the two Cờ thi đua."""
    campaign, units, admin = published()
    book = nominations.rulebook_for(campaign)
    book.type_by_code("BK_TINH").denominator = "present"
    book.type_by_code("CTD_CP").secret_ballot = False
    nominations.apply_proposals(campaign, admin)
    nominations.finalize(campaign, admin)
    members = [
        make_user("hoidong1", Role.COUNCIL_MEMBER, unit=units[0], full_name="A Thành viên"),
        make_user("hoidong2", Role.COUNCIL_MEMBER, full_name="B Thành viên"),
        make_user("hoidong3", Role.COUNCIL_MEMBER, full_name="C Thành viên"),
        make_user("hoidong4", Role.COUNCIL_MEMBER, full_name="D Thành viên"),
        make_user("hoidong5", Role.COUNCIL_MEMBER, full_name="E Thành viên"),
    ]
    db.session.commit()
    by_code = {}
    for nomination in nominations.finalized(campaign):
        by_code.setdefault(nomination.award_type.code, []).append(nomination)
    return campaign, admin, members, by_code


def _ready(campaign, admin, present=4):
    """Posting over, the meeting set up with the first `present` members present."""
    today = local_today()
    nominations.nomination_list(campaign).posting_from = today - timedelta(days=30)
    meeting = meetings.create_meeting(
        campaign, admin, held_on=today, place="Phòng họp số 1", chair="Chủ tịch UBND tỉnh"
    )
    db.session.flush()
    for attendance in meetings.roll(meeting)[:present]:
        meetings.set_attendance(meeting, admin, attendance.user_id, True)
    db.session.commit()
    return meeting


def test_posting_runs_ten_working_days_and_comments_must_be_handled(council):
    today = local_today()
    campaign, admin, members, _by_code = council
    window = posting.window(campaign)
    assert window.days == 10  # Cờ thi đua của Chính phủ is on the list
    assert window.starts_on == today and window.ends_on >= today + timedelta(days=11)
    assert not posting.can_open_meeting(campaign)
    [blocker] = posting.meeting_blockers(campaign)
    assert blocker.startswith("Đang công khai danh sách đến hết ngày ")
    posting.set_start(campaign, admin, today - timedelta(days=20))
    db.session.commit()
    assert posting.can_open_meeting(campaign)
    comment = posting.submit_comment(
        campaign, content="Đơn vị này còn nợ đọng bảo hiểm xã hội.", author_name=""
    )
    db.session.commit()
    assert posting.meeting_blockers(campaign) == ["Còn 1 ý kiến của nhân dân chưa xử lý."]
    assert posting.public_comments(campaign) == []  # not shown before moderation
    with pytest.raises(DomainError) as caught:
        posting.handle_comment(comment, admin, status="dismissed", note=" ")
    assert caught.value.field == "note"
    posting.handle_comment(
        comment, admin, status="dismissed", note="Đã kiểm tra: đơn vị không nợ đọng."
    )
    db.session.commit()
    assert posting.can_open_meeting(campaign)
    assert posting.public_comments(campaign) == [comment]
    with pytest.raises(NotAllowed):
        posting.handle_comment(comment, members[0], status="accepted", note="x")


def test_a_comment_needs_content_and_may_name_a_nominee_on_the_list(council):
    campaign, _admin, _members, by_code = council
    with pytest.raises(DomainError) as caught:
        posting.submit_comment(campaign, content="   ")
    assert caught.value.field == "content"
    with pytest.raises(DomainError) as caught:
        posting.submit_comment(campaign, content="Ý kiến", nomination_id=999_999)
    assert caught.value.field == "nomination_id"
    nominee = by_code["GK"][0]
    comment = posting.submit_comment(campaign, content="Đồng tình", nomination_id=nominee.id)
    assert comment.nomination is nominee


def test_quorum_is_checked_before_voting_opens(council):
    campaign, admin, members, _by_code = council
    meeting = _ready(campaign, admin, present=3)
    # Five members, two thirds: 10/3 = 3.33…, so four must be present.
    [check, *_rest] = meetings.quorum_checks(meeting)
    assert (check.members, check.present, check.needed, check.met) == (5, 3, 4, False)
    with pytest.raises(DomainError, match=re.escape("3/5 thành viên có mặt, cần ít nhất 4 (2/3)")):
        meetings.open_voting(meeting, admin)
    meetings.set_attendance(meeting, admin, members[3].id, True)
    meetings.open_voting(meeting, admin)
    db.session.commit()
    assert meeting.status == "voting"
    with pytest.raises(NotAllowed, match="điểm danh"):
        meetings.set_attendance(meeting, admin, members[4].id, True)


def test_voting_waits_for_the_posting_window_and_the_comments(council):
    today = local_today()
    campaign, admin, _members, _by_code = council
    meeting = meetings.create_meeting(campaign, admin, held_on=today, chair="Chủ tịch UBND tỉnh")
    db.session.flush()
    for attendance in meeting.attendances:
        attendance.present = True
    posting.submit_comment(campaign, content="Đề nghị xem xét lại.")
    db.session.commit()
    with pytest.raises(DomainError) as caught:
        meetings.open_voting(meeting, admin)
    assert "Đang công khai danh sách" in caught.value.message
    assert "Còn 1 ý kiến của nhân dân chưa xử lý." in caught.value.message


@pytest.mark.parametrize(
    ("quorum", "members", "needed"),
    [(Fraction(2, 3), 9, 6), (Fraction(2, 3), 10, 7), (Fraction(1, 2), 7, 4), (Fraction(1), 3, 3)],
)
def test_the_fewest_members_that_make_a_quorum(quorum, members, needed):
    assert meetings.needed_for(quorum, members) == needed


def _vote_everything(meeting, admin, members, by_code):
    m1, m2, m3, m4, m5 = members
    flag, government = by_code["CTD_TINH"][0], by_code["CTD_CP"][0]
    bk_second, bk_third = by_code["BK_TINH"]
    gk = by_code["GK"][0]
    for member in (m2, m3, m4):
        meetings.cast(meeting, member, flag, "agree")
    meetings.cast(meeting, m5, flag, "agree", entered_by=admin)  # in writing
    for nominee in (bk_second, bk_third, gk):
        for member in (m1, m2, m3):
            meetings.cast(meeting, member, nominee, "agree")
        meetings.cast(meeting, m4, nominee, "disagree")
    meetings.cast(meeting, m5, bk_third, "disagree", entered_by=admin)
    meetings.cast(meeting, m2, government, "agree")
    meetings.cast(meeting, m3, government, "agree")
    meetings.cast(meeting, m4, government, "disagree")
    db.session.commit()


def test_tally_with_both_denominators_recusal_and_written_votes(council):
    campaign, admin, members, by_code = council
    meeting = _ready(campaign, admin)
    meetings.open_voting(meeting, admin)
    _vote_everything(meeting, admin, members, by_code)
    meetings.close_voting(meeting, admin)
    db.session.commit()
    rows = {(r.award_type.code, r.nomination.unit.name): r for r in meetings.tally(meeting)}
    # Cờ UBND tỉnh: member 1 recused (own unit) → 4 of the 5 count; 3 present + 1 written.
    flag = rows[("CTD_TINH", NAMES[0])]
    assert (flag.agree, flag.disagree, flag.recused, flag.written) == (4, 0, 1, 1)
    assert flag.text == "4/4 = 100,0 % (cần ≥ 70 % tổng số thành viên Hội đồng)"
    assert flag.passed
    # Bằng khen counts those taking part: 4 present; 3/4 passes …
    second = rows[("BK_TINH", NAMES[1])]
    assert second.text == "3/4 = 75,0 % (cần ≥ 70 % số thành viên tham gia biểu quyết)"
    assert second.passed
    # … and an absent member's written "no" joins the denominator: 3/5 fails.
    third = rows[("BK_TINH", NAMES[2])]
    assert third.text == "3/5 = 60,0 % (cần ≥ 70 % số thành viên tham gia biểu quyết)"
    assert not third.passed
    # The same 3 agree / 1 disagree over all five members fails too.
    gk = rows[("GK", NAMES[3])]
    assert gk.text == "3/5 = 60,0 % (cần ≥ 70 % tổng số thành viên Hội đồng)"
    assert not gk.passed and gk.result_label == "Không đạt"
    government = rows[("CTD_CP", NAMES[0])]
    assert (government.agree, government.denominator, government.passed) == (2, 4, False)


def test_each_member_votes_once_in_person_and_recuses_from_their_own_unit(council):
    campaign, admin, members, by_code = council
    meeting = _ready(campaign, admin)
    flag, gk = by_code["CTD_TINH"][0], by_code["GK"][0]
    with pytest.raises(NotAllowed, match="Chưa mở biểu quyết"):
        meetings.cast(meeting, members[1], gk, "agree")
    meetings.open_voting(meeting, admin)
    meetings.cast(meeting, members[1], gk, "agree")
    with pytest.raises(DomainError, match="Đã biểu quyết"):
        meetings.cast(meeting, members[1], gk, "disagree")
    with pytest.raises(NotAllowed, match="chính đơn vị mình") as caught:
        meetings.cast(meeting, members[0], flag, "agree")
    assert NAMES[0] in caught.value.message
    with pytest.raises(NotAllowed, match="không có mặt"):
        meetings.cast(meeting, members[4], gk, "agree")  # absent: only in writing
    with pytest.raises(NotAllowed, match="có mặt tại cuộc họp"):
        meetings.cast(meeting, members[2], gk, "agree", entered_by=admin)
    with pytest.raises(NotAllowed):
        meetings.cast(meeting, members[4], gk, "agree", entered_by=members[1])
    outsider = make_user("hoidong9", Role.COUNCIL_MEMBER)  # joined after the roll was taken
    with pytest.raises(NotAllowed, match="Không phải thành viên"):
        meetings.cast(meeting, outsider, gk, "agree")
    db.session.commit()
    lines = {line.nomination.id: line.state for line in meetings.ballot(meeting, members[0])}
    assert lines[flag.id] == "recused" and lines[gk.id] == "open"
    assert meetings.progress(meeting) == {gk.id: 1}
    meetings.close_voting(meeting, admin)
    with pytest.raises(NotAllowed, match="kết thúc"):
        meetings.cast(meeting, members[2], gk, "agree")


def test_a_secret_ballot_cannot_be_tied_to_a_member(council):
    campaign, admin, members, by_code = council
    meeting = _ready(campaign, admin)
    meetings.open_voting(meeting, admin)
    _vote_everything(meeting, admin, members, by_code)
    columns = {c["name"] for c in inspect(db.engine).get_columns("votes")}
    assert columns == {"id", "meeting_id", "nomination_id", "choice", "voter_id"}
    cast_columns = {c["name"] for c in inspect(db.engine).get_columns("votes_cast")}
    assert cast_columns == {"meeting_id", "nomination_id", "user_id", "written"}
    # No time on either, and no key from one to the other.
    assert {fk["referred_table"] for fk in inspect(db.engine).get_foreign_keys("votes_cast")} == {
        "meetings",
        "nominations",
        "users",
    }
    secret = [n.id for codes, ns in by_code.items() if codes != "CTD_CP" for n in ns]
    votes = db.session.scalars(select(Vote).where(Vote.nomination_id.in_(secret))).all()
    assert len(votes) == 17 and all(v.voter_id is None for v in votes)
    assert all(re.fullmatch(r"[0-9a-f]{32}", v.id) for v in votes)  # random keys, no sequence
    # Participation is known (who voted, in writing or not); the choice is not.
    assert db.session.scalar(
        select(VoteCast.written).where(
            VoteCast.user_id == members[4].id,
            VoteCast.nomination_id == by_code["CTD_TINH"][0].id,
        )
    )
    # An open ballot names its voter, as the award type says.
    government = by_code["CTD_CP"][0].id
    named = db.session.scalars(select(Vote.voter_id).where(Vote.nomination_id == government))
    assert sorted(named) == sorted(m.id for m in members[1:4])
    if db.engine.dialect.name == "sqlite":
        # Rows sit in key order, not arrival order: no rowid to sort them by.
        for table in ("votes", "votes_cast"):
            sql = db.session.scalar(
                text("SELECT sql FROM sqlite_master WHERE name = :t"), {"t": table}
            )
            assert "WITHOUT ROWID" in sql


def test_minutes_data_are_plain_dicts_from_the_tally(council):
    today = local_today()
    campaign, admin, members, by_code = council
    meeting = _ready(campaign, admin)
    meetings.open_voting(meeting, admin)
    _vote_everything(meeting, admin, members, by_code)
    meetings.close_voting(meeting, admin)
    db.session.commit()
    data = meetings.minutes_data(meeting)
    assert data["meeting"]["held_on_text"] == today.strftime("%d/%m/%Y")
    assert data["meeting"]["chair"] == "Chủ tịch UBND tỉnh"
    assert data["attendance"]["members"] == 5 and data["attendance"]["present"] == 4
    assert data["attendance"]["absent_names"] == ["E Thành viên"]
    assert data["attendance"]["written_names"] == ["E Thành viên"]
    assert data["quorum"][0]["text"] == "4/5 thành viên có mặt, cần ít nhất 4 (2/3)."
    flag = next(n for n in data["nominees"] if n["award_code"] == "CTD_TINH")
    assert flag["name"] == NAMES[0] and flag["agree"] == 4 and flag["denominator"] == 4
    assert flag["passed"] and flag["result"] == "Đạt"
    assert [n["award_code"] for n in data["nominees"]] == [
        "CTD_CP",
        "CTD_TINH",
        "BK_TINH",
        "BK_TINH",
        "GK",
    ]
    assert (data["passed"], data["total"]) == (2, 5)


def test_a_decision_awards_those_who_passed_and_writes_the_history(council):
    today = local_today()
    campaign, admin, members, by_code = council
    meeting = _ready(campaign, admin)
    meetings.open_voting(meeting, admin)
    _vote_everything(meeting, admin, members, by_code)
    book = nominations.rulebook_for(campaign)
    fields = dict(number="125/QĐ-UBND", signed_on=today, signer="Chủ tịch UBND tỉnh")
    with pytest.raises(DomainError, match="Chưa có ai"):
        decisions.create_decision(
            campaign, admin, award_type=book.type_by_code("CTD_TINH"), **fields
        )
    meetings.close_voting(meeting, admin)
    db.session.commit()
    assert [t.code for t, _rows in decisions.passed_by_type(campaign)] == ["CTD_TINH", "BK_TINH"]
    with pytest.raises(DomainError, match="Giấy khen") as caught:
        decisions.create_decision(campaign, admin, award_type=book.type_by_code("GK"), **fields)
    assert caught.value.field == "award_type_id"
    with pytest.raises(NotAllowed):
        decisions.create_decision(
            campaign, members[0], award_type=book.type_by_code("BK_TINH"), **fields
        )
    decision = decisions.create_decision(
        campaign, admin, award_type=book.type_by_code("BK_TINH"), **fields
    )
    db.session.commit()
    [award] = decision.awards
    assert award.unit.name == NAMES[1] and award.year == campaign.year
    assert award.award_name == "Bằng khen của Chủ tịch UBND tỉnh" and award.counts_toward_higher
    assert award.decision_number == "125/QĐ-UBND"
    assert awards.history_of_unit(award.unit_id) == [award]
    assert awards.awards_of_campaign(campaign) == [award]
    with pytest.raises(DomainError, match="Đã có quyết định"):
        decisions.create_decision(
            campaign, admin, award_type=book.type_by_code("BK_TINH"), **fields
        )


def test_awards_of_a_themed_campaign_never_count_toward_higher_ones(app):
    today = local_today()
    campaign, units, admin = published(form="chuyen_de")
    book = nominations.rulebook_for(campaign)
    book.type_by_code("GK_CD").counts_toward_higher = True  # even if the rulebook says so
    nominations.apply_proposals(campaign, admin)
    nominations.finalize(campaign, admin)
    member = make_user("hoidong", Role.COUNCIL_MEMBER)
    db.session.commit()
    meeting = _ready(campaign, admin, present=1)
    meetings.open_voting(meeting, admin)
    for nominee in nominations.finalized(campaign):
        meetings.cast(meeting, member, nominee, "agree")
    meetings.close_voting(meeting, admin)
    decision = decisions.create_decision(
        campaign,
        admin,
        award_type=book.type_by_code("GK_CD"),
        number="7/QĐ-UBND",
        signed_on=today,
        signer="Chủ tịch UBND tỉnh",
    )
    db.session.commit()
    assert decision.awards and not any(a.counts_toward_higher for a in decision.awards)


def test_on_postgresql_no_write_transaction_links_a_vote_to_its_voter(council):
    """PostgreSQL stamps each row with the transaction that wrote it (xmin) and keeps rows
    in arrival order; after the rewrite a vote shares neither with its VoteCast row."""
    campaign, admin, members, by_code = council
    if db.engine.dialect.name != "postgresql":
        pytest.skip("only PostgreSQL records the writing transaction on each row")
    meeting = _ready(campaign, admin)
    meetings.open_voting(meeting, admin)
    db.session.commit()
    gk = by_code["GK"][0]
    for member, choice in zip(members[:4], ("agree", "disagree", "agree", "agree"), strict=True):
        meetings.cast(meeting, member, gk, choice)
        db.session.commit()
        meetings.blur_ballots(meeting)
    votes = db.session.execute(text("SELECT xmin::text, id FROM votes ORDER BY ctid")).all()
    voted = db.session.execute(text("SELECT xmin::text FROM votes_cast")).scalars().all()
    assert len(votes) == 4 and len(voted) == 4
    assert not {stamp for stamp, _id in votes} & set(voted)
    assert len({stamp for stamp, _id in votes}) == 1  # rewritten together
    ids = [vote_id for _stamp, vote_id in votes]
    assert ids == sorted(ids)  # stored in id order, not in voting order
    assert [r.agree for r in meetings.tally(meeting) if r.nomination is gk] == [3]


def _refused(action) -> bool:
    """Whether the action was refused for who asks or when (NotAllowed); nothing is kept."""
    try:
        action()
    except NotAllowed:
        return True
    except DomainError:
        return False  # allowed, but something is missing
    finally:
        db.session.rollback()
    return False


def test_the_meeting_predicates_say_exactly_what_the_actions_allow(council):
    campaign, admin, members, _by_code = council
    meeting = _ready(campaign, admin)
    absent = meetings.roll(meeting)[-1].user_id
    for status in ("preparing", "voting", "closed"):
        meeting.status = status
        db.session.commit()
        for user in (admin, members[1]):
            assert meetings.can_prepare(user, meeting) == (
                not _refused(lambda u=user: meetings.set_attendance(meeting, u, absent, True))
            ), (status, user.username)
            assert meetings.can_prepare(user, meeting) == (
                not _refused(lambda u=user: meetings.sync_members(meeting, u))
            )
            assert meetings.can_close(user, meeting) == (
                not _refused(lambda u=user: meetings.close_voting(meeting, u))
            ), (status, user.username)
            assert posting.can_move_start(user, campaign) == (
                not _refused(lambda u=user: posting.set_start(campaign, u, local_today()))
            ), (status, user.username)
            assert nominations.can_withdraw(user, campaign) == (
                not _refused(
                    lambda u=user: nominations.remove_nomination(
                        nominations.finalized(campaign)[0], u, "Theo ý kiến của nhân dân."
                    )
                )
            ), (status, user.username)
    assert meetings.can_close(admin, meeting) is False  # closed: nobody ends it twice
