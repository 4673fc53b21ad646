"""The wrap-up of a campaign (tổng kết phong trào): its figures and the written review.

`summary(campaign)` reads what every area already keeps — participants, registrations,
targets and progress reports, the official leaderboard, surveys, nominations, the council's
vote, decisions and the showcase — each with one aggregate or one bulk query, so the number
of queries stays the same whatever the number of units. Scores are never recomputed here:
they are the published leaderboard's (emulation.standings.service), itself built on emulation.totals.

The review is what figures cannot say, in the four parts of a provincial wrap-up report
(báo cáo tổng kết): notable results, shortcomings, lessons learned and the way forward. The
standing office writes it during the wrap-up phase or once the campaign is closed.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.attributes import flag_modified

from emulation.accounts.models import User
from emulation.campaigns.models import (
    Campaign,
    CampaignStatus,
    PhaseKind,
    campaign_clusters,
    campaign_units,
)
from emulation.campaigns.service import phase_is_open, windows_text
from emulation.commendation import meetings, nominations
from emulation.commendation.models import Award, AwardType, Nomination, NominationStatus
from emulation.core.clock import local_today, utcnow
from emulation.core.errors import DomainError, NotAllowed
from emulation.core.extensions import db
from emulation.core.i18n import format_number
from emulation.core.text import nfc, sort_key
from emulation.progress.models import Evidence, ProgressReport, ProgressValue, ReportStatus
from emulation.progress.service import HUNDRED, achievement_of
from emulation.registrations.models import Registration, RegistrationStatus, RegistrationTarget
from emulation.showcase.models import ShowcaseProfile
from emulation.standings import service as standings
from emulation.standings.service import OFFICIAL, Board, Row
from emulation.surveys.models import Survey, SurveyQuestion, SurveyStatus
from emulation.surveys.service import feed_channels, index_of, responses_of
from emulation.surveys.stats import Index
from emulation.units.models import ClusterMember
from emulation.wrapup.models import CampaignReview

HUNDREDTH = Decimal("0.01")
REVIEW_FIELDS = ("achievements", "shortcomings", "lessons", "next_steps")
REVIEW_MAX = 20_000


def _mean(values: list[Decimal]) -> Decimal | None:
    if not values:
        return None
    return (sum(values, Decimal(0)) / len(values)).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


def _percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * HUNDRED / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# --- the figures ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Participation:
    units: int
    clusters: int

    @property
    def has_data(self) -> bool:
        return self.units > 0


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    count: int


@dataclass(frozen=True)
class Registrations:
    by_status: tuple[StatusCount, ...]  # only the statuses some registration is in
    unregistered: int  # participants without any registration

    @property
    def registered(self) -> int:
        """Registrations sent (a draft is still being written: listed, not counted here)."""
        return sum(s.count for s in self.by_status if s.status != RegistrationStatus.DRAFT)

    @property
    def approved(self) -> int:
        return sum(s.count for s in self.by_status if s.status == RegistrationStatus.APPROVED)

    @property
    def has_data(self) -> bool:
        return bool(self.by_status)


@dataclass(frozen=True)
class AreaTargets:
    """The targets of one criteria group (usually one content area of the campaign)."""

    code: str
    title: str
    registered: int
    reported: int
    reached: int


@dataclass(frozen=True)
class Targets:
    """Targets of approved registrations; reached = the latest submitted value meets it."""

    registered: int
    reported: int
    reached: int
    areas: tuple[AreaTargets, ...]
    reports: int  # submitted progress reports
    evidence: int  # evidence files attached to them

    @property
    def reached_pct(self) -> Decimal | None:
        return _percent(self.reached, self.registered)

    @property
    def has_data(self) -> bool:
        return self.registered > 0 or self.reports > 0


@dataclass(frozen=True)
class GradeCount:
    name: str
    count: int


@dataclass(frozen=True)
class ClusterResult:
    cluster_id: int | None  # None: units taking part on their own
    name: str
    units: int
    mean: Decimal
    leaders: tuple[Row, ...]  # ranked first (more than one only on a full tie)


@dataclass(frozen=True)
class Scoring:
    """Figures of the official (published) leaderboard."""

    units: int
    mean: Decimal | None
    lowest: Decimal | None
    highest: Decimal | None
    max_total: Decimal
    grades: tuple[GradeCount, ...]
    ungraded: int
    clusters: tuple[ClusterResult, ...]
    token: str

    @property
    def has_data(self) -> bool:
        return self.units > 0


@dataclass(frozen=True)
class SurveyLine:
    survey_id: int
    code: str
    title: str
    version: int
    status_label: str
    responses: int
    index: Index | None  # overall satisfaction; None when the survey has no rated question
    min_sample: int


@dataclass(frozen=True)
class Surveys:
    lines: tuple[SurveyLine, ...]

    @property
    def responses(self) -> int:
        return sum(line.responses for line in self.lines)

    @property
    def has_data(self) -> bool:
        return bool(self.lines)


@dataclass(frozen=True)
class DecisionRef:
    number: str
    signed_on: date | None


@dataclass(frozen=True)
class AwardLine:
    """One award type: nominees on the list, how many the council passed, awards decided."""

    code: str
    name: str
    nominated: int
    passed: int | None  # None until the council's vote is closed
    awarded: int
    decisions: tuple[DecisionRef, ...]
    recipients: tuple[str, ...]


@dataclass(frozen=True)
class Commendation:
    lines: tuple[AwardLine, ...]
    voting_closed: bool

    @property
    def nominated(self) -> int:
        return sum(line.nominated for line in self.lines)

    @property
    def passed(self) -> int | None:
        return sum(line.passed or 0 for line in self.lines) if self.voting_closed else None

    @property
    def awarded(self) -> int:
        return sum(line.awarded for line in self.lines)

    @property
    def has_data(self) -> bool:
        return bool(self.lines)


@dataclass(frozen=True)
class Summary:
    campaign_id: int
    published: bool  # official results exist: the page is public
    participation: Participation
    registrations: Registrations
    targets: Targets
    scoring: Scoring
    surveys: Surveys
    commendation: Commendation
    showcase: tuple[ShowcaseProfile, ...]


def results_published(campaign: Campaign, board: Board) -> bool:
    """Whether the official leaderboard has results: from then on the wrap-up is public."""
    return campaign.status != CampaignStatus.DRAFT and board.units > 0


def can_view(user, published: bool) -> bool:
    """Everyone once results are published; before that the standing office and the council."""
    if published:
        return True
    return bool(user.is_authenticated and (user.is_admin or user.is_council_member))


def summary(campaign: Campaign, board: Board | None = None) -> Summary:
    """Every figure of the wrap-up page, in a fixed number of queries."""
    board = board or standings.board(campaign, OFFICIAL)
    participant_ids, clusters = _participants(campaign)
    return Summary(
        campaign_id=campaign.id,
        published=results_published(campaign, board),
        participation=Participation(len(participant_ids), clusters),
        registrations=_registrations(campaign, participant_ids),
        targets=target_figures(campaign),
        scoring=scoring(board),
        surveys=_surveys(campaign),
        commendation=_commendation(campaign),
        showcase=_showcase(campaign),
    )


def _participants(campaign: Campaign) -> tuple[set[int], int]:
    """(ids of the units taking part, number of participating clusters), in two queries."""
    rows = db.session.execute(
        select(campaign_clusters.c.cluster_id, ClusterMember.unit_id)
        .outerjoin(ClusterMember, ClusterMember.cluster_id == campaign_clusters.c.cluster_id)
        .where(campaign_clusters.c.campaign_id == campaign.id)
    ).all()
    units = {unit_id for _cluster, unit_id in rows if unit_id is not None}
    units.update(
        db.session.scalars(
            select(campaign_units.c.unit_id).where(campaign_units.c.campaign_id == campaign.id)
        )
    )
    return units, len({cluster_id for cluster_id, _unit in rows})


def _registrations(campaign: Campaign, participant_ids: set[int]) -> Registrations:
    rows = db.session.execute(
        select(Registration.unit_id, Registration.status).where(
            Registration.campaign_id == campaign.id
        )
    ).all()
    counts = Counter(status for _unit, status in rows)
    by_status = tuple(
        StatusCount(status, str(label), counts[status])
        for status, label in RegistrationStatus.LABELS.items()
        if counts[status]
    )
    started = {unit_id for unit_id, _status in rows}
    return Registrations(by_status, len(participant_ids - started))


def target_figures(campaign: Campaign, today: date | None = None) -> Targets:
    """Targets of approved registrations, how many have been reported on and reached (the
    latest submitted value against the target, direction-aware as emulation.progress.service says),
    per criteria group; progress reports and evidence files counted. Five queries."""
    criteria_set = getattr(campaign, "criteria_set", None)
    criteria = {c.id: c for c in criteria_set.criteria} if criteria_set is not None else {}
    targets = list(
        db.session.scalars(
            select(RegistrationTarget)
            .join(RegistrationTarget.registration)
            .where(
                Registration.campaign_id == campaign.id,
                Registration.status == RegistrationStatus.APPROVED,
            )
        )
    )
    submitted = (
        select(ProgressReport.id)
        .join(ProgressReport.registration)
        .where(
            Registration.campaign_id == campaign.id,
            ProgressReport.status == ReportStatus.SUBMITTED,
        )
    )
    latest: dict[int, Decimal] = {}
    for target_id, actual in db.session.execute(
        select(ProgressValue.target_id, ProgressValue.actual)
        .join(ProgressValue.report)
        .where(ProgressValue.report_id.in_(submitted), ProgressValue.actual.is_not(None))
        .order_by(ProgressReport.period_end.desc(), ProgressReport.id.desc())
    ):
        latest.setdefault(target_id, actual)
    reports, evidence = db.session.execute(
        select(
            select(func.count()).where(ProgressReport.id.in_(submitted)).scalar_subquery(),
            select(func.count())
            .select_from(Evidence)
            .where(Evidence.report_id.in_(submitted))
            .scalar_subquery(),
        )
    ).one()

    today = today or local_today()
    tally: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])  # root id → counts
    for target in targets:
        criterion = criteria.get(target.criterion_id)
        if criterion is None:
            continue
        root = _root(criterion, criteria)
        counts = tally[root.id]
        counts[0] += 1
        actual = latest.get(target.id)
        if actual is not None:
            counts[1] += 1
            if achievement_of(target, actual, today).reached:
                counts[2] += 1
    areas = tuple(
        AreaTargets(criteria[root_id].code, criteria[root_id].title, *counts)
        for root_id, counts in sorted(tally.items(), key=lambda item: _order(criteria, item[0]))
    )
    return Targets(
        registered=sum(a.registered for a in areas),
        reported=sum(a.reported for a in areas),
        reached=sum(a.reached for a in areas),
        areas=areas,
        reports=reports or 0,
        evidence=evidence or 0,
    )


def _root(criterion, criteria: dict):
    """The top-level group of a criterion, through the ids already loaded (no query)."""
    while criterion.parent_id is not None and criterion.parent_id in criteria:
        criterion = criteria[criterion.parent_id]
    return criterion


def _order(criteria: dict, criterion_id: int) -> tuple:
    criterion = criteria[criterion_id]
    return (criterion.position, criterion.id)


def scoring(board: Board) -> Scoring:
    """Figures of an official board as it stands: nothing is scored again."""
    rows = [row for group in board.groups for row in group.rows]
    totals = [row.total for row in rows]
    counts = Counter(row.grade for row in rows)
    names = list(board.grades) + sorted(
        (g for g in counts if g is not None and g not in board.grades), key=sort_key
    )
    clusters = tuple(
        ClusterResult(
            cluster_id=group.cluster_id,
            name=group.name,
            units=len(group.rows),
            mean=_mean([row.total for row in group.rows]),
            leaders=tuple(row for row in group.rows if row.rank == 1),
        )
        for group in board.groups
        if group.rows
    )
    return Scoring(
        units=len(rows),
        mean=_mean(totals),
        lowest=min(totals, default=None),
        highest=max(totals, default=None),
        max_total=board.max_total,
        grades=tuple(GradeCount(name, counts.get(name, 0)) for name in names),
        ungraded=counts.get(None, 0),
        clusters=clusters,
        token=board.token,
    )


def _surveys(campaign: Campaign) -> Surveys:
    """Surveys that have been opened, with their responses and overall index (four queries)."""
    surveys = list(
        db.session.scalars(
            select(Survey)
            .where(Survey.campaign_id == campaign.id, Survey.status != SurveyStatus.DRAFT)
            .options(
                selectinload(Survey.questions).joinedload(SurveyQuestion.component),
                selectinload(Survey.sections),
            )
            .order_by(Survey.code, Survey.version)
        )
    )
    by_survey = defaultdict(list)
    for response in responses_of(surveys):
        by_survey[response.survey_id].append(response)
    lines = []
    for survey in surveys:
        # The same answers the criterion feed counts (open-link ones only if the survey says so).
        allowed = feed_channels(survey)
        received = by_survey[survey.id]
        answers = [r for r in received if r.channel in allowed]
        rated = any(q.is_rated for q in survey.questions)
        lines.append(
            SurveyLine(
                survey_id=survey.id,
                code=survey.code,
                title=survey.title,
                version=survey.version,
                status_label=survey.status_label,
                responses=len(received),
                index=index_of(answers, [survey]) if rated else None,
                min_sample=survey.min_sample,
            )
        )
    return Surveys(tuple(lines))


def _commendation(campaign: Campaign) -> Commendation:
    """Nominees per award type, those the council passed, and the awards decided."""
    # One query loads every nominee with what the tally and the ordering read, so the
    # meeting's tally below finds them in the session instead of loading them one by one.
    nominees = list(
        db.session.scalars(
            select(Nomination)
            .where(Nomination.campaign_id == campaign.id)
            .options(
                joinedload(Nomination.award_type),
                joinedload(Nomination.unit),
                joinedload(Nomination.cluster),
            )
        )
    )
    awards = list(
        db.session.scalars(
            select(Award)
            .where(Award.campaign_id == campaign.id)
            .options(joinedload(Award.unit))
            .order_by(Award.decision_id, Award.id)
        )
    )
    types = {n.award_type.id: n.award_type for n in nominees}
    missing = {a.award_type_id for a in awards if a.award_type_id is not None} - set(types)
    if missing:
        types.update(
            {
                t.id: t
                for t in db.session.scalars(select(AwardType).where(AwardType.id.in_(missing)))
            }
        )
    meeting = meetings.meeting_of(campaign)
    closed = meeting is not None and meetings.is_closed(meeting)
    passed: Counter = Counter()
    if closed:
        passed.update(row.award_type.code for row in meetings.tally(meeting) if row.passed)

    # The public learns the nominees from the final list, not from the office's working copy.
    final = nominations.is_final(campaign)
    nominated = Counter(
        n.award_type.code for n in nominees if final and n.status == NominationStatus.PROPOSED
    )
    names: dict[str, str] = {t.code: t.name for t in types.values()}
    positions: dict[str, int] = {t.code: t.position for t in types.values()}
    awarded: dict[str, list[Award]] = defaultdict(list)
    for award in awards:
        awarded[award.award_code].append(award)
        names.setdefault(award.award_code, award.award_name)
    codes = sorted(
        set(nominated) | set(awarded),
        key=lambda code: (positions.get(code, 10**6), sort_key(names[code])),
    )
    lines = []
    for code in codes:
        given = awarded.get(code, [])
        decisions = tuple(
            dict.fromkeys(DecisionRef(a.decision_number, a.decision_date) for a in given)
        )
        lines.append(
            AwardLine(
                code=code,
                name=names[code],
                nominated=nominated.get(code, 0),
                passed=passed.get(code, 0) if closed else None,
                awarded=len(given),
                decisions=decisions,
                recipients=tuple(sorted((a.display_name for a in given), key=sort_key)),
            )
        )
    return Commendation(tuple(lines), closed)


def _showcase(campaign: Campaign) -> tuple[ShowcaseProfile, ...]:
    """Published typical examples of the campaign, newest publication first."""
    return tuple(
        db.session.scalars(
            select(ShowcaseProfile)
            .where(ShowcaseProfile.campaign_id == campaign.id, ShowcaseProfile.published)
            .options(
                joinedload(ShowcaseProfile.unit),
                joinedload(ShowcaseProfile.campaign),
                selectinload(ShowcaseProfile.photos),
            )
            .order_by(ShowcaseProfile.published_at.desc(), ShowcaseProfile.id.desc())
        ).unique()
    )


# --- the review -------------------------------------------------------------------------------


class StaleReview(DomainError):
    """Someone saved the review after this form was opened."""

    def __init__(self):
        super().__init__(
            _(
                "Phần đánh giá vừa được người khác lưu. Các ô đã hiện nội dung mới nhất; nội dung bạn vừa nhập được giữ ngay dưới từng ô. Hãy xem lại rồi lưu lần nữa."
            )
        )


class ReviewInvalid(DomainError):
    """Some parts are wrong; `errors` maps a field name to its message. Nothing was stored."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(_("Chưa lưu được; hãy sửa các ô được đánh dấu."))
        self.errors = errors


def review_of(campaign: Campaign) -> CampaignReview | None:
    return db.session.scalar(
        select(CampaignReview).where(CampaignReview.campaign_id == campaign.id)
    )


def edit_refusal(campaign: Campaign, user: User, day: date | None = None) -> str | None:
    """Why this user cannot write the review now, in words; None when they can: the
    standing office, during the wrap-up phase or once the campaign is closed."""
    if not (user.is_authenticated and user.is_admin):
        return _("Chỉ Thường trực Hội đồng được viết phần đánh giá tổng kết.")
    if campaign.status == CampaignStatus.CLOSED:
        return None
    if campaign.status == CampaignStatus.DRAFT:
        return _("Phong trào chưa được phát động.")
    if phase_is_open(campaign, PhaseKind.WRAPUP, day):
        return None
    return _(
        "Phần đánh giá chỉ sửa được trong giai đoạn tổng kết (%(windows)s) hoặc sau khi phong trào kết thúc.",
        windows=windows_text(campaign, PhaseKind.WRAPUP),
    )


def _clean(text: str | None) -> str:
    return nfc((text or "").replace("\r\n", "\n").replace("\r", "\n"))


def save_review(
    campaign: Campaign, user: User, values: dict[str, str], version: int
) -> CampaignReview:
    """Store the four texts. `version` is the one the form was opened with (0: no review
    yet); an older one is refused with StaleReview. Two saves racing past this check are
    still told apart at commit by the version column (SQLAlchemy's StaleDataError)."""
    refusal = edit_refusal(campaign, user)
    if refusal:
        raise NotAllowed(refusal)
    review = review_of(campaign)
    if version != (review.version if review is not None else 0):
        raise StaleReview()
    cleaned = {name: _clean(values.get(name)) for name in REVIEW_FIELDS}
    errors = {
        name: _(
            "Tối đa %(max)s ký tự; hiện có %(n)s.",
            max=format_number(REVIEW_MAX),
            n=format_number(len(text)),
        )
        for name, text in cleaned.items()
        if len(text) > REVIEW_MAX
    }
    if errors:
        raise ReviewInvalid(errors)
    if review is None:
        review = CampaignReview(campaign_id=campaign.id)
        db.session.add(review)
    for name, text in cleaned.items():
        setattr(review, name, text)
    review.updated_by_id = user.id
    review.updated_at = utcnow()
    flag_modified(
        review, "updated_at"
    )  # always an UPDATE (even within one clock tick): the version moves on
    return review
