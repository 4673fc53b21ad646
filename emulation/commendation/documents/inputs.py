"""What the dossier documents are made of: plain dataclasses, filled by whoever has the facts.

Nothing here knows about the database; `emulation.documents.sources` fills some of them from
the models, tests and other callers build them by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal

ONE_DECIMAL = Decimal("0.1")


def ratio_percent(part: Decimal | int | None, whole: Decimal | int | None) -> Decimal | None:
    """part / whole in percent, to one decimal (half up); None when it has no value."""
    if part is None or not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


@dataclass
class Signature:
    """Who signs: an optional "KT. / TM." line, the title in capitals, then the name."""

    title: str
    name: str = ""
    on_behalf: str = ""  # "KT. CHỦ TỊCH", "TM. HỘI ĐỒNG"
    note: str = ""  # "(Ký, đóng dấu)" on blank forms


# --- tờ trình (Mẫu 01) --------------------------------------------------------------------------


@dataclass
class Nominee:
    """One collective or person proposed for an award."""

    name: str
    unit: str = ""
    achievement: str = ""
    is_collective: bool = True


@dataclass
class AwardGroup:
    """The nominees for one award (hình thức khen thưởng), in the order they are listed."""

    award: str
    nominees: list[Nominee] = field(default_factory=list)

    @property
    def collectives(self) -> int:
        return sum(1 for n in self.nominees if n.is_collective)

    @property
    def individuals(self) -> int:
        return sum(1 for n in self.nominees if not n.is_collective)


@dataclass
class Submission:
    """A tờ trình đề nghị khen thưởng (NĐ 98/2023, Phụ lục I, Mẫu 01)."""

    number: str  # "123/TTr-SNV"
    issuing_body: str  # "SỞ NỘI VỤ"
    recipient: str  # "Chủ tịch Ủy ban nhân dân tỉnh Lai Châu"
    subject: str  # "Về việc đề nghị tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh …"
    signature: Signature
    parent_body: str = ""  # "UBND TỈNH LAI CHÂU" above the issuing body
    proposer: str = ""  # how the body names itself in sentences: "Sở Nội vụ"
    place: str = "Lai Châu"
    date: date | None = None  # None leaves the day blank, to be written when signed
    basis: list[str] = field(default_factory=list)  # căn cứ, one paragraph each
    body: list[str] = field(default_factory=list)  # the results that justify the proposal
    groups: list[AwardGroup] = field(default_factory=list)
    proposal: str = ""  # the sentence before the lists; a standard one when empty
    closing: str = ""  # the last sentence; a standard one when empty
    copies_to: list[str] = field(default_factory=lambda: ["Như trên;", "Lưu: VT."])

    @property
    def collectives(self) -> int:
        return sum(g.collectives for g in self.groups)

    @property
    def individuals(self) -> int:
        return sum(g.individuals for g in self.groups)


# --- báo cáo thành tích (Mẫu 02, Mẫu 03) --------------------------------------------------------


@dataclass
class TargetResult:
    """A registered target against what was reached."""

    name: str
    unit_of_measure: str = ""
    target: Decimal | None = None
    result: Decimal | None = None
    percent: Decimal | None = None  # when the caller knows better (baseline, "less is better")
    baseline: Decimal | None = None
    note: str = ""

    @property
    def achieved(self) -> Decimal | None:
        """Percent of the target reached: the given one, else result / target."""
        if self.percent is not None:
            return self.percent
        return ratio_percent(self.result, self.target)


@dataclass
class AchievementGroup:
    """Achievements under one group of criteria: targets with results, and what was done."""

    title: str
    targets: list[TargetResult] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)


@dataclass
class Standing:
    """The official result of a unit: its points, its rank in its cluster, its grade."""

    rank: int
    of: int
    total: Decimal
    max_total: Decimal | None = None
    grade: str = ""
    group: str = ""  # "Khối thi đua các cơ quan tổng hợp"


@dataclass
class PastAward:
    """A title or award received before: year, name, and the decision that granted it."""

    year: int
    name: str
    decision: str = ""  # "Quyết định số 123/QĐ-UBND ngày 05/01/2023 của UBND tỉnh Lai Châu"


@dataclass
class CollectiveReport:
    """Báo cáo thành tích of a collective (NĐ 98/2023, Phụ lục I, Mẫu 02)."""

    unit_name: str
    award: str  # "Bằng khen của Chủ tịch UBND tỉnh"
    parent_body: str = ""  # the body above the unit, on the left of the header
    period: str = ""  # "Thành tích trong Phong trào thi đua … năm 2023"
    place: str = "Lai Châu"
    date: date | None = None
    address: str = ""
    phone: str = ""
    website: str = ""
    head: str = ""  # the head of the unit, who signs
    head_title: str = "THỦ TRƯỞNG ĐƠN VỊ"
    features: list[str] = field(default_factory=list)  # đặc điểm, tình hình
    functions: list[str] = field(default_factory=list)  # chức năng, nhiệm vụ
    achievements: list[AchievementGroup] = field(default_factory=list)
    standing: Standing | None = None
    measures: list[str] = field(default_factory=list)  # biện pháp, nguyên nhân đạt thành tích
    evidence: list[str] = field(default_factory=list)  # minh chứng kèm theo
    titles_received: list[PastAward] = field(default_factory=list)  # danh hiệu thi đua
    awards_received: list[PastAward] = field(default_factory=list)  # hình thức khen thưởng


@dataclass
class Initiative:
    """A recognised initiative (sáng kiến) or research work and what it brought."""

    title: str
    recognition: str = ""  # the decision recognising it, and by whom
    benefit: str = ""  # effect and scope of application


@dataclass
class IndividualReport:
    """Báo cáo thành tích of a person (NĐ 98/2023, Phụ lục I, Mẫu 03)."""

    full_name: str
    award: str
    birth_year: int | None = None
    birth_date: date | None = None  # printed instead of the year when known
    sex: str = ""
    ethnicity: str = ""
    hometown: str = ""
    residence: str = ""
    position: str = ""  # chức vụ (Đảng, chính quyền, đoàn thể)
    unit: str = ""
    education: str = ""  # trình độ chuyên môn, nghiệp vụ
    political_theory: str = ""  # trình độ lý luận chính trị
    degrees: str = ""  # học hàm, học vị, danh hiệu, giải thưởng
    period: str = ""
    place: str = "Lai Châu"
    date: date | None = None
    duties: list[str] = field(default_factory=list)  # quyền hạn, nhiệm vụ được giao
    achievements: list[str] = field(default_factory=list)
    targets: list[TargetResult] = field(default_factory=list)
    initiatives: list[Initiative] = field(default_factory=list)
    titles_received: list[PastAward] = field(default_factory=list)
    awards_received: list[PastAward] = field(default_factory=list)
    head_title: str = "THỦ TRƯỞNG ĐƠN VỊ XÁC NHẬN, ĐỀ NGHỊ"
    head: str = ""


# --- biên bản họp Hội đồng ------------------------------------------------------------------------


@dataclass
class Attendee:
    name: str
    title: str = ""  # "Chủ tịch UBND tỉnh, Chủ tịch Hội đồng"


@dataclass
class VoteRow:
    """The council's vote on one nominee for one award."""

    name: str
    award: str
    agree: int
    disagree: int
    denominator: int  # all members, or those present, as the body's rules say
    passed: bool
    threshold: str = ""  # "≥ 70 % tổng số thành viên"
    unit: str = ""
    percent: Decimal | None = None  # when the caller computed it; else agree / denominator

    @property
    def rate(self) -> Decimal | None:
        if self.percent is not None:
            return self.percent
        return ratio_percent(self.agree, self.denominator)

    @property
    def result(self) -> str:
        return "Đạt" if self.passed else "Không đạt"


@dataclass
class Minutes:
    """Biên bản họp Hội đồng Thi đua – Khen thưởng xét đề nghị khen thưởng."""

    subject: str  # "Xét đề nghị khen thưởng tổng kết Phong trào thi đua đặc biệt …"
    held_at: datetime
    meeting_place: str  # "Phòng họp số 1, Ủy ban nhân dân tỉnh Lai Châu"
    chair: Attendee
    secretary: Attendee
    members_total: int
    members_present: int
    parent_body: str = "ỦY BAN NHÂN DÂN TỈNH LAI CHÂU"
    body: str = "HỘI ĐỒNG THI ĐUA – KHEN THƯỞNG"
    council: str = "Hội đồng Thi đua – Khen thưởng tỉnh"  # how the text names the council
    number: str = ""  # "05/BB-HĐTĐKT"; blank when the minutes carry no number
    place: str = "Lai Châu"
    absent: list[str] = field(default_factory=list)  # "Ông Nguyễn Văn A (đi công tác)"
    written_votes: int = 0  # absent members who sent their vote in writing
    ballot: str = "bỏ phiếu kín"
    quorum_rule: str = "ít nhất 2/3 tổng số thành viên Hội đồng"
    quorum_met: bool | None = None  # None: judged by the 2/3 rule
    guests: list[str] = field(default_factory=list)
    agenda: list[str] = field(default_factory=list)  # what was presented and discussed
    votes: list[VoteRow] = field(default_factory=list)
    conclusion: list[str] = field(default_factory=list)
    ended_at: time | None = None

    @property
    def members_absent(self) -> int:
        return self.members_total - self.members_present

    @property
    def has_quorum(self) -> bool:
        if self.quorum_met is not None:
            return self.quorum_met
        return self.members_present * 3 >= self.members_total * 2


# --- lists for spreadsheets ---------------------------------------------------------------------


@dataclass
class NomineeRow:
    """One line of a list of nominees."""

    name: str
    award: str
    unit: str = ""
    achievement: str = ""
    is_collective: bool = True
    total: Decimal | None = None
    rank: int | None = None
    grade: str = ""


@dataclass
class NomineeList:
    """A titled list of nominees, as published or sent with a tờ trình."""

    title: str
    rows: list[NomineeRow] = field(default_factory=list)
    subtitle: str = ""

    @classmethod
    def from_submission(cls, submission: Submission, title: str = "") -> NomineeList:
        """The nominees of a tờ trình, award by award, as the list sent with it."""
        rows = [
            NomineeRow(
                name=n.name,
                award=g.award,
                unit=n.unit,
                achievement=n.achievement,
                is_collective=n.is_collective,
            )
            for g in submission.groups
            for n in g.nominees
        ]
        subtitle = f"(Kèm theo Tờ trình số {submission.number})" if submission.number else ""
        return cls(title or "DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG", rows, subtitle)
