"""Criteria sets as data: scoring types and their parameters, sections, sanctions, grades.

The scoring engine reads these; nothing about a particular table is written in code.
"""

from __future__ import annotations

from copy import deepcopy
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import lazy_gettext as _l

from emulation.extensions import db
from emulation.models import CriteriaSet, Criterion


@dataclass(frozen=True)
class Param:
    """One parameter of a scoring type, as stored in Criterion.params."""

    name: str
    label: str
    kind: str = "number"  # number | choice | levels
    default: object = None
    choices: tuple = ()


SECTIONS = {
    "base": _l("Điểm chuẩn"),
    "bonus": _l("Điểm thưởng"),
    "deduction": _l("Điểm trừ"),
}

# Sanctions a deduction item may carry besides its points (domain.md, "Criteria sets").
SANCTIONS = {
    "no_excellent": _l("Không xếp loại Xuất sắc"),
    "max_kha": _l("Không xếp trên loại Khá"),
    "down_one": _l("Hạ một bậc xếp loại"),
    "force_weak": _l("Xếp loại Yếu"),
}

SCORING_TYPES: dict[str, tuple[str, tuple[Param, ...]]] = {
    "sum": (_l("Cộng điểm các mục con"), ()),
    "ratio": (
        _l("Tỷ lệ so với chỉ tiêu"),
        (
            Param(
                "direction",
                _l("Chiều tốt"),
                "choice",
                "up",
                (("up", _l("Càng cao càng tốt")), ("down", _l("Càng thấp càng tốt"))),
            ),
            Param(
                "over_rate",
                _l("Điểm thưởng cho mỗi 1% vượt chỉ tiêu (tính theo % điểm tối đa)"),
                default=0,
            ),
            Param("over_cap", _l("Điểm thưởng vượt chỉ tiêu tối đa"), default=0),
        ),
    ),
    "ratio_cluster": (
        _l("Tỷ lệ so với chỉ tiêu, so sánh trong cụm"),
        (
            Param(
                "direction",
                _l("Chiều tốt"),
                "choice",
                "up",
                (("up", _l("Càng cao càng tốt")), ("down", _l("Càng thấp càng tốt"))),
            ),
        ),
    ),
    "choice": (_l("Chọn mức"), (Param("levels", _l("Các mức"), "levels", []),)),
    "count": (
        _l("Đếm số lần (điểm mỗi lần, có trần)"),
        (Param("per", _l("Điểm mỗi lần"), default=1), Param("cap", _l("Tối đa"), default=None)),
    ),
    "minus": (
        _l("Trừ dần từ điểm tối đa"),
        (Param("per", _l("Điểm trừ mỗi lần"), default=0.5),),
    ),
    "boolean": (_l("Đạt / không đạt"), ()),
    "council": (_l("Hội đồng chấm"), ()),
    "survey": (
        _l("Chỉ số khảo sát"),
        (
            Param(
                "measure",
                _l("Thước đo"),
                "choice",
                "pct_satisfied",
                (("pct_satisfied", _l("% hài lòng")), ("mean", _l("Điểm trung bình"))),
            ),
            Param("floor", _l("Chỉ số ứng với 0 điểm"), default=50),
            Param("ceiling", _l("Chỉ số ứng với điểm tối đa"), default=100),
            Param("min_sample", _l("Cỡ mẫu tối thiểu"), default=30),
            Param(
                "insufficient",
                _l("Khi không đủ mẫu"),
                "choice",
                "zero",
                (
                    ("zero", _l("Tính 0 điểm")),
                    ("neutral", _l("Tính một nửa điểm")),
                    ("excluded", _l("Không tính tiêu chí này")),
                ),
            ),
        ),
    ),
}

# Types whose input is a quantity measured against a registered target.
QUANTITATIVE_TYPES = ("ratio", "ratio_cluster")

DEFAULT_GRADES = [
    {"name": "Xuất sắc", "min": 90, "quota_pct": 25},
    {"name": "Tốt", "min": 80, "quota_pct": None},
    {"name": "Khá", "min": 65, "quota_pct": None},
    {"name": "Trung bình", "min": 50, "quota_pct": None},
    {"name": "Yếu", "min": 0, "quota_pct": None},
]
DEFAULT_TIE_BREAK = ["total", "bonus"]


def type_label(scoring_type: str) -> str:
    return str(SCORING_TYPES.get(scoring_type, (scoring_type,))[0])


def default_params(scoring_type: str) -> dict:
    return {p.name: deepcopy(p.default) for p in SCORING_TYPES.get(scoring_type, ("", ()))[1]}


def new_criteria_set(campaign) -> CriteriaSet:
    """An empty set with the usual rules: rounding to 0.25, bonus +10, deduction −20."""
    criteria_set = CriteriaSet(
        campaign=campaign,
        rounding_step=Decimal("0.25"),
        bonus_cap=Decimal("10"),
        deduction_cap=Decimal("20"),
        grades=deepcopy(DEFAULT_GRADES),
        tie_break=list(DEFAULT_TIE_BREAK),
    )
    db.session.add(criteria_set)
    return criteria_set


def walk(nodes: list[Criterion]):
    """Depth-first, in display order."""
    for node in sorted(nodes, key=lambda n: (n.position, n.id or 0)):
        yield node
        yield from walk(node.children)


def quantitative_leaves(criteria_set: CriteriaSet | None) -> list[Criterion]:
    """The criteria a unit registers a numeric target for, in display order."""
    if criteria_set is None:
        return []
    return [
        c for c in walk(criteria_set.roots) if c.is_leaf and c.scoring_type in QUANTITATIVE_TYPES
    ]


def copy_criteria_set(source: CriteriaSet, campaign) -> CriteriaSet:
    """A deep copy of a set (rules and the whole tree) for another campaign."""
    copy = CriteriaSet(
        campaign=campaign,
        rounding_step=source.rounding_step,
        bonus_cap=source.bonus_cap,
        deduction_cap=source.deduction_cap,
        grades=deepcopy(source.grades),
        tie_break=list(source.tie_break),
    )
    db.session.add(copy)

    def clone(node: Criterion, parent: Criterion | None) -> None:
        twin = Criterion(
            criteria_set=copy,
            parent=parent,
            position=node.position,
            code=node.code,
            title=node.title,
            section=node.section,
            max_points=node.max_points,
            scoring_type=node.scoring_type,
            params=deepcopy(node.params),
            guidance=node.guidance,
            evidence=node.evidence,
            evidence_required=node.evidence_required,
            unit_of_measure=node.unit_of_measure,
            sanction=node.sanction,
        )
        db.session.add(twin)
        for child in node.children:
            clone(child, twin)

    for root in source.roots:
        clone(root, None)
    return copy
