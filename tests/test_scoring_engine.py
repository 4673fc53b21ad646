"""The scoring engine: every scoring type by hand-computed values, then properties."""

from __future__ import annotations

import dataclasses
import sys
from decimal import Decimal
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from emulation.scoring import (
    InvalidInput,
    Quantity,
    Rule,
    ScoringTable,
    SurveyIndex,
    apply_sanctions,
    grade_index,
    ratio_progress,
    round_to_step,
    score_group,
    score_unit,
    table_from_criteria_set,
)
from emulation.scoring.grading import index_of
from emulation.scoring.rules import SANCTION_KINDS, Grade
from emulation.scoring.wording import number

D = Decimal
GRADES = [
    {"name": "Xuất sắc", "min": 90, "quota_pct": 25},
    {"name": "Tốt", "min": 80, "quota_pct": None},
    {"name": "Khá", "min": 65, "quota_pct": None},
    {"name": "Trung bình", "min": 50, "quota_pct": None},
    {"name": "Yếu", "min": 0, "quota_pct": None},
]


def leaf(code, scoring_type, max_points, unit="", sanction=None, **params) -> Rule:
    return Rule(
        code,
        f"Mục {code}",
        max_points=D(str(max_points)),
        scoring_type=scoring_type,
        params=params,
        sanction=sanction,
        unit=unit,
    )


def group(code, max_points, *children, section="base") -> Rule:
    return Rule(
        code, f"Nhóm {code}", section=section, max_points=D(str(max_points)), children=children
    )


def table(*roots, **settings_) -> ScoringTable:
    settings_.setdefault("grades", GRADES)
    return ScoringTable(roots=roots, **settings_)


def points_of(rule: Rule, value, group_max=100, **settings_) -> Decimal:
    """A leaf's points when it sits alone in a roomy group."""
    result = score_unit(table(group("G", group_max, rule), **settings_), {rule.code: value})
    return result.points[rule.code]


def close(a: Decimal, b: Decimal) -> bool:
    return abs(a - b) < D("1e-20")


# --- ratio ------------------------------------------------------------------------------


def test_ratio_up_below_at_and_over_target():
    rule = leaf("1.1", "ratio", 10, over_rate=0.5, over_cap=2)
    assert points_of(rule, Quantity(8, 10)) == 8
    assert points_of(rule, Quantity(10, 10)) == 10
    # 120 %: 0.5 % of the max per 1 % over → 0.5/100 × 10 × 20 = 1 point of bonus
    assert points_of(rule, Quantity(12, 10)) == 11
    # 200 % would give 5 bonus points; over_cap holds it at 2
    assert points_of(rule, Quantity(20, 10)) == 12
    result = score_unit(table(group("G", 100, rule)), {"1.1": Quantity(20, 10)})
    assert result.nodes["1.1"].detail == "đạt 20/10 (200 %) → 10 điểm + 2 điểm vượt chỉ tiêu"
    assert points_of(rule, (-3, 10)) == 0  # below zero progress counts as none


def test_ratio_without_over_rate_gives_no_bonus():
    assert points_of(leaf("1.1", "ratio", 6), Quantity(15, 10)) == 6


def test_ratio_down_without_baseline_uses_target_over_actual():
    rule = leaf("6.1", "ratio", 5, direction="down", over_rate=1, over_cap=1)
    assert points_of(rule, Quantity("2.5", 2)) == 4  # 2/2.5 = 80 %
    # 2/1.6 = 125 %: bonus 1 % × 5 × 25 = 1.25, capped at 1
    assert points_of(rule, Quantity("1.6", 2)) == 6
    assert points_of(rule, Quantity(0, 2)) == 6  # nothing left: full points and the full bonus
    no_bonus = leaf("6.1", "ratio", 5, direction="down")
    assert points_of(no_bonus, Quantity(0, 2)) == 5


def test_ratio_with_baseline_measures_progress_from_it():
    up = leaf("1.1", "ratio", 6)
    assert points_of(up, Quantity(8, 9, 5)) == D("4.5")  # (8−5)/(9−5) = 75 %
    assert points_of(up, Quantity(4, 9, 5)) == 0  # fell below the baseline
    down = leaf("6.1", "ratio", 5, direction="down", over_rate=2, over_cap=1)
    assert points_of(down, Quantity(9, 8, 10)) == D("2.5")  # (9−10)/(8−10) = 50 %
    # (7.9−10)/(8−10) = 105 %: bonus 2 % × 5 × 5 = 0.5
    assert points_of(down, Quantity("7.9", 8, 10)) == D("5.5")


def test_ratio_progress_is_never_negative_and_unbounded_when_nothing_is_left():
    assert ratio_progress(Quantity(4, 9, 5)) == 0
    assert ratio_progress(Quantity(-3, 10)) == 0
    assert ratio_progress(Quantity(12, 8, 10), "down") == 0
    assert ratio_progress(Quantity(0, 2), "down") is None
    assert ratio_progress(Quantity(3, 2), "down") == ratio_progress(Quantity(3, 2, None), "down")


def test_ratio_target_zero_or_equal_to_baseline_is_met_or_not():
    accidents = leaf("8.2", "ratio", 5, direction="down", over_rate=1, over_cap=1)
    assert points_of(accidents, Quantity(0, 0)) == 5
    assert points_of(accidents, Quantity(1, 0)) == 0
    keep = leaf("1.1", "ratio", 6, over_rate=1, over_cap=1)
    assert points_of(keep, Quantity(6, 5, 5)) == 6
    assert points_of(keep, Quantity(4, 5, 5)) == 0


def test_ratio_negative_target_is_measured_linearly():
    rule = leaf("1.1", "ratio", 6)
    assert points_of(rule, Quantity(-3, -2)) == 3  # 1 − 1/2
    assert points_of(rule, Quantity(-1, -2)) == 6


def test_ratio_bonus_lifts_the_leaf_but_the_parent_clamps():
    rule = leaf("1.1", "ratio", 6, over_rate=1, over_cap=1)
    result = score_unit(table(group("1", 6, rule)), {"1.1": Quantity("9.9", 9)})
    assert result.points["1.1"] == D("6.6")  # 110 %: 1 % × 6 × 10
    assert result.points["1"] == 6
    assert "clamped" in result.nodes["1"].flags
    assert result.total == 6


def test_ratio_as_a_top_level_item_clamps_to_its_own_max():
    rule = leaf("1", "ratio", 6, over_rate=1, over_cap=1)
    result = score_unit(table(rule), {"1": Quantity("9.9", 9)})
    assert result.points["1"] == 6


def test_quantities_may_be_tuples_or_mappings():
    rule = leaf("1.1", "ratio", 10)
    assert points_of(rule, (8, 10)) == 8
    assert points_of(rule, {"actual": "8,5", "target": 10}) == D("8.5")
    with pytest.raises(InvalidInput) as caught:
        points_of(rule, "tám")
    assert caught.value.code == "1.1"


# --- ratio_cluster ----------------------------------------------------------------------


def test_cluster_formula_going_up():
    rule = leaf("3.1", "ratio_cluster", 10, unit="%")
    cluster = table(group("3", 10, rule))
    inputs = {
        unit: {"3.1": Quantity(actual, 90)}
        for unit, actual in {"a": 72, "b": 90, "c": 100, "d": 95, "e": 100}.items()
    }
    results = score_group(cluster, inputs)
    points = {unit: result.points["3.1"] for unit, result in results.items()}
    # 72/90 = 0.8 → ½·10·0.8; at target ½·10; best (two at 100) → 10; 95 → 5 + 5/10·5
    assert points == {"a": 4, "b": 5, "c": 10, "d": D("7.5"), "e": 10}
    assert "cao nhất cụm: 100 %" in results["d"].nodes["3.1"].detail


def test_cluster_formula_going_down_mirrors_it():
    rule = leaf("6.1", "ratio_cluster", 10, direction="down")
    cluster = table(group("6", 10, rule))
    inputs = {u: {"6.1": Quantity(a, 5)} for u, a in {"a": 8, "b": 5, "c": 1, "d": 3}.items()}
    points = {u: r.points["6.1"] for u, r in score_group(cluster, inputs).items()}
    # worse than target: ½·10·5/8; best (lowest) 1 → 10; 3 → 5 + (5−3)/(5−1)·5
    assert points == {"a": D("3.125"), "b": 5, "c": 10, "d": D("7.5")}


def test_cluster_best_is_among_units_with_their_own_targets_and_ignores_missing():
    rule = leaf("3.1", "ratio_cluster", 10)
    cluster = table(group("3", 10, rule))
    inputs = {
        "a": {"3.1": Quantity(96, 80)},  # over: (96−80)/(100−80) → 5 + 0.8·5 = 9
        "b": {"3.1": Quantity(100, 95)},  # best actual above its target
        "c": {"3.1": Quantity(99, 100)},  # under target: not a candidate for best
        "d": {},
    }
    results = score_group(cluster, inputs)
    assert results["a"].points["3.1"] == 9
    assert results["b"].points["3.1"] == 10
    assert results["c"].points["3.1"] == D("4.95")
    assert results["d"].missing == ("3.1",)


def test_score_unit_compares_with_peers_or_with_itself_alone():
    rule = leaf("3.1", "ratio_cluster", 10)
    cluster = table(group("3", 10, rule))
    mine = {"3.1": Quantity(95, 90)}
    assert score_unit(cluster, mine).points["3.1"] == 10
    peers = [{"3.1": Quantity(100, 90)}, {"3.1": Quantity(80, 90)}]
    assert score_unit(cluster, mine, peers).points["3.1"] == D("7.5")
    assert score_unit(cluster, mine, dict(enumerate(peers))).points["3.1"] == D("7.5")


# --- the other types --------------------------------------------------------------------


def _quality(code="6.2"):
    return leaf(
        code,
        "choice",
        5,
        levels=[
            {"label": "Tốt", "points": 5},
            {"label": "Khá", "points": 3},
            {"label": "Không đạt", "points": 0, "zero_parent": True},
        ],
    )


def test_choice_by_index_or_label():
    assert points_of(_quality(), 1) == 3
    assert points_of(_quality(), "khá") == 3
    assert points_of(_quality(), "Tốt") == 5
    with pytest.raises(InvalidInput):
        points_of(_quality(), 5)
    with pytest.raises(InvalidInput):
        points_of(_quality(), "Xuất sắc")
    with pytest.raises(InvalidInput):
        points_of(_quality(), True)


def test_choice_level_with_zero_parent_zeroes_the_parent():
    rules = table(group("6", 10, leaf("6.1", "council", 5), _quality()), leaf("7", "council", 10))
    result = score_unit(rules, {"6.1": 4, "6.2": "Không đạt", "7": 8})
    assert result.points["6.1"] == 4  # the sibling keeps its own points
    assert result.points["6"] == 0
    assert "zeroed" in result.nodes["6"].flags
    assert result.nodes["6"].detail == "0 điểm vì mục 6.2 ở mức “Không đạt”"
    assert result.total == 8  # only the parent is zeroed, not the grandparent's total


def test_count_is_capped_by_cap_and_by_max():
    assert points_of(leaf("1.2", "count", 4, per=1, cap=4), 3) == 3
    assert points_of(leaf("1.2", "count", 4, per=1, cap=4), 7) == 4
    assert points_of(leaf("1.2", "count", 4, per=1, cap=3), 7) == 3
    assert points_of(leaf("1.2", "count", 4, per="1.5", cap=None), 2) == 3
    assert points_of(leaf("1.2", "count", 4, per="1.5", cap=None), 5) == 4
    assert points_of(leaf("1.2", "count", 4, per=1, cap=100), 9) == 4
    assert points_of(leaf("1.2", "count", 4, per=1), D(2)) == 2
    for bad in (-1, "1,5", D("0.5")):
        with pytest.raises(InvalidInput):
            points_of(leaf("1.2", "count", 4), bad)


def test_minus_starts_at_max_and_floors_at_zero():
    rule = leaf("9.2", "minus", 5, per=0.5)
    assert points_of(rule, 0) == 5
    assert points_of(rule, 3) == D("3.5")
    assert points_of(rule, 20) == 0


def test_boolean_and_council():
    assert points_of(leaf("4.2", "boolean", 4), True) == 4
    assert points_of(leaf("4.2", "boolean", 4), False) == 0
    with pytest.raises(InvalidInput):
        points_of(leaf("4.2", "boolean", 4), "có")
    assert points_of(leaf("9.1", "council", 5), D("4.5")) == D("4.5")
    assert points_of(leaf("9.1", "council", 5), "4,75") == D("4.75")
    assert points_of(leaf("9.1", "council", 5), 7) == 5
    assert points_of(leaf("9.1", "council", 5), -1) == 0


def _survey(insufficient="zero", max_points=10):
    return leaf(
        "S",
        "survey",
        max_points,
        measure="pct_satisfied",
        floor=50,
        ceiling=100,
        min_sample=30,
        insufficient=insufficient,
    )


def test_survey_maps_floor_to_zero_and_ceiling_to_max():
    assert points_of(_survey(), SurveyIndex(80, 100)) == 6
    assert points_of(_survey(), SurveyIndex(40, 100)) == 0
    assert points_of(_survey(), SurveyIndex(100, 30)) == 10
    assert points_of(_survey(), (D("62.5"), 45)) == D("2.5")


def test_survey_with_too_small_a_sample():
    assert points_of(_survey("zero"), SurveyIndex(90, 29)) == 0
    assert points_of(_survey("neutral"), SurveyIndex(90, 29)) == 5
    result = score_unit(table(group("G", 100, _survey("neutral"))), {"S": SurveyIndex(10, 2)})
    assert "insufficient_sample" in result.nodes["S"].flags
    assert result.excluded == ()


def test_excluded_survey_is_removed_from_the_maximum_and_the_base_rescaled():
    rules = table(
        group("A", 50, leaf("A.1", "council", 50)),
        group("B", 50, leaf("B.1", "council", 40), _survey("excluded")),
    )
    result = score_unit(rules, {"A.1": 45, "B.1": 36, "S": SurveyIndex(95, 12)})
    assert result.excluded == ("S",)
    assert result.nodes["B"].max_points == 40
    assert result.points["S"] == 0
    assert result.base == 90  # 81 of 90 → × 100/90
    assert result.total == 90
    assert result.base_max == 100
    assert "quy đổi về thang 100: 81 × 100/90 = 90 điểm" in result.explanation[-3]


def test_an_empty_group_scores_zero_and_an_unknown_type_is_refused():
    result = score_unit(table(group("1", 10), leaf("2", "council", 10)), {"2": 7})
    assert result.points["1"] == 0 and result.total == 7 and result.missing == ()
    with pytest.raises(InvalidInput, match="mystery"):
        score_unit(table(leaf("1", "mystery", 10)), {"1": 1})


def test_missing_input_scores_zero_and_is_flagged():
    rules = table(
        group("1", 10, leaf("1.1", "ratio", 6), leaf("1.2", "count", 4)),
        group("T", 20, leaf("T.1", "count", 10, per=5, sanction="max_kha"), section="deduction"),
    )
    result = score_unit(rules, {"1.2": 2})
    assert result.missing == ("1.1", "T.1")
    assert result.points["1.1"] == 0
    assert result.nodes["1.1"].detail == "chưa có số liệu → 0 điểm"
    assert result.nodes["T.1"].detail == "chưa khai báo → không trừ điểm"
    assert result.deduction == 0 and result.sanctions == ()


# --- sections, caps, rounding -----------------------------------------------------------


def _sections(bonus_cap=8, deduction_cap=10, **settings_):
    return table(
        group("1", 100, leaf("1.1", "council", 100)),
        group(
            "B", 10, leaf("B.1", "count", 6, per=2), leaf("B.2", "count", 4, per=2), section="bonus"
        ),
        group(
            "T",
            20,
            leaf("T.1", "count", 10, per=5),
            leaf("T.2", "boolean", 10),
            section="deduction",
        ),
        bonus_cap=bonus_cap,
        deduction_cap=deduction_cap,
        **settings_,
    )


def test_bonus_and_deduction_caps():
    result = score_unit(_sections(), {"1.1": 80, "B.1": 3, "B.2": 2, "T.1": 1, "T.2": True})
    assert (result.bonus, result.deduction) == (8, 10)  # 6 + 4 capped at 8; 5 + 10 at 10
    assert result.total == 78
    assert "Điểm thưởng: cộng 8 điểm (các mục cộng được 10, tối đa 8)" in result.explanation


def test_no_cap_means_the_groups_maxima_only():
    result = score_unit(_sections(None, None), {"1.1": 80, "B.1": 3, "B.2": 9, "T.1": 1})
    assert (result.bonus, result.deduction) == (10, 5)


def test_total_never_below_zero_nor_above_the_maximum():
    low = score_unit(_sections(), {"1.1": 3, "T.1": 2})
    assert low.total == 0 and low.unrounded_total == 0
    high = score_unit(_sections(), {"1.1": 100, "B.1": 3, "B.2": 2})
    assert high.total == 108


@pytest.mark.parametrize(
    ("value", "rounded"),
    [("86.12", "86"), ("86.125", "86.25"), ("86.374", "86.25"), ("86.375", "86.5"), ("0.1", "0")],
)
def test_rounding_to_a_quarter_is_half_up(value, rounded):
    assert round_to_step(D(value), D("0.25")) == D(rounded)


def test_rounding_applies_to_the_total_only():
    rules = table(
        group("1", 50, leaf("1.1", "council", 50)),
        group("2", 50, leaf("2.1", "council", 50)),
        rounding_step=D("0.25"),
    )
    result = score_unit(rules, {"1.1": "40.06", "2.1": "40.06"})
    # each alone would round to 40 (total 80); the exact sum 80.12 rounds to 80.0 …
    assert result.total == 80 and result.base == D("80.12")
    result = score_unit(rules, {"1.1": "40.07", "2.1": "40.07"})
    # … and 80.14 rounds to 80.25, though each part alone would round down
    assert result.total == D("80.25")
    assert result.points["1.1"] == D("40.07")
    assert "làm tròn (bước 0,25): 80,25 điểm" in result.explanation[-2]
    assert round_to_step(D("80.14"), None) == D("80.14")


def test_grade_is_the_first_whose_minimum_the_total_reaches():
    grades = tuple(Grade(**g) for g in GRADES)
    assert [grade_index(D(t), grades) for t in (100, 90, "89.75", 80, 65, 50, 0)] == [
        0,
        0,
        1,
        1,
        2,
        3,
        4,
    ]
    assert grade_index(D(40), grades[:4]) == 4  # below every grade: not graded
    rules = table(leaf("1", "council", 100), grades=GRADES[:4])
    assert score_unit(rules, {"1": 40}).grade is None


# --- sanctions --------------------------------------------------------------------------


def _sanctioned(kind, grades=GRADES):
    return table(
        leaf("1", "council", 100),
        group("T", 20, leaf("T.1", "count", 10, per=1, sanction=kind), section="deduction"),
        grades=grades,
    )


@pytest.mark.parametrize(
    ("kind", "from_95", "from_72"),
    [
        ("no_excellent", "Tốt", "Khá"),
        ("max_kha", "Khá", "Khá"),
        ("down_one", "Tốt", "Trung bình"),
        ("force_weak", "Yếu", "Yếu"),
    ],
)
def test_every_sanction(kind, from_95, from_72):
    rules = _sanctioned(kind)
    high = score_unit(rules, {"1": 96, "T.1": 1})
    assert (high.total, high.grade_before_sanctions, high.grade) == (95, "Xuất sắc", from_95)
    assert [(s.code, s.kind) for s in high.sanctions] == [("T.1", kind)]
    assert score_unit(rules, {"1": 73, "T.1": 1}).grade == from_72


def test_a_sanction_needs_a_nonzero_deduction():
    result = score_unit(_sanctioned("force_weak"), {"1": 96, "T.1": 0})
    assert result.sanctions == () and result.grade == "Xuất sắc"


def test_max_kha_without_a_grade_named_kha_uses_the_third_grade():
    grades = [{"name": n, "min": m} for n, m in (("A", 90), ("B", 80), ("C", 65), ("D", 0))]
    assert score_unit(_sanctioned("max_kha", grades), {"1": 96, "T.1": 1}).grade == "C"


def test_down_one_stops_at_the_last_grade_and_does_not_compound_with_a_ceiling():
    assert score_unit(_sanctioned("down_one"), {"1": 11, "T.1": 1}).grade == "Yếu"
    grades = tuple(Grade(**g) for g in GRADES)
    assert apply_sanctions(0, ["down_one", "max_kha"], grades) == 2
    assert apply_sanctions(0, ["down_one", "down_one"], grades) == 2
    assert apply_sanctions(5, ["down_one", "no_excellent"], grades) == 5  # not graded stays


def test_explanation_reads_in_vietnamese():
    rules = table(
        group(
            "1",
            10,
            Rule(
                "1.1",
                "Tốc độ tăng trưởng GRDP",
                max_points=D(6),
                scoring_type="ratio",
                params={"over_rate": 1, "over_cap": 1},
                unit="%",
            ),
        ),
        group(
            "T",
            20,
            Rule(
                "T.1",
                "Cán bộ bị xử lý kỷ luật",
                max_points=D(10),
                scoring_type="count",
                params={"per": 5, "cap": 10},
                sanction="max_kha",
            ),
            section="deduction",
        ),
    )
    result = score_unit(rules, {"1.1": Quantity("9.9", 9), "T.1": 1})
    assert result.explanation[1] == (
        "1.1 Tốc độ tăng trưởng GRDP: đạt 9,9/9 % (110 %) → 6 điểm + 0,6 điểm vượt chỉ tiêu"
    )
    assert result.explanation[3] == (
        "T.1 Cán bộ bị xử lý kỷ luật: 1 lần × 5 = trừ 5 điểm; chế tài: không xếp trên loại Khá"
    )
    assert result.explanation[-1] == "Xếp loại: Yếu (chế tài mục T.1: không xếp trên loại Khá)"


def test_explanation_reads_in_english_when_asked():
    grdp = leaf("1.1", "ratio", 6, unit="%", over_rate=1, over_cap=1)
    discipline = leaf("T.1", "count", 10, sanction="max_kha", per=5, cap=10)
    rules = table(group("1", 10, grdp), group("T", 20, discipline, section="deduction"))
    inputs = {"1.1": Quantity("1234.5", "1122.3"), "T.1": 1}
    english = score_unit(rules, inputs, locale="en")
    assert english.explanation[1] == (
        "1.1 Mục 1.1: reached 1,234.5/1,122.3% (110%) → 6 points + 0.6 points for beating the target"
    )
    assert english.explanation[3] == (
        "T.1 Mục T.1: 1 time × 5 = 5 points deducted; sanction: graded Good at best"
    )
    assert english.explanation[-2] == "Total: 6.6 + 0 − 5 = 1.6 points"
    assert english.explanation[-1] == "Grade: Yếu (sanctions item T.1: graded Good at best)"
    vietnamese = score_unit(rules, inputs)
    assert vietnamese.explanation[1] == (
        "1.1 Mục 1.1: đạt 1.234,5/1.122,3 % (110 %) → 6 điểm + 0,6 điểm vượt chỉ tiêu"
    )
    assert vietnamese.explanation[-2] == "Tổng điểm: 6,6 + 0 − 5 = 1,6 điểm"
    assert english.total == vietnamese.total and english.points == vietnamese.points


def test_vietnamese_numbers():
    assert number(D("1234.5"), "vi") == "1.234,5"
    assert number(D("1234567"), "vi") == "1.234.567"
    assert number(D("0.3333333"), "vi") == "0,333"
    assert number(D("-2.50"), "vi") == "-2,5"
    assert number(D("105.56"), "vi", 1) == "105,6"


# --- from the ORM, duck-typed -----------------------------------------------------------


def _node(code, max_points, scoring_type="sum", children=(), position=0, **fields):
    node = SimpleNamespace(
        code=code,
        title=f"Mục {code}",
        section=fields.pop("section", None),
        max_points=D(str(max_points)),
        scoring_type=scoring_type,
        params=fields.pop("params", {}),
        sanction=fields.pop("sanction", None),
        unit_of_measure=fields.pop("unit", ""),
        position=position,
        children=list(children),
    )
    return node


def test_table_from_any_object_with_the_criteria_set_attributes():
    criteria_set = SimpleNamespace(
        roots=[
            _node(
                "T",
                20,
                section="deduction",
                position=2,
                children=[
                    _node("T.1", 10, "count", params={"per": 5.0, "cap": None}, sanction="down_one")
                ],
            ),
            _node(
                "1",
                10,
                section="base",
                position=0,
                children=[
                    _node("1.2", 4, "boolean", position=1),
                    _node("1.1", 6, "ratio", params={"over_rate": 0.5, "over_cap": 1}, unit="%"),
                ],
            ),
        ],
        rounding_step=D("0.25"),
        bonus_cap=None,
        deduction_cap=D(20),
        grades=GRADES,
        tie_break=["total", "bonus"],
    )
    rules = table_from_criteria_set(criteria_set)
    assert [r.code for r in rules.roots] == ["1", "T"]
    assert [c.code for c in rules.roots[0].children] == ["1.1", "1.2"]
    assert rules.roots[0].children[0].unit == "%"
    assert rules.tie_break == ("total", "bonus") and rules.grades[0].quota_pct == 25
    result = score_unit(rules, {"1.1": Quantity(12, 10), "1.2": True, "T.1": 1})
    assert result.points["1.1"] == D("6.6")  # 120 %: 0.5 % × 6 × 20 = 0.6 over target
    assert result.points["1"] == 10 and result.total == 5


def test_the_demo_campaign_table_scores_every_type():
    from emulation.criteria.service import default_params
    from emulation.demo.campaigns import BONUS, CRITERIA, DEDUCTION

    roots = []
    for position, (code, _title, max_points, _type, _params, _unit, children) in enumerate(
        CRITERIA
    ):
        kids = [
            _node(c[0], c[2], c[3], params={**default_params(c[3]), **(c[4] or {})})
            for c in children
        ]
        roots.append(_node(code, max_points, section="base", position=position, children=kids))
    for section, (code, _title, max_points, items) in (("bonus", BONUS), ("deduction", DEDUCTION)):
        kids = [
            _node(
                i[0],
                i[2],
                i[3],
                params={**default_params(i[3]), **i[4]},
                sanction=i[6] if len(i) > 6 else None,
            )
            for i in items
        ]
        roots.append(_node(code, max_points, section=section, position=99, children=kids))
    criteria_set = SimpleNamespace(
        roots=roots,
        rounding_step=D("0.25"),
        bonus_cap=D(10),
        deduction_cap=D(20),
        grades=GRADES,
        tie_break=["total"],
    )
    rules = table_from_criteria_set(criteria_set)
    inputs = {
        "1.1": Quantity("10.5", 10),
        "1.2": 2,
        "2.1": Quantity(105, 100),
        "3.1": Quantity(96, 95),
        "4.1": Quantity(5, 5),
        "4.2": True,
        "5.1": Quantity(60, 80),
        "5.2": 1,
        "6.1": Quantity("4.5", 5, 6),
        "6.2": "Khá",
        "7.1": 1,
        "7.2": 4,
        "8.1": True,
        "8.2": Quantity(12, 10),
        "9.1": D("4.5"),
        "9.2": 2,
        "10.1": 1,
        "B.1": 1,
        "B.2": 1,
        "T.1": 1,
        "T.2": 0,
    }
    result = score_unit(rules, inputs, peers=[{"3.1": Quantity(99, 95)}])
    assert rules.base_max == 100 and result.missing == ()
    group_points = [result.points[root.code] for root in rules.roots]
    # 1: 6 + 0.3 over target + 2; 2: 10.25 clamped; 3: 5 + (96−95)/(99−95)·5; 4: 6 + 4;
    # 5: 75 % of 6 + 1; 6: (4.5−6)/(5−6) = 150 % → 5, plus Khá 3; 7: 5 − 1 + 4;
    # 8: 5 + 10/12 of 5; 9: 4.5 + 5 − 2 × 0.5; 10: second level 5
    expected = ["8.3", 10, "6.25", 10, "5.5", 8, 8, None, "8.5", 5, 4, 5]
    for code, points, wanted in zip(
        [r.code for r in rules.roots], group_points, expected, strict=True
    ):
        if wanted is not None:
            assert points == D(str(wanted)), code
    # 8.2: 5 × 10/12 = 4.1666… kept to 0,001 like every leaf
    assert result.points["8.2"] == D("4.167") and result.points["8"] == D("9.167")
    assert result.unrounded_total == D("77.717")
    assert result.total == D("77.75")
    assert result.grade == "Khá" and [s.kind for s in result.sanctions] == ["max_kha"]
    assert len(result.explanation) == len(result.nodes) + 5


def test_the_engine_imports_neither_flask_nor_sqlalchemy():
    import subprocess

    code = (
        "import sys, emulation.scoring; "
        "print([m for m in sys.modules if m.split('.')[0] in ('flask', 'sqlalchemy', 'flask_babel')])"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert output.stdout.strip() == "[]"


# --- properties -------------------------------------------------------------------------

QUARTERS = st.integers(0, 80).map(lambda n: D(n) / 4)  # 0 … 20 in steps of 0.25
TYPES = ("ratio", "ratio_cluster", "choice", "count", "minus", "boolean", "council", "survey")


@st.composite
def leaf_rules(draw, code: str, section: str) -> Rule:
    scoring_type = draw(st.sampled_from(TYPES))
    params: dict = {}
    if scoring_type in ("ratio", "ratio_cluster"):
        params["direction"] = draw(st.sampled_from(["up", "down"]))
    if scoring_type == "ratio":
        params["over_rate"] = draw(st.sampled_from([0, 0.5, 1, 2]))
        params["over_cap"] = draw(st.sampled_from([0, 0.5, 1, 3]))
    elif scoring_type == "choice":
        points = draw(st.lists(QUARTERS, min_size=1, max_size=4))
        params["levels"] = [
            {"label": f"Mức {i}", "points": float(p), "zero_parent": draw(st.booleans())}
            for i, p in enumerate(points)
        ]
    elif scoring_type in ("count", "minus"):
        params["per"] = draw(st.sampled_from([0.25, 0.5, 1, 2, 5]))
        if scoring_type == "count":
            params["cap"] = draw(st.sampled_from([None, 1, 4, 100]))
    elif scoring_type == "survey":
        params.update(
            floor=50,
            ceiling=100,
            min_sample=draw(st.sampled_from([0, 10, 30])),
            insufficient=draw(st.sampled_from(["zero", "neutral", "excluded"])),
        )
    sanction = draw(st.sampled_from([None, *SANCTION_KINDS])) if section == "deduction" else None
    return leaf(code, scoring_type, draw(QUARTERS), sanction=sanction, **params)


@st.composite
def subtrees(draw, code: str, section: str, depth: int) -> Rule:
    """A node whose children's maxima may exceed its own: clamping must hold anyway."""
    if depth == 3 or (depth > 1 and draw(st.integers(0, 2)) == 0):
        return draw(leaf_rules(code, section))
    count = draw(st.integers(1, 3))
    children = [draw(subtrees(f"{code}.{i}", section, depth + 1)) for i in range(1, count + 1)]
    return Rule(code, code, max_points=draw(QUARTERS), children=children)


@st.composite
def tables(draw) -> ScoringTable:
    roots = []
    for section, prefix, low, high in (
        ("base", "", 1, 4),
        ("bonus", "B", 0, 2),
        ("deduction", "T", 0, 2),
    ):
        for i in range(draw(st.integers(low, high))):
            if draw(st.integers(0, 4)) == 0:
                root = draw(leaf_rules(f"{prefix}{i}", section))
            else:
                root = draw(subtrees(f"{prefix}{i}", section, 1))
            roots.append(dataclasses.replace(root, section=section))
    caps = st.sampled_from([None, D(0), D(5), D(10), D(20)])
    return ScoringTable(
        roots=roots,
        rounding_step=draw(st.sampled_from([None, D("0.25"), D("0.5"), D(1)])),
        bonus_cap=draw(caps),
        deduction_cap=draw(caps),
        grades=GRADES,
        tie_break=("total",),
    )


def _input(draw, rule: Rule):
    if draw(st.integers(0, 9)) == 0:
        return None
    kind = rule.scoring_type
    if kind in ("ratio", "ratio_cluster"):
        numbers = st.integers(-40, 800).map(lambda n: D(n) / 4)
        target = draw(st.integers(0, 400).map(lambda n: D(n) / 4))
        return Quantity(draw(numbers), target, draw(st.one_of(st.none(), numbers)))
    if kind == "choice":
        return draw(st.integers(0, len(rule.params["levels"]) - 1))
    if kind in ("count", "minus"):
        return draw(st.integers(0, 12))
    if kind == "boolean":
        return draw(st.booleans())
    if kind == "council":
        return draw(st.integers(-8, 100).map(lambda n: D(n) / 4))
    return SurveyIndex(draw(st.integers(0, 100)), draw(st.integers(0, 60)))


@st.composite
def groups_of_inputs(draw, rules: ScoringTable) -> dict:
    leaves = [rule for rule, _depth, _section in rules.walk() if not rule.children]
    return {
        unit: {rule.code: _input(draw, rule) for rule in leaves}
        for unit in range(draw(st.integers(1, 4)))
    }


@st.composite
def scored_groups(draw):
    rules = draw(tables())
    return rules, draw(groups_of_inputs(rules))


def _ceiling(rule: Rule, has_parent: bool, node) -> Decimal:
    allowance = rule.number("over_cap", 0) if rule.scoring_type == "ratio" and has_parent else 0
    return node.max_points + (allowance if not rule.children else 0)


def _check_node(rule: Rule, has_parent: bool, result) -> None:
    node = result.nodes[rule.code]
    assert node.max_points <= rule.max_points
    assert D(0) <= node.points <= _ceiling(rule, has_parent, node), rule.code
    if rule.children:
        summed = sum((result.points[child.code] for child in rule.children), D(0))
        expected = D(0) if "zeroed" in node.flags else min(summed, node.max_points)
        assert node.points == expected, rule.code
        for child in rule.children:
            _check_node(child, True, result)


@settings(max_examples=300, deadline=None)
@given(scored_groups())
def test_no_score_exceeds_its_maximum(case):
    rules, inputs = case
    for result in score_group(rules, inputs).values():
        for root in rules.roots:
            _check_node(root, False, result)
            assert result.points[root.code] <= root.max_points
        assert result.base <= rules.base_max
        bonus_roots = sum((r.max_points for r in rules.roots if r.section == "bonus"), D(0))
        assert D(0) <= result.bonus <= bonus_roots
        if rules.bonus_cap is not None:
            assert result.bonus <= rules.bonus_cap
        if rules.deduction_cap is not None:
            assert result.deduction <= rules.deduction_cap
        assert D(0) <= result.total <= rules.base_max + rules.bonus_max
        assert result.unrounded_total == max(result.base + result.bonus - result.deduction, 0)
        if not rules.rounding_step:
            assert result.total == result.unrounded_total
        elif result.total < rules.max_total:  # halves round up, so never down by half a step
            half_step = rules.rounding_step / 2
            assert -half_step < result.total - result.unrounded_total <= half_step
        if rules.rounding_step and result.total < rules.max_total:
            assert result.total % rules.rounding_step == 0
        assert len(result.explanation) == len(result.nodes) + 3 + (
            any(r.section == "bonus" for r in rules.roots)
        ) + any(r.section == "deduction" for r in rules.roots)


@st.composite
def ratio_cases(draw):
    direction = draw(st.sampled_from(["up", "down"]))
    numbers = st.integers(-400, 4000).map(lambda n: D(n) / 8)
    target = draw(numbers)
    baseline = draw(st.one_of(st.none(), numbers))
    if baseline is not None and (target > baseline) != (direction == "up"):
        target, baseline = baseline, target  # a registered target lies the good way
    a1, a2 = sorted([draw(numbers), draw(numbers)])
    params = {
        "direction": direction,
        "over_rate": draw(st.sampled_from([0, 0.25, 1, 3])),
        "over_cap": draw(st.sampled_from([0, 0.5, 2])),
    }
    return direction, target, baseline, a1, a2, params


@settings(max_examples=500, deadline=None)
@given(ratio_cases(), st.sampled_from([D(1), D(6), D("7.5")]))
def test_ratio_points_move_with_achievement(case, max_points):
    direction, target, baseline, a1, a2, params = case
    rule = leaf("R", "ratio", max_points, **params)
    low = points_of(rule, Quantity(a1, target, baseline))
    high = points_of(rule, Quantity(a2, target, baseline))
    if direction == "up":
        assert low <= high
    else:
        assert low >= high
    assert D(0) <= min(low, high) and max(low, high) <= max_points + D(str(params["over_cap"]))


@st.composite
def cluster_cases(draw):
    direction = draw(st.sampled_from(["up", "down"]))
    target = draw(st.integers(0, 100).map(D))
    actuals = draw(st.lists(st.integers(0, 200).map(lambda n: D(n) / 2), min_size=1, max_size=8))
    return direction, target, actuals


@settings(max_examples=300, deadline=None)
@given(cluster_cases(), st.sampled_from([D(1), D(10), D("7.5")]))
def test_cluster_points_rank_units_sharing_a_target(case, max_points):
    direction, target, actuals = case
    rules = table(group("G", 100, leaf("C", "ratio_cluster", max_points, direction=direction)))
    results = score_group(rules, {i: {"C": Quantity(a, target)} for i, a in enumerate(actuals)})
    scored = sorted((a, results[i].points["C"]) for i, a in enumerate(actuals))
    if direction == "down":
        scored = [(a, p) for a, p in reversed(scored)]  # from worst to best
    points = [p for _a, p in scored]
    assert points == sorted(points)  # better achievement never scores less
    half = max_points / 2
    for actual, p in scored:
        better = actual > target if direction == "up" else actual < target
        assert (half < p <= max_points) if better else (0 <= p <= half)
        assert (p == half) == (actual == target)
    if any(actual != target for actual, _p in scored) and points[-1] > half:
        assert points[-1] == max_points  # the best over-achiever gets the max


GRADE_LISTS = st.lists(
    st.sampled_from(["Xuất sắc", "Tốt", "Khá", "Trung bình", "Yếu", "Đạt"]),
    min_size=1,
    max_size=6,
    unique=True,
).map(lambda names: tuple(Grade(n, D(90 - 10 * i)) for i, n in enumerate(names)))


@given(
    GRADE_LISTS,
    st.data(),
    st.lists(st.sampled_from(SANCTION_KINDS), max_size=4),
    st.sampled_from(SANCTION_KINDS),
)
def test_adding_a_sanction_never_raises_a_grade(grades, data, kinds, extra):
    earned = data.draw(st.integers(0, len(grades)))
    before = apply_sanctions(earned, kinds, grades)
    assert before >= earned
    assert apply_sanctions(earned, [*kinds, extra], grades) >= before
    assert apply_sanctions(earned, [extra, *kinds], grades) >= before


def _with_sanction(rule: Rule, code: str, kind: str) -> Rule:
    if rule.code == code:
        return dataclasses.replace(rule, sanction=kind)
    return dataclasses.replace(
        rule, children=[_with_sanction(c, code, kind) for c in rule.children]
    )


@settings(max_examples=200, deadline=None)
@given(scored_groups(), st.sampled_from(SANCTION_KINDS), st.data())
def test_a_sanction_added_to_the_table_never_raises_a_grade(case, kind, data):
    rules, inputs = case
    deduction_items = [
        rule.code for rule, depth, section in rules.walk() if section == "deduction" and depth > 1
    ]
    if not deduction_items:
        return
    code = data.draw(st.sampled_from(deduction_items))
    stricter = dataclasses.replace(
        rules, roots=[_with_sanction(r, code, kind) for r in rules.roots]
    )
    before, after = score_group(rules, inputs), score_group(stricter, inputs)
    for unit, result in before.items():
        assert after[unit].total == result.total
        assert index_of(after[unit].grade, rules.grades) >= index_of(result.grade, rules.grades)
        triggered = (code, kind) in [(s.code, s.kind) for s in after[unit].sanctions]
        assert triggered == (after[unit].points[code] > 0)
