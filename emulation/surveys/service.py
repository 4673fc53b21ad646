"""Surveys (khảo sát) that feed the evaluation: who may answer, the anonymous submission,
results, and each unit's index for a survey-index criterion (the questionnaire itself is
built in emulation.surveys.builder).

A survey is about some of the campaign's units (all of them when none is chosen) and is
answered through single-use tokens printed per unit, an open link (lower trust), or by
signed-in officials. Indices pool a survey's versions by component code.

Anonymity: a submission spends the token or records the official in tables that share
nothing with the response (see emulation.surveys.models); both happen in one transaction,
the token through a conditional UPDATE whose row count decides, so two simultaneous
submissions of one token store exactly one response.
"""

from __future__ import annotations

import re
import secrets
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from emulation.accounts.models import User
from emulation.campaigns.models import Campaign, CampaignStatus
from emulation.campaigns.service import participants
from emulation.core.clock import format_date, local_today
from emulation.core.errors import DomainError, NotAllowed
from emulation.core.extensions import db
from emulation.core.text import nfc
from emulation.criteria.models import Criterion
from emulation.criteria.service import walk
from emulation.surveys.answers import evaluate, rated_answers
from emulation.surveys.models import (
    Channel,
    QuestionKind,
    Survey,
    SurveyComponent,
    SurveyDraft,
    SurveyParticipation,
    SurveyQuestion,
    SurveyResponse,
    SurveyStatus,
    SurveyToken,
    SurveyTokenBatch,
)
from emulation.surveys.stats import Index, UnitIndex, choice_counts, distribution, likert_index
from emulation.units.models import Unit
from emulation.units.service import sorted_units

TOKEN_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no I, O, 0, 1 to misread
TOKEN_LENGTH = 8
MAX_BATCH = 500
DRAFT_DAYS = 30


class TokenProblem(NotAllowed):
    """A token that cannot be used; `kind` is "unknown" or "used"."""

    def __init__(self, message: str, kind: str):
        super().__init__(message)
        self.kind = kind


class AlreadyAnswered(NotAllowed):
    """This official has already answered about this unit."""


# --- reading --------------------------------------------------------------------------------


def surveys_of(campaign: Campaign) -> list[Survey]:
    """The campaign's surveys, by code then newest version first."""
    return list(
        db.session.scalars(
            select(Survey)
            .where(Survey.campaign_id == campaign.id)
            .order_by(Survey.code, Survey.version.desc())
        )
    )


def all_surveys() -> list[Survey]:
    """Every survey, newest first."""
    return list(
        db.session.scalars(
            select(Survey).order_by(Survey.created_at.desc(), Survey.code, Survey.version.desc())
        )
    )


def survey_by_public_code(code: str) -> Survey | None:
    """The survey behind an open link /ks/<code>."""
    return db.session.scalar(select(Survey).where(Survey.public_code == (code or "").lower()))


def response_count(survey: Survey) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(SurveyResponse)
        .where(SurveyResponse.survey_id == survey.id)
    )


def has_responses(survey: Survey) -> bool:
    """Whether anyone has answered (the questions are frozen from then on)."""
    return bool(
        db.session.scalar(select(SurveyResponse.id).where(SurveyResponse.survey_id == survey.id))
    )


def survey_units(survey: Survey) -> list[Unit]:
    """The units a survey is about: those chosen, or every participant of the campaign."""
    return sorted_units(survey.units) if survey.units else participants(survey.campaign)


def is_about(survey: Survey, unit: Unit) -> bool:
    return any(u.id == unit.id for u in survey_units(survey))


def random_code(alphabet: str, length: int) -> str:
    """A code from a cryptographic source: tokens and links must not be guessable."""
    return "".join(secrets.choice(alphabet) for _position in range(length))


def check_campaign_open(campaign: Campaign) -> None:
    """A closed campaign's surveys are read-only."""
    if campaign.status == CampaignStatus.CLOSED:
        raise NotAllowed(_("Phong trào đã kết thúc; không thể thay đổi."))


# --- who answers ----------------------------------------------------------------------------


def closed_reason(survey: Survey, day: date | None = None) -> str | None:
    """Why a survey takes no answers now, or None when it does."""
    day = day or local_today()
    if survey.campaign.status != CampaignStatus.LAUNCHED or survey.status == SurveyStatus.DRAFT:
        return _("Khảo sát này chưa mở.")
    if survey.status == SurveyStatus.CLOSED:
        return _("Khảo sát này đã kết thúc. Cảm ơn bạn đã quan tâm.")
    if survey.opens_on and day < survey.opens_on:
        return _("Khảo sát bắt đầu nhận phiếu từ ngày %(d)s.", d=format_date(survey.opens_on))
    if survey.closes_on and day > survey.closes_on:
        return _("Khảo sát đã hết hạn nhận phiếu ngày %(d)s.", d=format_date(survey.closes_on))
    return None


def normalize_token(text: str) -> str:
    """What people type or scan: "abcd-efgh", "ABCD EFGH" → "ABCDEFGH"."""
    return re.sub(r"[\s-]", "", nfc(text)).upper()


def format_token(code: str) -> str:
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}"


def token_by_code(text: str) -> SurveyToken | None:
    code = normalize_token(text)
    if not code or len(code) > 16:
        return None
    return db.session.scalar(select(SurveyToken).where(SurveyToken.code == code))


def check_token(token: SurveyToken | None) -> SurveyToken:
    """The token, if it can still be used; TokenProblem says why not."""
    if token is None:
        raise TokenProblem(
            _("Mã phiếu không đúng. Hãy kiểm tra lại mã in trên phiếu hoặc quét lại mã QR."),
            "unknown",
        )
    if token.used:
        raise _used_token()
    return token


def generate_tokens(survey: Survey, unit: Unit, count: int) -> SurveyTokenBatch:
    """A batch of `count` single-use tokens for one unit."""
    check_campaign_open(survey.campaign)
    if not survey.allow_tokens:
        raise NotAllowed(_("Khảo sát này không dùng mã phiếu."))
    if survey.status == SurveyStatus.CLOSED:
        raise NotAllowed(_("Khảo sát đã đóng."))
    if not is_about(survey, unit):
        raise DomainError(_("Khảo sát không đánh giá %(unit)s.", unit=unit.name), "unit_id")
    if not 1 <= count <= MAX_BATCH:
        raise DomainError(_("Mỗi đợt in từ 1 đến %(n)d mã.", n=MAX_BATCH), "count")
    codes: set[str] = set()
    while len(codes) < count:
        wanted = {random_code(TOKEN_ALPHABET, TOKEN_LENGTH) for _ in range(count - len(codes))}
        taken = set(
            db.session.scalars(select(SurveyToken.code).where(SurveyToken.code.in_(wanted)))
        )
        codes |= wanted - taken
    batch = SurveyTokenBatch(survey=survey, unit=unit, size=count)
    for code in sorted(codes):
        batch.tokens.append(SurveyToken(survey_id=survey.id, unit_id=unit.id, code=code))
    db.session.add(batch)
    return batch


def token_batches(survey: Survey) -> list[SurveyTokenBatch]:
    return list(
        db.session.scalars(
            select(SurveyTokenBatch)
            .where(SurveyTokenBatch.survey_id == survey.id)
            .order_by(SurveyTokenBatch.created_at.desc(), SurveyTokenBatch.id.desc())
        )
    )


def token_counts(survey: Survey) -> dict[int, tuple[int, int]]:
    """unit id → (tokens issued, tokens used)."""
    rows = db.session.execute(
        select(SurveyToken.unit_id, func.count(), func.sum(SurveyToken.used.cast(db.Integer)))
        .where(SurveyToken.survey_id == survey.id)
        .group_by(SurveyToken.unit_id)
    )
    return {unit_id: (issued, int(used or 0)) for unit_id, issued, used in rows}


def batch_counts(batch: SurveyTokenBatch) -> tuple[int, int]:
    used = sum(1 for t in batch.tokens if t.used)
    return len(batch.tokens), used


def has_answered(survey: Survey, user: User, unit: Unit) -> bool:
    return db.session.get(SurveyParticipation, (survey.id, user.id, unit.id)) is not None


def check_login_respondent(survey: Survey, user: User, unit: Unit) -> None:
    if user.unit_id is not None and user.unit_id == unit.id:
        raise NotAllowed(_("Bạn không tự đánh giá đơn vị của mình."))
    if has_answered(survey, user, unit):
        raise AlreadyAnswered(
            _("Bạn đã gửi phiếu đánh giá %(unit)s trong khảo sát này.", unit=unit.name)
        )


def submit_response(
    survey: Survey,
    unit: Unit,
    raws: dict,
    *,
    channel: str,
    token: SurveyToken | None = None,
    user: User | None = None,
    day: date | None = None,
):
    """Store one anonymous response; returns the Evaluation (with errors, nothing stored).

    Spends the token (or records the official) and adds the response in the session's
    transaction; the caller commits. The token is spent by a conditional UPDATE: of two
    simultaneous submissions only one changes the row, and the other raises TokenProblem.
    """
    reason = closed_reason(survey, day)
    if reason:
        raise NotAllowed(reason)
    if channel not in survey.channels:
        raise NotAllowed(_("Khảo sát này không nhận phiếu theo cách này."))
    if not is_about(survey, unit):
        raise NotAllowed(_("Khảo sát không đánh giá %(unit)s.", unit=unit.name))
    result = evaluate(survey.ordered_questions, raws)
    if not result.complete:
        return result
    if channel == Channel.TOKEN:
        if token is None or token.survey_id != survey.id or token.unit_id != unit.id:
            raise TokenProblem(_("Mã phiếu không thuộc khảo sát này."), "unknown")
        spent = db.session.execute(
            update(SurveyToken)
            .where(SurveyToken.id == token.id, SurveyToken.used.is_(False))
            .values(used=True)
            .execution_options(synchronize_session=False)
        )
        if spent.rowcount != 1:
            raise _used_token()
    elif channel == Channel.LOGIN:
        if user is None:
            raise NotAllowed(_("Cần đăng nhập để trả lời khảo sát này."))
        check_login_respondent(survey, user, unit)
        db.session.add(SurveyParticipation(survey_id=survey.id, user_id=user.id, unit_id=unit.id))
        try:
            db.session.flush()
        except IntegrityError as exc:  # a second tab sent the same answer a moment ago
            raise AlreadyAnswered(
                _("Bạn đã gửi phiếu đánh giá %(unit)s trong khảo sát này.", unit=unit.name)
            ) from exc
    db.session.add(
        SurveyResponse(
            id=uuid.uuid4().hex,
            survey_id=survey.id,
            unit_id=unit.id,
            channel=channel,
            submitted_on=day or local_today(),
            answers=result.values,
        )
    )
    return result


def blur_who_answered(survey: Survey) -> None:
    """Rewrite the survey's spent tokens and participations together, in a transaction of
    their own, after a submission has been committed.

    PostgreSQL keeps on every row the id of the transaction that wrote it (xmin), and a
    token is spent in the transaction that stores its response, so the two would share
    one. Rewritten together, every spent token and every participation of the survey
    carries one newer transaction id, and their order in the table no longer follows the
    order of answering. SQLite keeps neither, so there is nothing to do there."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    db.session.execute(
        update(SurveyToken)
        .where(SurveyToken.survey_id == survey.id, SurveyToken.used.is_(True))
        .values(used=True)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        update(SurveyParticipation)
        .where(SurveyParticipation.survey_id == survey.id)
        .values(unit_id=SurveyParticipation.unit_id)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def _used_token() -> TokenProblem:
    return TokenProblem(
        _("Mã phiếu này đã được dùng. Mỗi mã chỉ dùng để gửi một phiếu trả lời."), "used"
    )


# --- drafts (progress kept between visits) --------------------------------------------------


def load_draft(survey: Survey, key: str | None) -> dict:
    if not key:
        return {}
    draft = db.session.get(SurveyDraft, key)
    return dict(draft.answers) if draft is not None and draft.survey_id == survey.id else {}


def save_draft(survey: Survey, key: str | None, raws: dict) -> str:
    """Keep what was typed under the browser's key (a new one when it has none)."""
    draft = db.session.get(SurveyDraft, key) if key else None
    if draft is None or draft.survey_id != survey.id:
        draft = SurveyDraft(id=secrets.token_urlsafe(32), survey_id=survey.id)
        db.session.add(draft)
    draft.answers = raws
    draft.updated_on = local_today()
    return draft.id


def drop_draft(key: str | None) -> None:
    """Forget a draft once sent, and drafts nobody touched for a month."""
    if key:
        db.session.execute(delete(SurveyDraft).where(SurveyDraft.id == key))
    stale = local_today() - timedelta(days=DRAFT_DAYS)
    db.session.execute(delete(SurveyDraft).where(SurveyDraft.updated_on < stale))


# --- indices --------------------------------------------------------------------------------


def versions_of(campaign: Campaign, code: str) -> list[Survey]:
    return list(
        db.session.scalars(
            select(Survey)
            .where(Survey.campaign_id == campaign.id, Survey.code == code)
            .order_by(Survey.version)
        )
    )


def scope_questions(survey: Survey, component: str = "") -> list[SurveyQuestion]:
    """Rated questions counted for a component code, or for the overall index ("")."""
    rated = [q for q in survey.ordered_questions if q.is_rated]
    if component:
        return [q for q in rated if q.component is not None and q.component.code == component]
    if any(q.component is not None for q in rated):
        return [q for q in rated if q.component is not None]
    return rated


def responses_of(
    surveys: Iterable[Survey],
    *,
    unit: Unit | None = None,
    channels: Iterable[str] | None = None,
) -> list[SurveyResponse]:
    ids = [s.id for s in surveys]
    if not ids:
        return []
    stmt = select(SurveyResponse).where(SurveyResponse.survey_id.in_(ids))
    if unit is not None:
        stmt = stmt.where(SurveyResponse.unit_id == unit.id)
    if channels is not None:
        stmt = stmt.where(SurveyResponse.channel.in_(list(channels)))
    return list(db.session.scalars(stmt.order_by(SurveyResponse.unit_id, SurveyResponse.id)))


def index_of(
    responses: Iterable[SurveyResponse], surveys: Iterable[Survey], component: str = ""
) -> Index:
    """The index of some responses (of several versions) for a component code or overall."""
    scopes = {s.id: scope_questions(s, component) for s in surveys}
    per_response = []
    for response in responses:
        answers: list[int] = []
        for question in scopes.get(response.survey_id, []):
            answers += rated_answers(question, response.answers.get(question.code))
        per_response.append(answers)
    return likert_index(per_response)


def feed_channels(survey: Survey) -> tuple[str, ...]:
    """Channels whose responses count in the criterion feed."""
    if survey.open_in_index:
        return (Channel.TOKEN, Channel.LOGIN, Channel.OPEN)
    return Channel.TRUSTED


def _feed_responses(versions: list[Survey], unit: Unit) -> list[SurveyResponse]:
    responses = responses_of(versions, unit=unit)
    allowed = {s.id: feed_channels(s) for s in versions}
    return [r for r in responses if r.channel in allowed[r.survey_id]]


def _criterion_versions(campaign: Campaign, criterion: Criterion) -> list[Survey]:
    code = nfc(str((criterion.params or {}).get("survey") or ""))
    if not code:
        codes = {s.code for s in surveys_of(campaign)}
        if len(codes) != 1:
            return []
        code = codes.pop()
    return versions_of(campaign, code)


def unit_index(campaign: Campaign, unit: Unit, criterion: Criterion) -> UnitIndex | None:
    """A unit's index for a survey-index criterion: the measure its parameters name
    (% satisfied or mean), for the survey code and component code they name (overall when
    no component; the campaign's only survey when no code), with n responses.

    None when the criterion is not a survey index, the survey does not exist or is not
    about this unit. A surveyed unit without responses gets n = 0, so the criterion's rule
    for an insufficient sample applies."""
    if criterion.scoring_type != "survey":
        return None
    versions = [
        s for s in _criterion_versions(campaign, criterion) if s.status != SurveyStatus.DRAFT
    ]
    if not versions or not any(is_about(s, unit) for s in versions):
        return None
    params = criterion.params or {}
    component = nfc(str(params.get("component") or ""))
    index = index_of(_feed_responses(versions, unit), versions, component)
    value = index.value(params.get("measure") or "pct_satisfied")
    return UnitIndex(value if value is not None else Decimal(0), index.n)


def survey_inputs(campaign: Campaign, unit: Unit) -> dict[int, UnitIndex]:
    """criterion id → UnitIndex for every survey-index criterion that has one for this unit."""
    criteria_set = getattr(campaign, "criteria_set", None)
    if criteria_set is None:
        return {}
    inputs = {}
    for criterion in walk(criteria_set.roots):
        if criterion.is_leaf and criterion.scoring_type == "survey":
            index = unit_index(campaign, unit, criterion)
            if index is not None:
                inputs[criterion.id] = index
    return inputs


# --- results --------------------------------------------------------------------------------


@dataclass
class UnitRow:
    unit: Unit
    overall: Index
    components: dict[str, Index] = field(default_factory=dict)


@dataclass
class Results:
    """A survey's results for one unit or all, over all responses or trusted ones."""

    survey: Survey
    responses: list[SurveyResponse]
    by_channel: dict[str, int]
    overall: Index
    components: list[tuple[SurveyComponent, Index]]
    units: list[UnitRow]
    min_sample: int


def results(survey: Survey, *, unit: Unit | None = None, trusted_only: bool = False) -> Results:
    channels = Channel.TRUSTED if trusted_only else None
    responses = responses_of([survey], unit=unit, channels=channels)
    by_channel = {channel: 0 for channel in survey.channels}
    for response in responses:
        by_channel[response.channel] = by_channel.get(response.channel, 0) + 1
    components = [(c, index_of(responses, [survey], c.code)) for c in survey.components]
    per_unit: dict[int, list[SurveyResponse]] = {}
    for response in responses:
        per_unit.setdefault(response.unit_id, []).append(response)
    rows = []
    for member in [unit] if unit is not None else survey_units(survey):
        mine = per_unit.get(member.id, [])
        rows.append(
            UnitRow(
                member,
                index_of(mine, [survey]),
                {c.code: index_of(mine, [survey], c.code) for c in survey.components},
            )
        )
    return Results(
        survey=survey,
        responses=responses,
        by_channel=by_channel,
        overall=index_of(responses, [survey]),
        components=components,
        units=rows,
        min_sample=survey.min_sample,
    )


@dataclass
class QuestionSummary:
    """One question's answers summed up for the results page."""

    question: SurveyQuestion
    answered: int = 0
    index: Index | None = None  # rated questions
    levels: dict[int, int] = field(default_factory=dict)  # Likert level → count
    rows: list[tuple[str, dict[int, int], Index]] = field(default_factory=list)  # matrix
    choices: dict[str, int] = field(default_factory=dict)
    numbers: tuple[Decimal, Decimal, Decimal] | None = None  # mean, min, max
    texts: list[str] = field(default_factory=list)


def summarize(question: SurveyQuestion, values: list) -> QuestionSummary:
    """Counts, index or figures of one question over the stored answers `values`."""
    given = [v for v in values if v is not None]
    summary = QuestionSummary(question, answered=len(given))
    if question.kind == QuestionKind.LIKERT:
        summary.levels = distribution(int(v) for v in given)
        summary.index = likert_index([[int(v)] for v in given])
    elif question.kind == QuestionKind.MATRIX:
        grids = [v for v in given if isinstance(v, dict)]
        for number, row in enumerate(question.rows, start=1):
            answers = [int(v[str(number)]) for v in grids if str(number) in v]
            summary.rows.append((row, distribution(answers), likert_index([[a] for a in answers])))
        summary.index = likert_index([[int(a) for a in v.values()] for v in grids])
    elif question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        summary.choices = choice_counts(question.options, given)
    elif question.kind == QuestionKind.NUMBER and given:
        numbers = [Decimal(str(v)) for v in given]
        summary.numbers = (sum(numbers) / len(numbers), min(numbers), max(numbers))
    elif question.kind in (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT):
        summary.texts = [str(v) for v in given if str(v).strip()]
    return summary
