"""Demo survey: a SIPAS-style satisfaction survey on the current campaign, about the wards
and communes of the first commune cluster, with answers for a few of them — enough for
one unit, just enough for another, too few for a third — and some open-link answers.

`load(admin)` is idempotent: it does nothing when the campaign already has the survey.
"""

from __future__ import annotations

import random
import uuid
from datetime import timedelta

from sqlalchemy import select

from emulation.accounts.models import User
from emulation.campaigns.service import campaign_by_slug
from emulation.core.clock import local_today
from emulation.core.extensions import db
from emulation.surveys import builder as survey_builder
from emulation.surveys import service as surveys
from emulation.surveys.models import Channel, Survey, SurveyResponse

CAMPAIGN = "thi-dua-thuc-hien-nghi-quyet-dai-hoi-xv"
SUGGESTIONS = [
    "Bố trí thêm ghế ngồi chờ vào buổi sáng thứ Hai.",
    "Nên có người hướng dẫn nộp hồ sơ trực tuyến cho người cao tuổi.",
    "Công chức tận tình, dễ hiểu; cảm ơn cán bộ bộ phận một cửa.",
    "Niêm yết thủ tục bằng chữ to hơn, có cả tiếng dân tộc.",
    "Trả kết quả qua bưu điện để đỡ đi lại.",
]
# Unit position in the cluster → (token answers, open-link answers, how pleased: 0–1).
PLAN = [(36, 5, 0.85), (31, 2, 0.7), (12, 0, 0.55)]


def _likert(rng: random.Random, pleased: float) -> int:
    """Mostly 3–5 for a well-liked office, with the odd "không ý kiến"."""
    if rng.random() < 0.04:
        return 0
    roll = rng.random()
    if roll < pleased * 0.45:
        return 5
    if roll < pleased:
        return 4
    return rng.choice([1, 2, 3, 3, 3])


def _answers(survey: Survey, rng: random.Random, pleased: float) -> dict:
    answers: dict = {}
    for question in survey.ordered_questions:
        if (
            question.show_if
            and answers.get(question.show_if["question"]) not in (question.show_if["values"])
        ):
            continue
        if question.kind == "single":
            weights = [0.3, 0.7] if len(question.options) == 2 else None
            answers[question.code] = rng.choices(question.options, weights=weights)[0]
        elif question.kind == "number":
            answers[question.code] = rng.choice([1, 1, 2, 2, 2, 3, 4])
        elif question.kind == "matrix":
            answers[question.code] = {
                str(number): _likert(rng, pleased) for number in range(1, len(question.rows) + 1)
            }
        elif question.kind == "likert":
            answers[question.code] = _likert(rng, pleased)
        elif rng.random() < 0.2:
            answers[question.code] = rng.choice(SUGGESTIONS)
    return answers


def load(admin: User | None = None) -> None:
    """Add the demo survey with its tokens and answers (once)."""
    campaign = campaign_by_slug(CAMPAIGN)
    if campaign is None or db.session.scalar(
        select(Survey.id).where(Survey.campaign_id == campaign.id, Survey.code == "SIPAS")
    ):
        return
    communes = next((c for c in campaign.clusters if c.kind == "cum"), None)
    if communes is None:
        return
    survey = survey_builder.create_sipas_survey(campaign)
    survey.allow_login = True
    survey.units = [m.unit for m in communes.members]
    db.session.flush()
    survey_builder.change_status(survey, "open")
    rng = random.Random(2025)
    today = local_today()
    # The cluster leader (the "cumtruong" account), then the first plain members (the first
    # is the "canbo" account's): a good office, an average one, one with too few answers.
    members = sorted(
        (m for m in communes.members if m.position != "deputy"),
        key=lambda m: m.position != "leader",
    )
    for member, (spent, open_link, pleased) in zip(members, PLAN, strict=False):
        batch = surveys.generate_tokens(survey, member.unit, spent + 14)
        db.session.flush()
        for token in batch.tokens[:spent]:
            token.used = True
        for channel, count in ((Channel.TOKEN, spent), (Channel.OPEN, open_link)):
            for _ in range(count):
                db.session.add(
                    SurveyResponse(
                        id=uuid.uuid4().hex,
                        survey_id=survey.id,
                        unit_id=member.unit.id,
                        channel=channel,
                        submitted_on=today - timedelta(days=rng.randint(0, 10)),
                        answers=_answers(survey, rng, pleased),
                    )
                )
    db.session.flush()
