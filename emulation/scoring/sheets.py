"""The scoring pipeline over the database: one sheet per unit and campaign moving through
self-score → (cross-scoring) → cluster-leader review → appraisal → council → approval →
publication, with conflicts refused, numbers embargoed until their stage closes, versions
on every entry (no lost update) and every change in the audit chain.

The arithmetic is emulation.scoring's (pure); this module gathers inputs and decides who
may do what, when.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from blinker import Namespace
from flask_babel import gettext as _
from sqlalchemy import select

from emulation.accounts.models import User
from emulation.accounts.service import leads_cluster
from emulation.campaigns.models import Campaign, PhaseKind
from emulation.campaigns.service import (
    campaign_cluster_of,
    participants,
    phase_is_open,
    require_phase,
)
from emulation.core.clock import utcnow
from emulation.core.errors import DomainError, NotAllowed
from emulation.core.extensions import db
from emulation.core.i18n import current_locale, format_number
from emulation.core.numbers import format_plain, parse_number
from emulation.criteria.models import Criterion
from emulation.criteria.service import walk
from emulation.progress.models import Evidence, ProgressReport
from emulation.progress.service import latest_achievements
from emulation.registrations.models import Registration
from emulation.scoring import (
    InvalidInput,
    audit,
    score_unit,
    score_with_bests,
    table_from_criteria_set,
    totals,
)
from emulation.scoring.assignment import assign_cross_scoring
from emulation.scoring.models import (
    Aggregation,
    ConflictDeclaration,
    CrossAssignment,
    Explanation,
    ScoreEntry,
    ScoreSheet,
    Stage,
)
from emulation.scoring.totals import aggregate, combine, engine_value
from emulation.scoring.wording import with_unit
from emulation.surveys import service as surveys
from emulation.units.models import Cluster, Unit

# Sent with the campaign just before any of its sheets is published (standings listens and
# keeps the ranks as they stand, for the ↑ ↓ after the publication).
publishing = Namespace().signal("publishing")

SINGLE_VOICE = (Stage.SELF, Stage.LEADER, Stage.APPRAISAL)
ENTRY_STAGES = (Stage.SELF, Stage.CROSS, Stage.LEADER, Stage.APPRAISAL, Stage.COUNCIL)


class StaleEntry(DomainError):
    """Someone saved this number after the form was opened."""


# --- sheets and who sits where -------------------------------------------------------------


def sheet_of(campaign: Campaign, unit: Unit) -> ScoreSheet | None:
    return db.session.scalar(
        select(ScoreSheet).where(
            ScoreSheet.campaign_id == campaign.id, ScoreSheet.unit_id == unit.id
        )
    )


def ensure_sheet(campaign: Campaign, unit: Unit) -> ScoreSheet:
    sheet = sheet_of(campaign, unit)
    if sheet is None:
        sheet = ScoreSheet(campaign=campaign, unit=unit, stage=Stage.SELF)
        db.session.add(sheet)
        db.session.flush()
    return sheet


def next_stage(sheet: ScoreSheet) -> str | None:
    order = list(Stage.ORDER)
    if not sheet.campaign.cross_scoring:
        order.remove(Stage.CROSS)
    position = order.index(sheet.stage)
    return order[position + 1] if position + 1 < len(order) else None


def stage_closed(sheet: ScoreSheet, stage: str) -> bool:
    """A stage's numbers are final once the sheet has moved past it."""
    return Stage.ORDER.index(sheet.stage) > Stage.ORDER.index(stage)


def conflict_units(user: User) -> set[int]:
    """Units this person must not score: their own, its parent and children, and declared ones."""
    ids: set[int] = set()
    if user.unit is not None:
        ids.add(user.unit.id)
        if user.unit.parent_id:
            ids.add(user.unit.parent_id)
        ids.update(child.id for child in user.unit.children)
    ids.update(
        db.session.scalars(
            select(ConflictDeclaration.unit_id).where(ConflictDeclaration.user_id == user.id)
        )
    )
    return ids


def _refuse_conflict(user: User, sheet: ScoreSheet, stage: str) -> None:
    audit.record(
        "conflict_refused",
        user=user,
        campaign=sheet.campaign,
        sheet=sheet,
        stage=stage,
        reason=_("Xung đột lợi ích với %(u)s.", u=sheet.unit.name),
    )
    db.session.commit()  # the refusal is logged even though the change is not made
    raise NotAllowed(
        _(
            "Bạn không được chấm %(u)s: đơn vị của bạn, đơn vị cấp trên/cấp dưới hoặc xung đột đã khai báo.",
            u=sheet.unit.name,
        )
    )


def assigned_scorer_units(sheet: ScoreSheet) -> set[int]:
    return set(
        db.session.scalars(
            select(CrossAssignment.scorer_unit_id).where(
                CrossAssignment.campaign_id == sheet.campaign_id,
                CrossAssignment.target_unit_id == sheet.unit_id,
            )
        )
    )


def role_in(user: User, sheet: ScoreSheet) -> set[str]:
    """The stages at which this person may enter numbers on this sheet (whatever its stage now)."""
    roles = set()
    if not user.is_authenticated:
        return roles
    if user.is_unit_officer and user.unit_id == sheet.unit_id:
        roles.add(Stage.SELF)
    if user.is_unit_officer and user.unit_id in assigned_scorer_units(sheet):
        roles.add(Stage.CROSS)
    cluster = campaign_cluster_of(sheet.campaign, sheet.unit)
    if cluster is not None and user.unit_id != sheet.unit_id and leads_cluster(user, cluster):
        roles.add(Stage.LEADER)
    if user.is_admin:
        roles.add(Stage.APPRAISAL)
    if user.is_council_member:
        roles.add(Stage.COUNCIL)
    return roles


def can_view_sheet(user: User, sheet: ScoreSheet) -> bool:
    if not user.is_authenticated:
        return False
    return bool(user.is_admin or user.is_council_member or role_in(user, sheet))


def visible_stages(user: User, sheet: ScoreSheet) -> list[str]:
    """Which stages' numbers this person may see on this sheet (the embargo).

    The standing office sees everything. Others see a stage once it has closed, and their
    own numbers in an open stage; nobody sees a peer's or another scorer's open numbers."""
    if user.is_admin:
        return [s for s in ENTRY_STAGES if s != Stage.CROSS or sheet.campaign.cross_scoring]
    roles = role_in(user, sheet)
    shown = []
    for stage in ENTRY_STAGES:
        if stage == Stage.CROSS and not sheet.campaign.cross_scoring:
            continue
        if stage_closed(sheet, stage) or stage in roles:
            shown.append(stage)
    return shown


# --- entering numbers -----------------------------------------------------------------------


@dataclass
class Field:
    """What a scorer types for one criterion, by scoring type."""

    name: str  # actual | level | n | yes | points
    label: str


def input_field(criterion: Criterion) -> Field | None:
    kind = criterion.scoring_type
    if kind in ("ratio", "ratio_cluster"):
        return Field("actual", _("Kết quả thực hiện"))
    if kind == "choice":
        return Field("level", _("Mức đạt"))
    if kind in ("count", "minus"):
        return Field("n", _("Số lần"))
    if kind == "boolean":
        return Field("yes", _("Đạt"))
    if kind == "council":
        return Field("points", _("Điểm"))
    return None  # sum (computed) and survey (filled from the surveys)


def parse_entry(criterion: Criterion, text: str) -> dict:
    """The stored value for what was typed; DomainError with a field message otherwise."""
    field = input_field(criterion)
    if field is None:
        raise DomainError(_("Tiêu chí này không nhập trực tiếp."), "value")
    text = (text or "").strip()
    if field.name == "yes":
        return {"yes": text.lower() in ("1", "true", "yes", "co", "có", "dat", "đạt", "on")}
    if field.name == "level":
        levels = (criterion.params or {}).get("levels") or []
        if not text.isdigit() or not 0 <= int(text) < len(levels):
            raise DomainError(_("Hãy chọn một mức."), "value")
        return {"level": int(text)}
    try:
        number = parse_number(text)
    except ValueError as exc:
        raise DomainError(_("“%(v)s” không phải là số; ví dụ: 1.234,5", v=text), "value") from exc
    if number is None:
        raise DomainError(_("Hãy nhập một số."), "value")
    if number < 0:
        raise DomainError(_("Không nhập số âm."), "value")
    if field.name == "n":
        if number != number.to_integral_value():
            raise DomainError(_("Số lần phải là số nguyên."), "value")
        return {"n": int(number)}
    if field.name == "points" and number > criterion.max_points:
        raise DomainError(
            _("Tối đa %(m)s điểm.", m=format_number(criterion.max_points, 3, minimum=0)), "value"
        )
    return {field.name: str(number)}


def survey_values(sheet: ScoreSheet) -> dict[int, dict]:
    """The unit's survey indices for the survey-index criteria, as stored values
    ({"index", "n"}): read live from the responses while the unit self-scores."""
    return {
        criterion_id: {"index": str(index.value), "n": index.n}
        for criterion_id, index in surveys.survey_inputs(sheet.campaign, sheet.unit).items()
    }


def _fix_survey_values(sheet: ScoreSheet, user: User) -> None:
    """When self-scoring is submitted the indices are kept as the unit's numbers, so every
    later stage (and the totals) reads the same figures."""
    entered = stage_values(sheet, Stage.SELF)
    criteria = {c.id: c for c in sheet.campaign.criteria_set.criteria}
    for criterion_id, value in survey_values(sheet).items():
        entry = entered.get(criterion_id)
        if entry is not None and entry.value == value:
            continue
        criterion = criteria[criterion_id]
        if entry is None:
            entry = ScoreEntry(sheet=sheet, criterion=criterion, stage=Stage.SELF, scorer_key=0)
            db.session.add(entry)
        old = entry.value or {}
        entry.value, entry.scorer_id = value, user.id
        entry.points = leaf_points(sheet, criterion, value)
        audit.record(
            "entry_saved",
            user=user,
            campaign=sheet.campaign,
            sheet=sheet,
            criterion=criterion,
            stage=Stage.SELF,
            old=old,
            new=value,
            reason=_("Chỉ số khảo sát khi nộp phiếu tự chấm"),
        )


def registered_targets(sheet: ScoreSheet) -> dict[int, object]:
    registration = db.session.scalar(
        select(Registration).where(
            Registration.campaign_id == sheet.campaign_id, Registration.unit_id == sheet.unit_id
        )
    )
    return {t.criterion_id: t for t in registration.targets} if registration else {}


def _check_can_enter(sheet: ScoreSheet, user: User, stage: str) -> None:
    if sheet.is_locked:
        raise NotAllowed(_("Kết quả đã công bố và khóa."))
    require_phase(sheet.campaign, PhaseKind.SCORING)
    if sheet.stage != stage:
        raise NotAllowed(
            _(
                "Phiếu đang ở bước “%(now)s”, không nhập điểm bước “%(s)s”.",
                now=sheet.stage_label,
                s=str(Stage.LABELS[stage]),
            )
        )
    if stage in (Stage.CROSS, Stage.COUNCIL) and sheet.unit_id in conflict_units(user):
        _refuse_conflict(user, sheet, stage)
    if stage not in role_in(user, sheet):
        raise NotAllowed(_("Bạn không chấm bước này trên phiếu này."))


def save_entry(
    sheet: ScoreSheet, user: User, criterion: Criterion, text: str, *, version: int, note: str = ""
) -> ScoreEntry:
    """Store one number at the sheet's current stage; `version` is the entry's as it was shown
    (0 when it was empty). A newer save in between raises StaleEntry; nothing is lost."""
    stage = sheet.stage
    _check_can_enter(sheet, user, stage)
    if criterion.criteria_set.campaign_id != sheet.campaign_id or not criterion.is_leaf:
        raise NotAllowed(_("Tiêu chí không thuộc phiếu này."))
    value = parse_entry(criterion, text)
    scorer_key = user.id if stage in Stage.PER_SCORER else 0
    entry = db.session.scalar(
        select(ScoreEntry).where(
            ScoreEntry.sheet_id == sheet.id,
            ScoreEntry.criterion_id == criterion.id,
            ScoreEntry.stage == stage,
            ScoreEntry.scorer_key == scorer_key,
        )
    )
    if (entry.version if entry else 0) != version:
        raise StaleEntry(_("Điểm này vừa được người khác lưu; đã hiện giá trị mới nhất."), "value")
    old = entry.value if entry else {}
    points = leaf_points(sheet, criterion, value)  # before any change, so one write per save
    if entry is None and stage in Stage.PER_SCORER:
        _start_from_earlier(sheet, stage, user, skip=criterion.id)
    if entry is None:
        entry = ScoreEntry(sheet=sheet, criterion=criterion, stage=stage, scorer_key=scorer_key)
        db.session.add(entry)
    entry.value, entry.note, entry.scorer_id = value, note, user.id
    entry.updated_at, entry.points = utcnow(), points
    audit.record(
        "entry_saved",
        user=user,
        campaign=sheet.campaign,
        sheet=sheet,
        criterion=criterion,
        stage=stage,
        old=old,
        new=value,
        reason=note,
    )
    db.session.flush()
    return entry


def _start_from_earlier(sheet: ScoreSheet, stage: str, user: User, *, skip: int) -> None:
    """A scorer's first number on a sheet: copy the values they see carried from the
    single-voice stages into their own entries, so each scorer's numbers are complete on
    their own (totals are summed from them in SQL). Nothing effective changes, so the copy
    is not a score event; each later change by the scorer is."""
    if _entries(sheet, stage, user.id):
        return
    carried: dict[int, ScoreEntry] = {}
    for earlier in SINGLE_VOICE:
        carried.update(stage_values(sheet, earlier))
    for criterion_id, source in carried.items():
        if criterion_id == skip:
            continue
        db.session.add(
            ScoreEntry(
                sheet=sheet,
                criterion_id=criterion_id,
                stage=stage,
                scorer_key=user.id,
                scorer_id=user.id,
                value=dict(source.value),
                points=source.points,
            )
        )


def leaf_points(
    sheet: ScoreSheet, criterion: Criterion, value: dict, *, table=None, targets=None
) -> Decimal | None:
    """The leaf's points for this value alone (cluster-relative items compare later).
    `table` and `targets` may be passed in when scoring many entries of one sheet."""
    table = table or table_from_criteria_set(sheet.campaign.criteria_set)
    target = (targets if targets is not None else registered_targets(sheet)).get(criterion.id)
    engine_input = engine_value(criterion, value, target)
    if engine_input is None:
        return None
    try:
        return score_unit(table, {criterion.code: engine_input}).points.get(criterion.code)
    except InvalidInput:
        return None


# --- reading a stage -------------------------------------------------------------------------


def _entries(sheet: ScoreSheet, stage: str, scorer_key: int | None = None) -> list[ScoreEntry]:
    stmt = select(ScoreEntry).where(ScoreEntry.sheet_id == sheet.id, ScoreEntry.stage == stage)
    if scorer_key is not None:
        stmt = stmt.where(ScoreEntry.scorer_key == scorer_key)
    return list(db.session.scalars(stmt))


def stage_values(sheet: ScoreSheet, stage: str, scorer_key: int = 0) -> dict[int, ScoreEntry]:
    """criterion id → entry, for a single voice or one scorer."""
    return {e.criterion_id: e for e in _entries(sheet, stage, scorer_key)}


def effective_values(sheet: ScoreSheet, stage: str, scorer_key: int = 0) -> dict[int, dict]:
    """A stage's values, each missing one carried from the stage before (a reviewer changes
    only what they disagree with)."""
    values: dict[int, dict] = {}
    for earlier in SINGLE_VOICE:
        values.update({cid: e.value for cid, e in stage_values(sheet, earlier).items()})
        if earlier == stage:
            return values
    values.update({cid: e.value for cid, e in stage_values(sheet, stage, scorer_key).items()})
    return values


def result_of(
    sheet: ScoreSheet,
    values: dict[int, dict],
    *,
    table=None,
    targets=None,
    bests=None,
    locale: str = "vi",
):
    """The engine's result for these values (criterion id → stored value). Pass `table` and
    `targets` when scoring the same sheet several times (one page shows every stage);
    `bests` compares cluster-relative items with the cluster (else with the unit alone);
    `locale` is the language of the engine's explanation."""
    criteria_set = sheet.campaign.criteria_set
    targets = registered_targets(sheet) if targets is None else targets
    inputs = {}
    for criterion in walk(criteria_set.roots):
        if criterion.is_leaf and criterion.id in values:
            value = engine_value(criterion, values[criterion.id], targets.get(criterion.id))
            if value is not None:
                inputs[criterion.code] = value
    table = table or table_from_criteria_set(criteria_set)
    if bests is not None:
        return score_with_bests(table, inputs, bests, locale=locale)
    return score_unit(table, inputs, locale=locale)


def scorers(sheet: ScoreSheet, stage: str) -> list[int]:
    """Who has entered numbers at a per-scorer stage (user ids)."""
    return sorted({e.scorer_key for e in _entries(sheet, stage)})


def council_scorers(sheet: ScoreSheet) -> list[int]:
    return scorers(sheet, Stage.COUNCIL)


@dataclass
class StageSummary:
    total: Decimal | None
    spread: Decimal | None  # highest − lowest member total
    member_totals: dict[int, Decimal]


def council_summary(sheet: ScoreSheet) -> StageSummary:
    return stage_summary(sheet, Stage.COUNCIL)


def stage_summary(sheet: ScoreSheet, stage: str, **scoring) -> StageSummary:
    """Each scorer's total at a per-scorer stage, combined with the campaign's aggregation."""
    totals = {
        key: result_of(sheet, effective_values(sheet, stage, key), **scoring).total
        for key in scorers(sheet, stage)
    }
    if not totals:
        return StageSummary(None, None, {})
    values = list(totals.values())
    return StageSummary(
        aggregate(values, sheet.campaign.council_aggregation), max(values) - min(values), totals
    )


def flagged_criteria(sheet: ScoreSheet) -> dict[int, tuple[Decimal, Decimal]]:
    """Criteria where self and council (aggregated) differ by more than the tolerance."""
    tolerance = sheet.campaign.flag_tolerance
    own = {
        cid: e.points for cid, e in stage_values(sheet, Stage.SELF).items() if e.points is not None
    }
    council: dict[int, list[Decimal]] = {}
    for entry in _entries(sheet, Stage.COUNCIL):
        if entry.points is not None:
            council.setdefault(entry.criterion_id, []).append(entry.points)
    flags = {}
    for criterion_id, own_points in own.items():
        combined = aggregate(council.get(criterion_id, []), sheet.campaign.council_aggregation)
        if combined is not None and abs(own_points - combined) > tolerance:
            flags[criterion_id] = (own_points, combined)
    return flags


# --- moving the sheet --------------------------------------------------------------------------


def can_advance(user: User, sheet: ScoreSheet) -> bool:
    """Who may close the sheet's current stage: the unit after self-scoring, the cluster leader
    (or the standing office) after review, the standing office for the rest; nobody once
    published. The phase and what is still missing are checked by `advance` itself."""
    if sheet.is_locked:
        return False
    if sheet.stage == Stage.SELF:
        return Stage.SELF in role_in(user, sheet)
    if sheet.stage == Stage.LEADER:
        return user.is_admin or Stage.LEADER in role_in(user, sheet)
    return user.is_admin


def can_return(user: User, sheet: ScoreSheet) -> bool:
    """Who may send the sheet back to the unit: the standing office at any stage after
    self-scoring, the cluster leader during its review; nobody once published."""
    if sheet.is_locked or sheet.stage == Stage.SELF:
        return False
    return user.is_admin or (sheet.stage == Stage.LEADER and Stage.LEADER in role_in(user, sheet))


def can_publish(user: User, campaign: Campaign) -> bool:
    """The standing office, once the council has approved at least one sheet."""
    return user.is_admin and bool(_approved_sheets(campaign))


def _approved_sheets(campaign: Campaign) -> list[ScoreSheet]:
    return list(
        db.session.scalars(
            select(ScoreSheet).where(
                ScoreSheet.campaign_id == campaign.id, ScoreSheet.stage == Stage.APPROVED
            )
        )
    )


def advance(sheet: ScoreSheet, user: User, *, remember_ranks: bool = True) -> str:
    """Close the current stage and move on (who may: see `can_advance`)."""
    if sheet.is_locked:
        raise NotAllowed(_("Kết quả đã công bố và khóa."))
    stage = sheet.stage
    if not can_advance(user, sheet):
        raise NotAllowed(_("Bạn không thể chuyển phiếu khỏi bước “%(s)s”.", s=sheet.stage_label))
    if stage == Stage.APPROVED:  # publication may come with the wrap-up
        if not (
            phase_is_open(sheet.campaign, PhaseKind.SCORING)
            or phase_is_open(sheet.campaign, PhaseKind.WRAPUP)
        ):
            require_phase(sheet.campaign, PhaseKind.WRAPUP)
    else:
        require_phase(sheet.campaign, PhaseKind.SCORING)
    if stage == Stage.SELF:
        _fix_survey_values(sheet, user)
        entered = stage_values(sheet, Stage.SELF)
        missing = [
            c.code
            for c in walk(sheet.campaign.criteria_set.roots)
            if c.is_leaf and input_field(c) and c.id not in entered
        ]
        if missing:
            raise DomainError(_("Còn tiêu chí chưa tự chấm: %(codes)s.", codes=", ".join(missing)))
    if stage in (Stage.LEADER, Stage.APPRAISAL, Stage.COUNCIL) and open_explanations(sheet):
        raise DomainError(_("Còn yêu cầu giải trình chưa được đơn vị trả lời."))
    if stage == Stage.COUNCIL and not council_scorers(sheet):
        raise DomainError(_("Chưa có thành viên Hội đồng nào chấm phiếu này."))
    new = next_stage(sheet)
    if new == Stage.PUBLISHED and remember_ranks:
        publishing.send(sheet.campaign)  # the leaderboards keep their ranks for the ↑ ↓
    sheet.stage = new
    sheet.returned_reason, sheet.returned_from = "", None
    if new == Stage.PUBLISHED:
        sheet.published_at = utcnow()
    audit.record(
        "stage_closed",
        user=user,
        campaign=sheet.campaign,
        sheet=sheet,
        stage=stage,
        old=stage,
        new=new,
    )
    return new


def publish_approved(campaign: Campaign, user: User) -> int:
    """Publish every sheet the council approved, at once; the ranks before it are kept for
    the ↑ ↓ on the leaderboards. Returns how many were published."""
    if not user.is_admin:
        raise NotAllowed(_("Chỉ Thường trực Hội đồng công bố kết quả."))
    approved = _approved_sheets(campaign)
    if not approved:
        raise DomainError(_("Chưa có phiếu nào được Hội đồng thông qua để công bố."))
    publishing.send(campaign)
    for sheet in approved:
        advance(sheet, user, remember_ranks=False)
    return len(approved)


def return_sheet(sheet: ScoreSheet, user: User, reason: str) -> None:
    """Send the sheet back to the unit with a reason; the chain runs again from self-scoring."""
    if sheet.is_locked:
        raise NotAllowed(_("Kết quả đã công bố và khóa."))
    if sheet.stage == Stage.SELF:
        raise NotAllowed(_("Phiếu đang ở bước tự chấm."))
    if not can_return(user, sheet):
        raise NotAllowed(_("Bạn không thể trả lại phiếu ở bước này."))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Hãy ghi lý do trả lại để đơn vị biết cần sửa gì."), "reason")
    audit.record(
        "returned",
        user=user,
        campaign=sheet.campaign,
        sheet=sheet,
        stage=sheet.stage,
        old=sheet.stage,
        new=Stage.SELF,
        reason=reason,
    )
    sheet.returned_from, sheet.returned_reason, sheet.stage = sheet.stage, reason, Stage.SELF


def sheets_of(campaign: Campaign) -> list[ScoreSheet]:
    """Every participant's sheet in the participants' order, the missing ones created."""
    existing = {
        sheet.unit_id: sheet
        for sheet in db.session.scalars(
            select(ScoreSheet).where(ScoreSheet.campaign_id == campaign.id)
        )
    }
    found = []
    for unit in participants(campaign):
        sheet = existing.get(unit.id)
        if sheet is None:
            sheet = ScoreSheet(campaign=campaign, unit=unit, stage=Stage.SELF)
            db.session.add(sheet)
        found.append(sheet)
    db.session.flush()
    return found


@dataclass
class OverviewRow:
    sheet: ScoreSheet
    cluster: Cluster | None
    own_total: Decimal | None
    council_total: Decimal | None
    spread: Decimal | None
    flags: int


def overview(campaign: Campaign, user: User, unit_ids: set[int] | None = None) -> list[OverviewRow]:
    """The council overview: each sheet's stage, self and council totals, spread between
    members and flagged criteria — the totals in a few aggregate queries for the whole
    campaign. Numbers of a stage still open are shown to the standing office only (and a
    unit sees its own self-score)."""
    own = totals.stage_totals(campaign, Stage.SELF)
    council = totals.stage_totals(campaign, Stage.COUNCIL)
    flags = totals.flag_counts(campaign)
    cluster_of = {m.unit_id: c for c in campaign.clusters for m in c.members}
    rows = []
    for sheet in sheets_of(campaign):
        if unit_ids is not None and sheet.unit_id not in unit_ids:
            continue
        sees_own = user.is_admin or sheet.unit_id == user.unit_id or stage_closed(sheet, Stage.SELF)
        sees_council = user.is_admin or stage_closed(sheet, Stage.COUNCIL)
        mine, theirs = own.get(sheet.id), council.get(sheet.id)
        rows.append(
            OverviewRow(
                sheet,
                cluster_of.get(sheet.unit_id),
                mine.result.total if mine and sees_own else None,
                theirs.result.total if theirs and sees_council else None,
                theirs.spread if theirs and sees_council else None,
                flags.get(sheet.id, 0) if sees_council else 0,
            )
        )
    return rows


# --- what a sheet page shows -------------------------------------------------------------------


@dataclass
class Column:
    """One stage's numbers on the sheet page, as this viewer may see them."""

    stage: str
    label: str
    values: dict[int, dict]  # criterion id → stored value (empty for an aggregate)
    versions: dict[int, int]  # criterion id → entry version, for the editable column
    points: dict[str, Decimal]  # node code → points after clamping
    total: Decimal | None
    grade: str | None
    editable: bool
    note: str = ""
    spread: Decimal | None = None  # council: highest − lowest member total
    explanation: list[str] = field(default_factory=list)  # the engine's lines, unit-readable


def display_value(criterion: Criterion, value: dict | None) -> str:
    """What was entered, in words: "9,5 %", "Khá", "3", "Đạt", "8"."""
    if not value:
        return ""
    if "index" in value:
        return _(
            "%(v)s (%(n)s phiếu)",
            v=format_number(Decimal(value["index"]), 3, minimum=0),
            n=value.get("n", 0),
        )
    if "actual" in value:
        return with_unit(Decimal(value["actual"]), criterion.unit_of_measure, current_locale())
    if "level" in value:
        levels = (criterion.params or {}).get("levels") or []
        return levels[value["level"]]["label"] if value["level"] < len(levels) else ""
    if "n" in value:
        return str(value["n"])
    if "yes" in value:
        return _("Đạt") if value["yes"] else _("Không đạt")
    if "points" in value:
        return format_number(Decimal(value["points"]), 3, minimum=0)
    return ""


def editable_value(criterion: Criterion, value: dict | None) -> str:
    """A stored number as it goes back into its input: plain, no grouping, no unit, so that
    saving it unchanged reads the same number in either language."""
    if not value:
        return ""
    for key in ("actual", "points", "index"):
        if key in value:
            return format_plain(Decimal(value[key]), current_locale())
    if "n" in value:
        return str(value["n"])
    return ""


def _column(sheet, stage, values, versions, editable, note="", **scoring) -> Column:
    result = result_of(sheet, values, **scoring)
    return Column(
        stage,
        str(Stage.LABELS[stage]),
        values,
        versions,
        result.points,
        result.total,
        result.grade,
        editable,
        note,
        explanation=list(result.explanation),
    )


def stage_result(sheet: ScoreSheet, stage: str):
    """The sheet's result at a stage, the scorers combined at a per-scorer stage (None when
    nobody scored it), for the unit's profile on the leaderboards."""
    scoring = {
        "table": table_from_criteria_set(sheet.campaign.criteria_set),
        "targets": registered_targets(sheet),
    }
    if totals.has_cluster_items(sheet.campaign):
        scoring["bests"] = totals.cluster_bests_at(sheet.campaign, sheet.unit_id, stage)
    if stage not in Stage.PER_SCORER:
        return result_of(sheet, effective_values(sheet, stage), **scoring)
    results = [
        result_of(sheet, effective_values(sheet, stage, key), **scoring)
        for key in scorers(sheet, stage)
    ]
    return (
        combine(scoring["table"], results, sheet.campaign.council_aggregation) if results else None
    )


def _aggregate_column(sheet: ScoreSheet, stage: str, **scoring) -> Column:
    """Scorers' numbers combined per node and in total (the campaign's aggregation)."""
    table = scoring["table"]
    per_scorer = [
        result_of(sheet, effective_values(sheet, stage, key), **scoring)
        for key in scorers(sheet, stage)
    ]
    if not per_scorer:
        return Column(stage, str(Stage.LABELS[stage]), {}, {}, {}, None, None, False)
    combined = combine(table, per_scorer, sheet.campaign.council_aggregation)
    member_totals = [r.total for r in per_scorer]
    spread = max(member_totals) - min(member_totals)
    note = _(
        "Tổng hợp %(n)s người chấm; chênh lệch %(d)s điểm",
        n=len(per_scorer),
        d=format_number(spread, 3, minimum=0),
    )
    return Column(
        stage,
        str(Stage.LABELS[stage]),
        {},
        {},
        combined.points,
        combined.total,
        combined.grade,
        False,
        note,
        spread,
    )


def columns_for(sheet: ScoreSheet, user: User, locale: str = "vi") -> list[Column]:
    """The stages this viewer may see, each with its numbers, points, total and grade, and
    the engine's explanation in `locale`."""
    scoring = {
        "table": table_from_criteria_set(sheet.campaign.criteria_set),
        "targets": registered_targets(sheet),
        "locale": locale,
    }
    columns = []
    roles = role_in(user, sheet)
    window_open = phase_is_open(sheet.campaign, PhaseKind.SCORING)
    compare = totals.has_cluster_items(sheet.campaign) and (user.is_admin or sheet.is_locked)
    for stage in visible_stages(user, sheet):
        # Cluster-relative items are compared with the cluster where every number compared is
        # one this viewer may see: the standing office, and everyone once published.
        scoring["bests"] = (
            totals.cluster_bests_at(sheet.campaign, sheet.unit_id, stage) if compare else None
        )
        editable = sheet.stage == stage and stage in roles and not sheet.is_locked and window_open
        if stage in Stage.PER_SCORER and (
            editable or (stage in roles and not stage_closed(sheet, stage))
        ):
            values = effective_values(sheet, stage, user.id)
            versions = {cid: e.version for cid, e in stage_values(sheet, stage, user.id).items()}
            columns.append(
                _column(sheet, stage, values, versions, editable, _("Điểm của bạn"), **scoring)
            )
        elif stage in Stage.PER_SCORER:
            columns.append(_aggregate_column(sheet, stage, **scoring))
        else:
            values = effective_values(sheet, stage)
            if stage == Stage.SELF and sheet.stage == Stage.SELF:
                values = {**survey_values(sheet), **values}  # live until submitted
            versions = {cid: e.version for cid, e in stage_values(sheet, stage).items()}
            columns.append(_column(sheet, stage, values, versions, editable, **scoring))
    return columns


def can_prefill(user: User, sheet: ScoreSheet) -> bool:
    """The unit's officer while self-scoring (the phase is checked by the action)."""
    return not sheet.is_locked and sheet.stage == Stage.SELF and Stage.SELF in role_in(user, sheet)


def prefill_from_progress(sheet: ScoreSheet, user: User) -> int:
    """Self-score every quantitative criterion not yet entered with the latest submitted
    progress figure; returns how many were filled. The officer can still change each."""
    _check_can_enter(sheet, user, Stage.SELF)  # the same refusals as `can_prefill`, in words
    registration = db.session.scalar(
        select(Registration).where(
            Registration.campaign_id == sheet.campaign_id, Registration.unit_id == sheet.unit_id
        )
    )
    if registration is None:
        return 0
    achievements = latest_achievements(registration)
    entered = stage_values(sheet, Stage.SELF)
    filled = 0
    for target in registration.targets:
        achievement = achievements.get(target.id)
        criterion = target.criterion
        if achievement is None or achievement.actual is None or criterion.id in entered:
            continue
        if input_field(criterion) is None or input_field(criterion).name != "actual":
            continue
        text = format_plain(achievement.actual, "vi")  # read back by save_entry
        save_entry(
            sheet,
            user,
            criterion,
            text,
            version=0,
            note=_("Từ báo cáo tiến độ %(p)s", p=achievement.period_label),
        )
        filled += 1
    return filled


# --- giải trình ------------------------------------------------------------------------------


def can_ask(user: User, sheet: ScoreSheet) -> bool:
    """The cluster leader during its review, the standing office during appraisal or council."""
    if sheet.is_locked:
        return False
    if sheet.stage == Stage.LEADER:
        return Stage.LEADER in role_in(user, sheet) or user.is_admin
    return sheet.stage in (Stage.APPRAISAL, Stage.COUNCIL) and user.is_admin


def open_explanations(sheet: ScoreSheet) -> list[Explanation]:
    return [e for e in explanations_of(sheet) if e.is_open]


def explanations_of(sheet: ScoreSheet) -> list[Explanation]:
    return list(
        db.session.scalars(
            select(Explanation).where(Explanation.sheet_id == sheet.id).order_by(Explanation.id)
        )
    )


def request_explanation(
    sheet: ScoreSheet, user: User, criterion: Criterion, question: str
) -> Explanation:
    if not can_ask(user, sheet):
        raise NotAllowed(_("Bạn không thể yêu cầu giải trình ở bước này."))
    question = (question or "").strip()
    if not question:
        raise DomainError(_("Hãy ghi nội dung cần đơn vị giải trình."), "question")
    if criterion.criteria_set.campaign_id != sheet.campaign_id:
        raise NotAllowed(_("Tiêu chí không thuộc phiếu này."))
    explanation = Explanation(
        sheet=sheet,
        criterion=criterion,
        stage=sheet.stage,
        question=question,
        requested_by_id=user.id,
    )
    db.session.add(explanation)
    audit.record(
        "explanation_requested",
        user=user,
        campaign=sheet.campaign,
        sheet=sheet,
        criterion=criterion,
        stage=sheet.stage,
        reason=question,
    )
    return explanation


def unit_evidence(sheet: ScoreSheet) -> list:
    """The unit's evidence files in this campaign, to point to from an answer."""
    return list(
        db.session.scalars(
            select(Evidence)
            .join(ProgressReport, Evidence.report_id == ProgressReport.id)
            .join(Registration, ProgressReport.registration_id == Registration.id)
            .where(
                Registration.campaign_id == sheet.campaign_id, Registration.unit_id == sheet.unit_id
            )
            .order_by(Evidence.id)
        )
    )


def can_answer(user: User, sheet: ScoreSheet) -> bool:
    """Only the unit's own officers answer a request for an explanation."""
    return user.is_unit_officer and user.unit_id == sheet.unit_id


def answer_explanation(
    explanation: Explanation, user: User, answer: str, evidence_ids: list[int]
) -> None:
    sheet = explanation.sheet
    if not can_answer(user, sheet):
        raise NotAllowed(_("Chỉ cán bộ của đơn vị mới trả lời giải trình."))
    if not explanation.is_open:
        raise NotAllowed(_("Yêu cầu này đã được trả lời."))
    answer = (answer or "").strip()
    if not answer:
        raise DomainError(_("Hãy ghi nội dung giải trình."), "answer")
    allowed = {e.id for e in unit_evidence(sheet)}
    chosen = [i for i in evidence_ids if i in allowed]
    explanation.answer, explanation.evidence_ids = answer, chosen
    explanation.answered_by_id, explanation.answered_at = user.id, utcnow()
    audit.record(
        "explanation_answered",
        user=user,
        campaign=sheet.campaign,
        sheet=sheet,
        criterion=explanation.criterion,
        stage=explanation.stage,
        new={"evidence": chosen},
        reason=answer,
    )


# --- chấm chéo -------------------------------------------------------------------------------


def draw_cross_assignments(
    campaign: Campaign, user: User, *, per_unit: int, seed: int
) -> list[CrossAssignment]:
    """Draw who cross-scores whom within each participating cluster, reproducibly from `seed`,
    and log the draw in the audit chain. Refused once any cross-score has been entered."""
    if not can_configure_scoring(user):
        raise NotAllowed(_("Chỉ Thường trực Hội đồng bốc thăm chấm chéo."))
    if not campaign.cross_scoring:
        raise NotAllowed(_("Phong trào này không chấm chéo."))
    started = db.session.scalar(
        select(ScoreEntry.id)
        .join(ScoreSheet, ScoreEntry.sheet_id == ScoreSheet.id)
        .where(ScoreSheet.campaign_id == campaign.id, ScoreEntry.stage == Stage.CROSS)
        .limit(1)
    )
    if started:
        raise NotAllowed(_("Đã có điểm chấm chéo; không bốc thăm lại được."))
    clusters = {cluster.id: [m.unit_id for m in cluster.members] for cluster in campaign.clusters}
    try:
        draw = assign_cross_scoring(clusters, per_unit, seed)
    except ValueError as error:
        raise DomainError(str(error), "per_unit") from error
    for old in db.session.scalars(
        select(CrossAssignment).where(CrossAssignment.campaign_id == campaign.id)
    ):
        db.session.delete(old)
    db.session.flush()
    rows = [
        CrossAssignment(
            campaign_id=campaign.id, scorer_unit_id=scorer, target_unit_id=target, seed=seed
        )
        for scorer, target in draw.pairs
    ]
    db.session.add_all(rows)
    audit.record(
        "cross_assignment_drawn",
        user=user,
        campaign=campaign,
        stage=Stage.CROSS,
        new={"seed": seed, "per_unit": per_unit, "pairs": len(rows)},
        reason="\n".join(draw.log_lines()),
    )
    return rows


def cross_assignments(campaign: Campaign) -> list[CrossAssignment]:
    return list(
        db.session.scalars(
            select(CrossAssignment)
            .where(CrossAssignment.campaign_id == campaign.id)
            .order_by(CrossAssignment.id)
        )
    )


def sheets_to_cross_score(campaign: Campaign, user: User) -> list[ScoreSheet]:
    """The sheets this officer's unit was drawn to cross-score."""
    if not user.is_unit_officer or user.unit_id is None:
        return []
    targets = [
        a.target_unit_id for a in cross_assignments(campaign) if a.scorer_unit_id == user.unit_id
    ]
    return [ensure_sheet(campaign, db.session.get(Unit, unit_id)) for unit_id in targets]


def can_configure_scoring(user: User) -> bool:
    """How a campaign is scored (settings, the cross-scoring draw) is the standing office's."""
    return user.is_admin


def save_scoring_settings(
    campaign: Campaign, user: User, *, cross_scoring: bool, aggregation: str, tolerance: Decimal
) -> None:
    if not can_configure_scoring(user):
        raise NotAllowed(_("Chỉ Thường trực Hội đồng thay đổi cách chấm."))
    if aggregation not in Aggregation.LABELS:
        raise DomainError(_("Cách tổng hợp không hợp lệ."), "aggregation")
    if tolerance < 0:
        raise DomainError(_("Ngưỡng chênh lệch không được âm."), "tolerance")
    started = db.session.scalar(
        select(ScoreSheet.id)
        .where(ScoreSheet.campaign_id == campaign.id, ScoreSheet.stage != Stage.SELF)
        .limit(1)
    )
    if started and cross_scoring != campaign.cross_scoring:
        raise NotAllowed(_("Đã có phiếu qua bước tự chấm; không đổi việc chấm chéo được nữa."))
    campaign.cross_scoring, campaign.council_aggregation, campaign.flag_tolerance = (
        cross_scoring,
        aggregation,
        tolerance,
    )
    audit.record(
        "scoring_settings",
        user=user,
        campaign=campaign,
        new={"cross_scoring": cross_scoring, "aggregation": aggregation, "tolerance": tolerance},
    )


def evidence_by_criterion(files: list[Evidence]) -> dict[int, list[Evidence]]:
    """Evidence files (from unit_evidence) grouped by the criterion of their target."""
    shown: dict[int, list] = {}
    for evidence in files:
        if evidence.target is not None:
            shown.setdefault(evidence.target.criterion_id, []).append(evidence)
    return shown
