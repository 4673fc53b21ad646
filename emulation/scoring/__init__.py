"""Scoring: the engine and ranking as pure functions (engine, rules, grading, ranking, wording,
assignment: no Flask, no database, an import contract says so), and around them the sheets
(stages, scores, returns, explanations), the SQL totals and the audit chain.

The web layer converts a CriteriaSet with `table_from_criteria_set`, gathers each unit's
inputs (leaf code → value), scores a cluster with `score_group` and ranks it with `rank`.
"""

from .engine import (
    AppliedSanction,
    NodeScore,
    UnitResult,
    cluster_bests,
    cluster_points,
    ratio_points,
    ratio_progress,
    round_to_step,
    score_group,
    score_unit,
    score_with_bests,
    survey_points,
)
from .grading import apply_sanctions, grade_index, grade_name
from .ranking import RankedEntry, apply_quotas, merit, quota_limit, rank, tie_break_keys
from .rules import (
    Grade,
    InvalidInput,
    Quantity,
    Rule,
    Rulebook,
    ScoringTable,
    SurveyIndex,
    table_from_criteria_set,
    to_decimal,
)

__all__ = [
    "AppliedSanction",
    "Grade",
    "InvalidInput",
    "NodeScore",
    "Quantity",
    "RankedEntry",
    "Rule",
    "Rulebook",
    "ScoringTable",
    "SurveyIndex",
    "UnitResult",
    "apply_quotas",
    "apply_sanctions",
    "cluster_bests",
    "cluster_points",
    "grade_index",
    "grade_name",
    "merit",
    "quota_limit",
    "rank",
    "ratio_points",
    "ratio_progress",
    "round_to_step",
    "score_group",
    "score_unit",
    "score_with_bests",
    "survey_points",
    "table_from_criteria_set",
    "tie_break_keys",
    "to_decimal",
]
