"""Survey domain: index arithmetic against hand-computed values, answers and show-if,
builder rules, versions, and the criterion feed (unit_index, survey_inputs)."""

import uuid
from datetime import timedelta
from decimal import Decimal as D
from types import SimpleNamespace

import pytest

from emulation.campaigns.service import campaign_by_slug
from emulation.core.clock import local_today
from emulation.core.errors import DomainError, NotAllowed
from emulation.core.extensions import db
from emulation.scoring import score_unit, table_from_criteria_set
from emulation.surveys import builder as survey_builder
from emulation.surveys import service as surveys
from emulation.surveys.answers import evaluate
from emulation.surveys.models import Channel, SurveyResponse, SurveyToken
from emulation.surveys.stats import UnitIndex, likert_index
from tests.factories import add_criterion, make_campaign, make_unit


def close(value, expected, places="0.000001"):
    return abs(D(value) - D(expected)) < D(places)


# --- arithmetic -----------------------------------------------------------------------------


def test_one_answer_per_response_uses_the_textbook_formulas():
    # 5, 4, 4, 3, 2 and one "không ý kiến": n = 5, 3 satisfied.
    index = likert_index([[5], [4], [4], [3], [2], [0]])
    assert (index.n, index.answers, index.satisfied, index.no_opinion) == (5, 5, 3, 1)
    assert index.pct_satisfied == 60
    # 1.96·√(0.6·0.4/5) = 0.4294145… → 42.94 percentage points
    assert close(index.pct_margin, "42.941449")
    assert index.mean == D("3.6")
    # s² = (1.96 + 0.16 + 0.16 + 0.36 + 2.56)/4 = 1.3; 1.96·√1.3/√5 = 0.99941…
    assert close(index.mean_margin, "0.999408")
    assert index.value("pct_satisfied") == D("60.00")
    assert index.value("mean") == D("3.60")
    assert index.margin("mean") == D("1.00")


def test_several_items_per_response_pool_answers_and_count_responses():
    # r1: 5, 4   r2: 3, (no opinion)   r3: 4, 2  → 3 of 5 answers satisfied, n = 3 responses
    index = likert_index([[5, 4], [3, 0], [4, 2]])
    assert (index.n, index.answers, index.satisfied, index.no_opinion) == (3, 5, 3, 1)
    assert index.pct_satisfied == 60 and index.mean == D("3.6")
    # x = 2, 1, 2; y = 2, 0, 1; t = 9, 3, 6; x̄ = 5/3
    # Σ(y − 0.6x)² = 0.64 + 0.36 + 0.04 = 1.04 → 1.96·√(1.04/3)/(5/3·√3) = 0.3997631…
    assert close(index.pct_margin, "39.976313")
    # Σ(t − 3.6x)² = 3.24 + 0.36 + 1.44 = 5.04 → 1.96·√(5.04/2)/(5/3·√3) = 1.077822…
    assert close(index.mean_margin, "1.077822")


def test_no_opinion_only_and_a_single_response():
    assert likert_index([[0], [0]]).n == 0
    assert likert_index([[0], [0]]).pct_satisfied is None
    single = likert_index([[5]])
    assert single.pct_satisfied == 100 and single.pct_margin == 0
    assert single.mean_margin is None  # no spread from one response
    assert not single.sufficient(2) and single.sufficient(1)


# --- answers and show-if --------------------------------------------------------------------


def _q(code, kind, **extra):
    defaults = dict(
        required=False, options=[], rows=[], min_value=None, max_value=None, show_if=None
    )
    return SimpleNamespace(code=code, kind=kind, **{**defaults, **extra})


QUESTIONS = [
    _q("A", "single", options=["Có", "Không"], required=True),
    _q(
        "B",
        "matrix",
        rows=["Một", "Hai"],
        required=True,
        show_if={"question": "A", "values": ["Có"]},
    ),
    _q("C", "number", min_value=D(1), max_value=D(20)),
    _q("D", "multiple", options=["X", "Y", "Z"]),
    _q("E", "likert", required=True),
]


def test_answers_are_typed_and_hidden_questions_are_ignored():
    result = evaluate(
        QUESTIONS,
        {"A": "Không", "B": {"1": "5"}, "C": "2,5", "D": ["Z", "X"], "E": "0"},
    )
    assert result.complete
    assert result.values == {"A": "Không", "C": 2.5, "D": ["X", "Z"], "E": 0}
    assert "B" not in result.visible and (result.answered, result.total) == (4, 4)


def test_wrong_answers_get_a_message_each():
    result = evaluate(
        QUESTIONS,
        {"A": "Có", "B": {"1": "4"}, "C": "ba", "D": ["W"], "E": ""},
    )
    assert result.errors == {
        "B": "Hãy chọn một mức cho mọi dòng.",
        "C": "“ba” không phải là số; ví dụ: 12 hoặc 2,5",
        "D": "Hãy chọn trong các phương án đã cho.",
        "E": "Câu này cần được trả lời.",
    }
    assert evaluate(QUESTIONS, {"A": "Có", "C": "25"}).errors["C"] == "Số lớn nhất là 20."


# --- building -------------------------------------------------------------------------------


@pytest.fixture
def setting(app):
    units = [make_unit("Phường Tân Phong"), make_unit("Xã Bình Lư"), make_unit("Sở Tư pháp")]
    campaign = make_campaign(units=units)
    survey = survey_builder.create_survey(campaign, title="Khảo sát một cửa", code="SIPAS")
    survey_builder.save_component(survey, None, code="TC1", title="Tiếp cận dịch vụ")
    survey_builder.save_component(survey, None, code="TC3", title="Công chức")
    db.session.flush()
    tc1, tc3 = survey.components
    survey_builder.save_question(
        survey,
        None,
        survey_builder.QuestionInput(
            text="Nơi chờ đủ chỗ ngồi", kind="likert", code="C1", component_id=tc1.id, required=True
        ),
    )
    survey_builder.save_question(
        survey,
        None,
        survey_builder.QuestionInput(
            text="Thái độ công chức",
            kind="matrix",
            code="C2",
            rows="Lịch sự\nHướng dẫn tận tình",
            component_id=tc3.id,
            required=True,
        ),
    )
    survey_builder.save_question(
        survey, None, survey_builder.QuestionInput(text="Góp ý", kind="long_text", code="C3")
    )
    survey_builder.change_status(survey, "open")
    db.session.commit()
    return {"campaign": campaign, "survey": survey, "units": units}


def _answer(survey, unit, c1, c2, channel=Channel.TOKEN, version=None):
    """A stored response as a submission would leave it (checks skipped)."""
    today = local_today()
    db.session.add(
        SurveyResponse(
            id=uuid.uuid4().hex,
            survey_id=(version or survey).id,
            unit_id=unit.id,
            channel=channel,
            submitted_on=today,
            answers={"C1": c1, "C2": dict(zip(("1", "2"), c2, strict=False))},
        )
    )
    db.session.flush()


def test_question_rules_report_every_problem(setting):
    survey = setting["survey"]
    with pytest.raises(survey_builder.InvalidSurvey) as refused:
        survey_builder.save_question(
            survey,
            None,
            survey_builder.QuestionInput(
                text="",
                kind="single",
                code="C1",
                options="Có",
                component_id=survey.components[0].id,
                show_if_question="C9",
            ),
        )
    assert refused.value.errors == {
        "text": ["Cần nhập nội dung câu hỏi."],
        "code": ["Mã câu C1 đã có."],
        "options": ["Cần ít nhất hai phương án, mỗi dòng một phương án."],
        "component_id": ["Chỉ câu mức độ hài lòng (1–5) mới tính vào nhóm chỉ số."],
        "show_if_question": ["Chỉ đặt điều kiện theo một câu chọn đáp án đứng trước câu này."],
    }
    with pytest.raises(survey_builder.InvalidSurvey) as refused:
        survey_builder.save_question(
            survey,
            None,
            survey_builder.QuestionInput(
                text="Vì sao?", kind="short_text", show_if_question="C1", show_if_values="7"
            ),
        )
    assert refused.value.errors == {"show_if_values": ["Câu C1 không có câu trả lời: 7."]}


def test_show_if_keeps_its_question_after_the_one_it_waits_for(setting):
    survey = setting["survey"]
    why = survey_builder.save_question(
        survey,
        None,
        survey_builder.QuestionInput(
            text="Vì sao chưa hài lòng?",
            kind="short_text",
            show_if_question="C1",
            show_if_values="1\n2",
        ),
    )
    assert why.code == "C4" and why.show_if == {"question": "C1", "values": ["1", "2"]}
    db.session.commit()
    survey_builder.move_question(survey, why, -1)
    survey_builder.move_question(survey, why, -1)
    assert [q.code for q in survey.ordered_questions] == ["C1", "C4", "C2", "C3"]
    with pytest.raises(NotAllowed, match="Câu C4 chỉ hiện theo câu C1 nên phải đứng sau"):
        survey_builder.move_question(survey, why, -1)
    db.session.rollback()
    with pytest.raises(NotAllowed, match="Câu C4 đang chỉ hiện theo câu trả lời"):
        survey_builder.delete_question(survey, survey.ordered_questions[0])


def test_questions_freeze_once_answered_and_a_new_version_copies_them(setting):
    survey, unit = setting["survey"], setting["units"][0]
    _answer(survey, unit, 5, [4, 4])
    with pytest.raises(NotAllowed, match="tạo phiên bản mới"):
        survey_builder.save_section(survey, survey.sections[0], title="Đổi tên")
    copy = survey_builder.new_version(survey)
    db.session.flush()
    assert (copy.code, copy.version, copy.status, survey.status) == ("SIPAS", 2, "draft", "closed")
    assert [q.code for q in copy.ordered_questions] == ["C1", "C2", "C3"]
    assert [q.component.code for q in copy.ordered_questions if q.component] == ["TC1", "TC3"]
    assert copy.public_code != survey.public_code
    with pytest.raises(NotAllowed, match="phiên bản mới hơn"):
        survey_builder.change_status(survey, "open")


def test_settings_refuse_a_clash_and_no_channel(setting):
    campaign = setting["campaign"]
    with pytest.raises(survey_builder.InvalidSurvey) as refused:
        survey_builder.create_survey(
            campaign, title="Khác", code="SIPAS", allow_tokens=False, min_sample=0
        )
    assert refused.value.errors == {
        "code": ["Mã SIPAS đã được dùng trong phong trào này."],
        "allow_tokens": ["Chọn ít nhất một cách trả lời."],
        "min_sample": ["Cỡ mẫu tối thiểu là một số nguyên từ 1."],
    }


def test_opening_needs_questions_and_a_launched_campaign(app):
    campaign = make_campaign(units=[make_unit()], status="draft")
    survey = survey_builder.create_survey(campaign, title="Trống", code="K1")
    with pytest.raises(DomainError) as refused:
        survey_builder.change_status(survey, "open")
    assert refused.value.message == (
        "Phong trào chưa được phát động hoặc đã kết thúc. Khảo sát chưa có câu hỏi nào."
    )


def test_the_sipas_template_has_five_components_and_a_show_if(app):
    campaign = make_campaign(units=[make_unit()])
    survey = survey_builder.create_sipas_survey(campaign)
    db.session.flush()
    assert [c.code for c in survey.components] == ["TC1", "TC2", "TC3", "TC4", "TC5"]
    feedback = next(q for q in survey.questions if q.component and q.component.code == "TC5")
    assert feedback.show_if == {"question": "C3", "values": ["Có"]}
    survey_builder.change_status(survey, "open")  # ready to take answers as it is


# --- the criterion feed ---------------------------------------------------------------------


def _criterion(campaign, code="1.1", **params):
    group = add_criterion(campaign, code.split(".")[0], "Cải cách hành chính", 10)
    return add_criterion(
        campaign,
        code,
        "Mức độ hài lòng của người dân",
        10,
        parent=group,
        scoring_type="survey",
        params={
            "survey": "SIPAS",
            "component": "",
            "measure": "pct_satisfied",
            "floor": 50,
            "ceiling": 100,
            "min_sample": 3,
            "insufficient": "zero",
            **params,
        },
    )


def test_unit_index_against_hand_computed_values(setting):
    survey, (ward, commune, _dept) = setting["survey"], setting["units"]
    campaign = setting["campaign"]
    # Ward: C1 = 5, 4, 2, 0; C2 rows = (4, 5), (3, 3), (5, 0), (2, 1)
    for c1, c2 in ((5, [4, 5]), (4, [3, 3]), (2, [5, 0]), (0, [2, 1])):
        _answer(survey, ward, c1, c2)
    _answer(survey, ward, 1, [1, 1], channel=Channel.OPEN)  # not counted: open link
    _answer(survey, commune, 5, [5, 5])
    criterion = _criterion(campaign)
    # Overall = TC1 + TC3 items: answers 5,4,5 | 4,3,3 | 2,5 | 2,1 (and one no opinion)
    # 1–5 answers 10, satisfied 5 → 50 %, n = 4; mean 34/10 = 3.4
    assert surveys.unit_index(campaign, ward, criterion) == UnitIndex(D("50.00"), 4)
    tc1 = _criterion(campaign, "2.1", component="TC1")
    assert surveys.unit_index(campaign, ward, tc1) == UnitIndex(D("66.67"), 3)  # 2 of 3
    mean = _criterion(campaign, "3.1", component="TC3", measure="mean")
    # TC3: 4,5 | 3,3 | 5 | 2,1 → 23/7 = 3.2857 → 3.29, n = 4
    assert surveys.unit_index(campaign, ward, mean) == UnitIndex(D("3.29"), 4)
    # The open-link answer counts once the survey says so.
    survey.open_in_index = True
    assert surveys.unit_index(campaign, ward, tc1) == UnitIndex(D("50.00"), 4)


def test_survey_inputs_feed_the_engine_and_the_insufficient_rule(setting):
    survey, (ward, commune, dept) = setting["survey"], setting["units"]
    campaign = setting["campaign"]
    for c1, c2 in ((5, [4, 5]), (4, [3, 3]), (2, [5, 0]), (0, [2, 1])):
        _answer(survey, ward, c1, c2)
    _answer(survey, commune, 5, [5, 5])
    criterion = _criterion(campaign, insufficient="neutral")
    inputs = surveys.survey_inputs(campaign, ward)
    assert inputs == {criterion.id: UnitIndex(D("50.00"), 4)}
    table = table_from_criteria_set(campaign.criteria_set)
    # 50 % is the floor: 0 points.
    assert score_unit(table, {"1.1": inputs[criterion.id]}).points["1.1"] == 0
    # The commune: one response, below the minimum of 3 → half the points ("neutral").
    commune_index = surveys.survey_inputs(campaign, commune)[criterion.id]
    assert commune_index == UnitIndex(D("100.00"), 1)
    assert score_unit(table, {"1.1": commune_index}).points["1.1"] == 5
    # A surveyed unit without answers has n = 0 (the rule applies), not "no data".
    assert surveys.survey_inputs(campaign, dept) == {criterion.id: UnitIndex(D(0), 0)}


def test_feed_pools_versions_by_component_code_and_skips_unknown_surveys(setting):
    survey, ward = setting["survey"], setting["units"][0]
    campaign = setting["campaign"]
    _answer(survey, ward, 5, [5, 5])
    second = survey_builder.new_version(survey)
    db.session.flush()
    survey_builder.change_status(second, "open")
    _answer(survey, ward, 2, [2, 2], version=second)
    tc1 = _criterion(campaign, component="TC1")
    assert surveys.unit_index(campaign, ward, tc1) == UnitIndex(D("50.00"), 2)
    other = _criterion(campaign, "2.1", survey="PAPI")
    assert surveys.unit_index(campaign, ward, other) is None
    outsider = make_unit("Công ty ngoài phong trào")
    assert surveys.unit_index(campaign, outsider, tc1) is None


def test_an_empty_survey_code_means_the_campaigns_only_survey(setting):
    campaign, ward = setting["campaign"], setting["units"][0]
    _answer(setting["survey"], ward, 4, [4, 4])
    criterion = _criterion(campaign, survey="")
    assert surveys.unit_index(campaign, ward, criterion) == UnitIndex(D("100.00"), 1)
    survey_builder.create_survey(campaign, title="Khảo sát cán bộ", code="CANBO")
    db.session.flush()
    assert surveys.unit_index(campaign, ward, criterion) is None  # which one? not guessed


def test_a_closed_window_refuses_answers(setting):
    today = local_today()
    survey = setting["survey"]
    survey.closes_on = today - timedelta(days=1)
    assert surveys.closed_reason(survey) == (
        f"Khảo sát đã hết hạn nhận phiếu ngày {survey.closes_on:%d/%m/%Y}."
    )
    survey.closes_on, survey.opens_on = None, today + timedelta(days=2)
    assert "bắt đầu nhận phiếu từ ngày" in surveys.closed_reason(survey)


def test_a_token_spent_by_someone_else_meanwhile_is_refused(setting):
    """The single-use guarantee is the conditional UPDATE, not the earlier read: a token
    read as unused and spent by another submission before this one writes is refused."""
    survey, ward = setting["survey"], setting["units"][0]
    token = surveys.generate_tokens(survey, ward, 1).tokens[0]
    db.session.commit()
    token = surveys.check_token(surveys.token_by_code(token.code))  # read: unused
    with db.engine.begin() as other:  # another submission wins the race
        other.execute(db.update(SurveyToken).values(used=True))
    raws = {"C1": "5", "C2": {"1": "4", "2": "4"}}
    with pytest.raises(surveys.TokenProblem) as refused:
        surveys.submit_response(survey, ward, raws, channel=Channel.TOKEN, token=token)
    assert refused.value.kind == "used"
    db.session.rollback()
    assert db.session.query(SurveyResponse).count() == 0


def test_demo_survey_loads_once_with_an_insufficient_unit(app):
    from emulation.demo import loader as demo
    from emulation.demo import surveys as demo_surveys

    demo.load()
    demo_surveys.load()
    demo_surveys.load()
    db.session.commit()
    campaign = campaign_by_slug(demo_surveys.CAMPAIGN)
    (survey,) = surveys.surveys_of(campaign)
    outcome = surveys.results(survey)
    counted = {row.unit.name: row.overall.n for row in outcome.units if row.overall.n}
    leader = next(c for c in campaign.clusters if c.kind == "cum").leader
    assert sorted(counted.values()) == [12, 33, 41] and counted[leader.name] == 41
    assert [c.code for c, _index in outcome.components] == ["TC1", "TC2", "TC3", "TC4", "TC5"]


def test_the_sheet_shows_the_index_read_only_and_keeps_it_when_submitted(setting, client):
    """The survey-index criterion on the scoring sheet: pre-filled from the responses with n,
    no input; fixed as the unit's number when the self-score is submitted."""
    today = local_today()
    from emulation.campaigns.models import Phase
    from emulation.scoring import sheets
    from emulation.scoring.models import ScoreEntry, Stage
    from emulation.standings import service as standings
    from tests.factories import make_user

    campaign, ward = setting["campaign"], setting["units"][0]
    campaign.phases.append(
        Phase(
            kind="scoring", starts_on=today - timedelta(days=1), ends_on=today + timedelta(days=9)
        )
    )
    for c1, c2 in ((5, [4, 5]), (4, [4, 4]), (5, [5, 5]), (2, [2, 3])):
        _answer(setting["survey"], ward, c1, c2)
    criterion = _criterion(campaign)  # % satisfied, 50 → 0 points, 100 → 10 points
    officer = make_user("canbo", unit=ward)
    sheet = sheets.ensure_sheet(campaign, ward)
    db.session.commit()
    client.login("canbo")
    page = client.get(f"/sheets/{sheet.id}").get_data(as_text=True)
    row = page.split("Mức độ hài lòng của người dân", 1)[1].split("</tr>", 1)[0]
    assert "75 (4 phiếu)" in row and "<input" not in row and "5,00" in row
    sheets.advance(sheet, officer)
    db.session.commit()
    stored = db.session.scalar(db.select(ScoreEntry).where(ScoreEntry.criterion_id == criterion.id))
    assert stored.value == {"index": "75.00", "n": 4} and stored.points == 5
    provisional = standings.compute_board(campaign, standings.PROVISIONAL)
    assert provisional.groups[0].rows[0].total == 5
    assert sheets.columns_for(sheet, officer)[0].total == 5
    assert sheet.stage == Stage.LEADER or sheet.stage != Stage.SELF
