"""The commendation rulebook: award types with their eligibility, quotas, vote settings and
public posting, versioned per province and effective date.

A version a campaign has used is never changed: editing it means making a new version (a
copy) that takes effect from a later date. Working days skip Saturdays, Sundays and the
rulebook's public holidays.
"""

from __future__ import annotations

from copy import deepcopy
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, select

from emulation.campaigns.models import CampaignForm
from emulation.commendation.models import AwardType, Denominator, NominationList, Rulebook, Subject
from emulation.core.clock import format_date, local_today, parse_date
from emulation.core.errors import DomainError, NotAllowed
from emulation.core.extensions import db
from emulation.core.i18n import format_percent
from emulation.core.text import nfc

RULES = {
    "cluster_first": _l("Dẫn đầu cụm, khối"),
    "top_k": _l("Xếp trong nhóm đầu của cụm, khối"),
    "min_grade": _l("Đạt xếp loại tối thiểu"),
    "manual": _l("Do đơn vị đề nghị"),
}

DEFAULT_QUORUM = "2/3"

# Defaults from the law as the domain brief summarises it: ≥ 2/3 present, secret ballot,
# ≥ 90 % of all members for Chiến sĩ thi đua cấp tỉnh and ≥ 70 % otherwise, 10 working days
# of public posting for state-level awards (NĐ 98 Điều 46), none required for the others;
# awards of a chuyên đề campaign do not count toward higher awards (NĐ 98 Điều 4).
DEFAULT_AWARD_TYPES: list[dict] = [
    {
        "code": "CTD_CP",
        "name": "Cờ thi đua của Chính phủ",
        "subject": Subject.COLLECTIVE,
        "forms": [CampaignForm.REGULAR],
        "eligibility": {"rule": "cluster_first", "min_grade": "Xuất sắc"},
        "quota_total": 1,
        "posting_days": 10,
        "note": "Khen thưởng cấp Nhà nước, chọn trong số các đơn vị dẫn đầu cụm, khối.",
    },
    {
        "code": "CTD_TINH",
        "name": "Cờ thi đua của UBND tỉnh",
        "subject": Subject.COLLECTIVE,
        "forms": [CampaignForm.REGULAR],
        "eligibility": {"rule": "cluster_first", "min_grade": "Xuất sắc"},
        "quota_per_cluster": 1,
    },
    {
        "code": "BK_TINH",
        "name": "Bằng khen của Chủ tịch UBND tỉnh",
        "subject": Subject.COLLECTIVE,
        "forms": [CampaignForm.REGULAR],
        "eligibility": {"rule": "top_k", "k": 3, "min_grade": "Tốt", "unless": ["CTD_TINH"]},
    },
    {
        "code": "BK_CD",
        "name": "Bằng khen của Chủ tịch UBND tỉnh (theo chuyên đề)",
        "subject": Subject.COLLECTIVE,
        "forms": [CampaignForm.THEMED],
        "eligibility": {"rule": "top_k", "k": 2, "min_grade": "Tốt"},
        "counts_toward_higher": False,
    },
    {
        "code": "GK",
        "name": "Giấy khen",
        "subject": Subject.COLLECTIVE,
        "forms": [CampaignForm.REGULAR],
        "eligibility": {"rule": "min_grade", "grade": "Khá", "unless": ["CTD_TINH", "BK_TINH"]},
    },
    {
        "code": "GK_CD",
        "name": "Giấy khen (theo chuyên đề)",
        "subject": Subject.COLLECTIVE,
        "forms": [CampaignForm.THEMED],
        "eligibility": {"rule": "min_grade", "grade": "Khá", "unless": ["BK_CD"]},
        "counts_toward_higher": False,
    },
    {
        "code": "TTLDXS",
        "name": "Tập thể lao động xuất sắc",
        "subject": Subject.COLLECTIVE,
        "forms": [CampaignForm.REGULAR],
        "eligibility": {"rule": "manual"},
    },
    {
        "code": "TTLDTT",
        "name": "Tập thể lao động tiên tiến",
        "subject": Subject.COLLECTIVE,
        "forms": [CampaignForm.REGULAR],
        "eligibility": {"rule": "manual"},
    },
    {
        "code": "BK_CN",
        "name": "Bằng khen của Chủ tịch UBND tỉnh (cá nhân)",
        "subject": Subject.INDIVIDUAL,
        "forms": [CampaignForm.REGULAR],
        "eligibility": {"rule": "manual"},
    },
    {
        "code": "BK_CD_CN",
        "name": "Bằng khen của Chủ tịch UBND tỉnh theo chuyên đề (cá nhân)",
        "subject": Subject.INDIVIDUAL,
        "forms": [CampaignForm.THEMED],
        "eligibility": {"rule": "manual"},
        "counts_toward_higher": False,
    },
    {
        "code": "CSTD_TINH",
        "name": "Chiến sĩ thi đua cấp tỉnh",
        "subject": Subject.INDIVIDUAL,
        "forms": [CampaignForm.REGULAR],
        "eligibility": {"rule": "manual", "requires": {"award": "CSTD_CS", "years": 3}},
        "threshold_pct": Decimal("90"),
    },
    {
        "code": "CSTD_CS",
        "name": "Chiến sĩ thi đua cơ sở",
        "subject": Subject.INDIVIDUAL,
        "forms": [CampaignForm.REGULAR],
        "eligibility": {"rule": "manual"},
    },
    {
        "code": "LDTT",
        "name": "Lao động tiên tiến",
        "subject": Subject.INDIVIDUAL,
        "forms": [CampaignForm.REGULAR],
        "eligibility": {"rule": "manual"},
    },
]


def _award_type(position: int, spec: dict) -> AwardType:
    return AwardType(
        position=position,
        code=spec["code"],
        name=spec["name"],
        subject=spec["subject"],
        forms=list(spec["forms"]),
        eligibility=deepcopy(spec["eligibility"]),
        quota_per_cluster=spec.get("quota_per_cluster"),
        quota_total=spec.get("quota_total"),
        quorum=spec.get("quorum", DEFAULT_QUORUM),
        secret_ballot=spec.get("secret_ballot", True),
        denominator=spec.get("denominator", Denominator.ALL),
        threshold_pct=spec.get("threshold_pct", Decimal("70")),
        posting_days=spec.get("posting_days", 0),
        counts_toward_higher=spec.get("counts_toward_higher", True),
        note=spec.get("note", ""),
    )


def default_rulebook(
    province: str = "Lai Châu", effective_from: date = date(2024, 1, 1), version: str = "2024"
) -> Rulebook:
    """A rulebook with the default award types, added to the session (not committed)."""
    rulebook = Rulebook(
        province=province,
        version=version,
        effective_from=effective_from,
        note="Theo Luật Thi đua, khen thưởng 2022 và Nghị định 98/2023/NĐ-CP.",
        holidays=[],
    )
    rulebook.award_types = [_award_type(i, spec) for i, spec in enumerate(DEFAULT_AWARD_TYPES)]
    db.session.add(rulebook)
    return rulebook


def rulebooks(province: str | None = None) -> list[Rulebook]:
    """Every version, newest effective date first."""
    stmt = select(Rulebook).order_by(Rulebook.effective_from.desc(), Rulebook.id.desc())
    if province:
        stmt = stmt.where(Rulebook.province == province)
    return list(db.session.scalars(stmt))


def current_rulebook(province: str, day: date | None = None) -> Rulebook | None:
    """The version in force on `day` (today by default): the latest that took effect."""
    day = day or local_today()
    return db.session.scalar(
        select(Rulebook)
        .where(Rulebook.province == province, Rulebook.effective_from <= day)
        .order_by(Rulebook.effective_from.desc(), Rulebook.id.desc())
        .limit(1)
    )


def is_in_use(rulebook: Rulebook) -> bool:
    """Whether a campaign's nomination list follows this version (then it cannot change)."""
    if rulebook.id is None:
        return False
    return bool(
        db.session.scalar(select(exists().where(NominationList.rulebook_id == rulebook.id)))
    )


def can_manage(user) -> bool:
    """The standing office keeps the rulebook (and the discipline list); the council reads it."""
    return user.is_authenticated and user.is_admin


def can_edit(user, rulebook: Rulebook) -> bool:
    """The standing office, while no campaign's nomination list follows this version."""
    return can_manage(user) and not is_in_use(rulebook)


def require_editable(rulebook: Rulebook) -> None:
    if is_in_use(rulebook):
        raise NotAllowed(
            _(
                "Phiên bản %(v)s đã được dùng để xét khen thưởng; hãy tạo phiên bản mới để sửa.",
                v=rulebook.version,
            )
        )


def parse_holidays(text: str) -> list[str]:
    """Dates typed one per line or separated by commas (dd/mm/yyyy) → sorted ISO dates."""
    found = set()
    for piece in (text or "").replace(",", "\n").replace(";", "\n").splitlines():
        piece = piece.strip()
        if not piece:
            continue
        try:
            found.add(parse_date(piece).isoformat())
        except ValueError as exc:
            raise DomainError(
                _("Ngày nghỉ lễ không hợp lệ: %(d)s (dạng dd/mm/yyyy).", d=piece), "holidays"
            ) from exc
    return sorted(found)


def holidays_text(rulebook: Rulebook) -> str:
    return "\n".join(format_date(date.fromisoformat(d)) for d in rulebook.holidays or [])


def save_rulebook(
    rulebook: Rulebook,
    *,
    province: str,
    version: str,
    effective_from: date,
    note: str = "",
    holidays: str = "",
) -> Rulebook:
    """Validate and store a version's own fields (refused once a campaign has used it)."""
    require_editable(rulebook)
    province, version = nfc(province), nfc(version)
    if not province:
        raise DomainError(_("Cần nhập tên tỉnh."), "province")
    if not version:
        raise DomainError(_("Cần nhập tên phiên bản."), "version")
    clash = db.session.scalar(
        select(Rulebook).where(Rulebook.province == province, Rulebook.version == version)
    )
    if clash is not None and clash is not rulebook:
        raise DomainError(_("Phiên bản %(v)s đã có.", v=version), "version")
    rulebook.province, rulebook.version = province, version
    rulebook.effective_from = effective_from
    rulebook.note = nfc(note)
    rulebook.holidays = parse_holidays(holidays)
    db.session.add(rulebook)
    return rulebook


def new_version(
    source: Rulebook, *, version: str, effective_from: date, note: str = ""
) -> Rulebook:
    """A copy of `source` with all its award types, to edit and put in force from a date."""
    copy = Rulebook(holidays=list(source.holidays or []))
    save_rulebook(
        copy,
        province=source.province,
        version=version,
        effective_from=effective_from,
        note=note or source.note,
        holidays="\n".join(source.holidays or []),
    )
    for award_type in source.award_types:
        copy.award_types.append(
            AwardType(
                position=award_type.position,
                code=award_type.code,
                name=award_type.name,
                subject=award_type.subject,
                forms=list(award_type.forms or []),
                eligibility=deepcopy(award_type.eligibility or {}),
                quota_per_cluster=award_type.quota_per_cluster,
                quota_total=award_type.quota_total,
                quorum=award_type.quorum,
                secret_ballot=award_type.secret_ballot,
                denominator=award_type.denominator,
                threshold_pct=award_type.threshold_pct,
                posting_days=award_type.posting_days,
                counts_toward_higher=award_type.counts_toward_higher,
                note=award_type.note,
            )
        )
    return copy


# --- award types ------------------------------------------------------------------------------


def parse_quorum(text: str) -> Fraction:
    """ "2/3" → 2/3, "0,5" → 1/2, "60%" → 3/5; a fraction of all members in (0, 1]."""
    raw = (text or "").strip().replace(" ", "").replace(",", ".")
    try:
        value = Fraction(raw[:-1]) / 100 if raw.endswith("%") else Fraction(raw)
    except (ValueError, ZeroDivisionError) as exc:
        raise DomainError(
            _("Tỷ lệ có mặt tối thiểu viết dạng 2/3, 1/2 hoặc %(e)s.", e="60%"), "quorum"
        ) from exc
    if not 0 < value <= 1:
        raise DomainError(_("Tỷ lệ có mặt tối thiểu phải lớn hơn 0 và không quá 1."), "quorum")
    return value


def build_eligibility(
    rule: str,
    *,
    k: int | None = None,
    grade: str = "",
    or_grade: str = "",
    unless: str = "",
    requires_award: str = "",
    requires_years: int | None = None,
) -> dict:
    """The eligibility data from the form's fields, checked rule by rule."""
    if rule not in RULES:
        raise DomainError(_("Điều kiện xét không hợp lệ."), "rule")
    grade, or_grade = nfc(grade), nfc(or_grade)
    data: dict = {"rule": rule}
    if rule == "top_k":
        if not k or k < 1:
            raise DomainError(_("Cần nhập số đơn vị đầu mỗi cụm được đề nghị (từ 1)."), "k")
        data["k"] = k
        if grade:
            data["min_grade"] = grade
        if or_grade:
            data["or_min_grade"] = or_grade
    elif rule == "cluster_first":
        if grade:
            data["min_grade"] = grade
    elif rule == "min_grade":
        if not grade:
            raise DomainError(_("Cần nhập xếp loại tối thiểu."), "grade")
        data["grade"] = grade
    codes = [c.strip().upper() for c in (unless or "").replace(";", ",").split(",") if c.strip()]
    if codes:
        data["unless"] = codes
    requires_award = nfc(requires_award).upper()
    if requires_award:
        if not requires_years or requires_years < 1:
            raise DomainError(_("Cần nhập số năm liên tục (từ 1)."), "requires_years")
        data["requires"] = {"award": requires_award, "years": requires_years}
    return data


def save_award_type(
    award_type: AwardType,
    rulebook: Rulebook,
    *,
    code: str,
    name: str,
    subject: str,
    forms: list[str],
    eligibility: dict,
    quota_per_cluster: int | None = None,
    quota_total: int | None = None,
    quorum: str = DEFAULT_QUORUM,
    secret_ballot: bool = True,
    denominator: str = Denominator.ALL,
    threshold_pct: Decimal = Decimal("70"),
    posting_days: int = 0,
    counts_toward_higher: bool = True,
    note: str = "",
) -> AwardType:
    """Validate and store an award type of a version not yet used."""
    require_editable(rulebook)
    code, name = nfc(code).upper(), nfc(name)
    if not code:
        raise DomainError(_("Cần nhập mã."), "code")
    if not name:
        raise DomainError(_("Cần nhập tên hình thức khen thưởng."), "name")
    clash = rulebook.type_by_code(code)
    if clash is not None and clash is not award_type:
        raise DomainError(_("Mã %(code)s đã có trong phiên bản này.", code=code), "code")
    if subject not in Subject.LABELS:
        raise DomainError(_("Đối tượng không hợp lệ."), "subject")
    if not forms or any(f not in CampaignForm.LABELS for f in forms):
        raise DomainError(_("Chọn ít nhất một hình thức phong trào áp dụng."), "forms")
    if subject == Subject.INDIVIDUAL and eligibility.get("rule") != "manual":
        raise DomainError(
            _("Khen thưởng cá nhân do đơn vị đề nghị; chọn điều kiện “Do đơn vị đề nghị”."),
            "rule",
        )
    for value, field in ((quota_per_cluster, "quota_per_cluster"), (quota_total, "quota_total")):
        if value is not None and value < 1:
            raise DomainError(_("Số lượng tối đa phải từ 1 (để trống: không giới hạn)."), field)
    parse_quorum(quorum)
    if denominator not in Denominator.LABELS:
        raise DomainError(_("Cách tính tỷ lệ không hợp lệ."), "denominator")
    if threshold_pct is None or not Decimal(0) < threshold_pct <= Decimal(100):
        raise DomainError(
            _("Tỷ lệ đồng ý phải lớn hơn 0 và không quá %(max)s.", max=format_percent(100, 0)),
            "threshold_pct",
        )
    if posting_days is None or posting_days < 0:
        raise DomainError(_("Số ngày làm việc công khai không được âm."), "posting_days")
    is_new = award_type.id is None and award_type not in rulebook.award_types
    if is_new:
        award_type.position = max((t.position for t in rulebook.award_types), default=-1) + 1
    award_type.rulebook = rulebook
    award_type.code, award_type.name, award_type.subject = code, name, subject
    award_type.forms = list(forms)
    award_type.eligibility = eligibility
    award_type.quota_per_cluster, award_type.quota_total = quota_per_cluster, quota_total
    award_type.quorum = (quorum or DEFAULT_QUORUM).strip()
    award_type.secret_ballot = secret_ballot
    award_type.denominator = denominator
    award_type.threshold_pct = threshold_pct
    award_type.posting_days = posting_days
    award_type.counts_toward_higher = counts_toward_higher
    award_type.note = nfc(note)
    db.session.add(award_type)
    return award_type


def delete_award_type(award_type: AwardType) -> None:
    require_editable(award_type.rulebook)
    award_type.rulebook.award_types.remove(award_type)


def types_for(rulebook: Rulebook, form: str, subject: str | None = None) -> list[AwardType]:
    """The award types that apply to a campaign form (and subject), in the rulebook's order."""
    return [
        t
        for t in rulebook.award_types
        if form in (t.forms or []) and (subject is None or t.subject == subject)
    ]


def describe_eligibility(award_type: AwardType) -> str:
    """The eligibility rule in words: "Dẫn đầu cụm, khối, xếp loại từ Xuất sắc"."""
    data = award_type.eligibility or {}
    rule = data.get("rule", "manual")
    parts = []
    if rule == "cluster_first":
        parts.append(_("Dẫn đầu cụm, khối"))
        if data.get("min_grade"):
            parts.append(_("xếp loại từ %(g)s", g=data["min_grade"]))
    elif rule == "top_k":
        parts.append(_("%(k)s đơn vị đầu mỗi cụm, khối", k=data.get("k")))
        if data.get("min_grade"):
            parts.append(_("xếp loại từ %(g)s", g=data["min_grade"]))
        if data.get("or_min_grade"):
            parts.append(_("hoặc xếp loại từ %(g)s", g=data["or_min_grade"]))
    elif rule == "min_grade":
        parts.append(_("Xếp loại từ %(g)s", g=data.get("grade")))
    else:
        parts.append(str(RULES["manual"]))
    if data.get("unless"):
        parts.append(_("trừ đơn vị được đề nghị %(codes)s", codes=", ".join(data["unless"])))
    requires = data.get("requires")
    if requires:
        parts.append(
            _(
                "cần %(n)s năm liên tục đạt %(code)s",
                n=requires.get("years"),
                code=requires.get("award"),
            )
        )
    return ", ".join(str(p) for p in parts)


# --- working days -----------------------------------------------------------------------------


def is_working_day(day: date, holidays: list[str] | None = None) -> bool:
    return day.weekday() < 5 and day.isoformat() not in set(holidays or [])


def working_days_end(start: date, days: int, holidays: list[str] | None = None) -> date:
    """The last day of a window of `days` working days beginning on `start` (counted when it
    is a working day). 0 days: the window is just `start`."""
    if days <= 0:
        return start
    day, counted = start, 0
    while True:
        if is_working_day(day, holidays):
            counted += 1
            if counted == days:
                return day
        day += timedelta(days=1)
