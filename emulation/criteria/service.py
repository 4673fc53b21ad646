"""Criteria sets as data: scoring types and their parameters, sections, sanctions, grades.

The scoring engine reads these; nothing about a particular table is written in code.
The editor and the file import both check a set through the same rules here: first each
node's own fields (`clean_values`), then the tree (`tree_problems`), then the set-level
settings (`clean_settings`). A change is checked on a plain copy of the tree before the
database objects are touched, so a refused change leaves the session clean.
"""

from __future__ import annotations

import re
from copy import deepcopy
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from emulation.core.clock import utcnow
from emulation.core.errors import DomainError, NotAllowed
from emulation.core.extensions import db
from emulation.core.i18n import format_plain
from emulation.core.text import nfc
from emulation.criteria.models import CriteriaSet, Criterion


@dataclass(frozen=True)
class Param:
    """One parameter of a scoring type, as stored in Criterion.params."""

    name: str
    label: str
    kind: str = "number"  # number | choice | levels | text
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
                "survey",
                _l("Mã khảo sát (để trống khi phong trào chỉ có một khảo sát)"),
                "text",
                "",
            ),
            Param("component", _l("Mã nhóm chỉ số (để trống: chỉ số chung)"), "text", ""),
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


# --- editing the tree -----------------------------------------------------------------------

MAX_DEPTH = 3  # group → criterion → sub-criterion
CODE_LENGTH, TITLE_LENGTH, UNIT_LENGTH = 20, 500, 40
TEXT_PARAM_LENGTH = 40  # a survey or component code
NODE_FIELDS = (
    "code",
    "title",
    "section",
    "max_points",
    "scoring_type",
    "params",
    "guidance",
    "evidence",
    "evidence_required",
    "unit_of_measure",
    "sanction",
)
FIELD_LABELS = {
    "code": _l("Mã"),
    "parent": _l("Mã mục cha"),
    "section": _l("Phần"),
    "title": _l("Tên"),
    "max_points": _l("Điểm tối đa"),
    "scoring_type": _l("Cách chấm"),
    "params": _l("Tham số"),
    "guidance": _l("Hướng dẫn"),
    "evidence": _l("Minh chứng"),
    "evidence_required": _l("Bắt buộc minh chứng"),
    "unit_of_measure": _l("Đơn vị tính"),
    "sanction": _l("Chế tài"),
    "rounding_step": _l("Bước làm tròn"),
    "bonus_cap": _l("Trần điểm thưởng"),
    "deduction_cap": _l("Trần điểm trừ"),
    "grades": _l("Xếp loại"),
    "tie_break": _l("Thứ tự phân định khi bằng điểm"),
}
TIE_BREAK_KEYS = {
    "total": _l("Tổng điểm"),
    "bonus": _l("Điểm thưởng"),
    "deduction": _l("Điểm trừ (ít hơn xếp trên)"),
}
GROUP_KEY = "group:"
YES_WORDS = {"co", "có", "x", "1", "true", "yes", "bat buoc", "bắt buộc"}
NO_WORDS = {"", "khong", "không", "0", "false", "no"}
_POINTS_TEXT = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
_THOUSANDTH = Decimal("0.001")
_POINTS_LIMIT = Decimal("100000")  # Numeric(8, 3)


class InvalidCriteria(DomainError):
    """Some fields were refused; `errors` maps each field to its messages.

    Fields are the names in NODE_FIELDS or of the set settings; a scoring-type parameter is
    "params.<name>", a grade cell "grades.<index>.<key>", a tie-break key "tie_break.<index>", and ""
    is a message about the item as a whole.
    """

    def __init__(self, errors: dict[str, list[str]]):
        first_field, messages = next(iter(errors.items()))
        super().__init__(messages[0], first_field)
        self.errors = errors


def _add_error(errors: dict[str, list[str]], name: str, message: str) -> None:
    messages = errors.setdefault(name, [])
    if message not in messages:
        messages.append(message)


def parse_points(value) -> Decimal | None:
    """Points as people type them: "1,5", "0,25", "1.5" (numbers pass through); empty → None.

    Only one decimal mark, comma or dot, and no thousands separators: points are small.
    Raises ValueError when the text is not a number.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int | Decimal):
        if isinstance(value, Decimal) and not value.is_finite():
            raise ValueError(value)
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(str(value))
    text = str(value).strip().replace(" ", "").replace("\u00a0", "").replace("\u2212", "-")
    if not text:
        return None
    text = text.replace(",", ".")
    if not _POINTS_TEXT.fullmatch(text):
        raise ValueError(value)
    try:
        return Decimal(text)
    except InvalidOperation as exc:  # pragma: no cover - the pattern already refuses these
        raise ValueError(value) from exc


def json_number(value: Decimal) -> int | float:
    """A number as JSON keeps it: an int when whole, else a float."""
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


def _number_message() -> str:
    return _("Hãy nhập một số, ví dụ 1,5 hoặc 0,25.")


def _clean_points(
    raw, errors: dict, name: str, *, required: bool = False, positive: bool = False
) -> Decimal | None:
    """A points field (max, cap, rounding step): a number ≥ 0 with at most 3 decimals."""
    try:
        value = parse_points(raw)
    except ValueError:
        _add_error(errors, name, _number_message())
        return None
    if value is None:
        if required:
            _add_error(errors, name, _("Cần nhập điểm tối đa."))
        return None
    if positive and value <= 0:
        _add_error(errors, name, _("Phải lớn hơn 0."))
    elif value < 0:
        _add_error(errors, name, _("Không được âm."))
    elif value != value.quantize(_THOUSANDTH) or value >= _POINTS_LIMIT:
        _add_error(errors, name, _("Điểm ghi tối đa 3 chữ số thập phân và nhỏ hơn 100000."))
    else:
        return value
    return None


def parse_flag(value) -> bool:
    """Có / Không (x, 1, true … also do); raises ValueError for anything else."""
    if isinstance(value, bool):
        return value
    word = nfc("" if value is None else str(value)).lower()
    if word in YES_WORDS:
        return True
    if word in NO_WORDS:
        return False
    raise ValueError(value)


def levels_as_text(levels: list[dict]) -> str:
    """Choice levels as the editor shows them: one "label | points" line each, "| 0" to zero."""
    lines = []
    for level in levels or []:
        line = f"{level.get('label', '')} | {format_plain(level.get('points'))}"
        lines.append(line + (" | 0" if level.get("zero_parent") else ""))
    return "\n".join(lines)


def _levels_from_text(text: str) -> tuple[list[dict], list[str]]:
    items, messages = [], []
    lines = [line for line in text.splitlines() if line.strip()]
    for number, line in enumerate(lines, start=1):
        parts = [part.strip() for part in line.split("|")]
        if len(parts) not in (2, 3) or (len(parts) == 3 and parts[2] not in ("", "0")):
            messages.append(
                _(
                    "Mức %(n)s: ghi theo mẫu “tên mức | điểm”, thêm “| 0” nếu mức này đưa điểm mục cha về 0.",
                    n=number,
                )
            )
            items.append(None)
            continue
        item = {"label": parts[0], "points": parts[1]}
        if len(parts) == 3 and parts[2] == "0":
            item["zero_parent"] = True
        items.append(item)
    return items, messages


def clean_levels(value, max_points: Decimal | None) -> tuple[list[dict], list[str]]:
    """Choice levels from JSON ([{"label", "points", "zero_parent"}]) or the editor's lines."""
    if isinstance(value, str):
        items, messages = _levels_from_text(value)
    elif isinstance(value, list):
        items, messages = value, []
    else:
        return [], [_("Các mức phải là một danh sách.")]
    levels = []
    for number, item in enumerate(items, start=1):
        if item is None:
            continue  # already reported
        if not isinstance(item, dict):
            messages.append(_("Mức %(n)s: cần có tên mức và điểm.", n=number))
            continue
        unknown = sorted(set(item) - {"label", "points", "zero_parent"})
        if unknown:
            messages.append(
                _("Mức %(n)s: không có thuộc tính %(names)s.", n=number, names=", ".join(unknown))
            )
        label = nfc(str(item.get("label") or ""))
        if not label:
            messages.append(_("Mức %(n)s: cần tên mức.", n=number))
        try:
            points = parse_points(item.get("points"))
        except ValueError:
            messages.append(_("Mức %(n)s: điểm phải là một số.", n=number))
            continue
        if points is None:
            messages.append(_("Mức %(n)s: cần nhập điểm.", n=number))
            continue
        if points < 0:
            messages.append(_("Mức %(n)s: điểm không được âm.", n=number))
        elif max_points is not None and points > max_points:
            messages.append(
                _(
                    "Mức %(n)s: điểm (%(points)s) vượt điểm tối đa (%(max)s).",
                    n=number,
                    points=format_plain(points),
                    max=format_plain(max_points),
                )
            )
        zero = item.get("zero_parent", False)
        if not isinstance(zero, bool):
            messages.append(_("Mức %(n)s: zero_parent phải là true hoặc false.", n=number))
        level = {"label": label, "points": json_number(points)}
        if zero is True:
            level["zero_parent"] = True
        levels.append(level)
    if not items and not messages:
        messages.append(_("Cần ít nhất một mức."))
    return levels, messages


def clean_params(
    scoring_type: str, raw: dict | None, max_points: Decimal | None = None
) -> tuple[dict, dict[str, list[str]]]:
    """The parameters of a scoring type, typed; a missing one takes its default.

    Values may be form text ("1,5"; levels as "label | points" lines) or JSON values.
    Messages are keyed "params.<name>", or "params" for the parameters as a whole.
    """
    specs = SCORING_TYPES[scoring_type][1]
    errors: dict[str, list[str]] = {}
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        return {}, {"params": [_('Tham số phải là một đối tượng JSON, ví dụ {"per": 1}.')]}
    known = {spec.name for spec in specs}
    for name in raw:
        if name not in known:
            _add_error(
                errors,
                "params",
                _(
                    "Cách chấm “%(type)s” không có tham số “%(name)s”.",
                    type=type_label(scoring_type),
                    name=name,
                ),
            )
    params: dict = {}
    for spec in specs:
        key = f"params.{spec.name}"
        value = raw.get(spec.name, deepcopy(spec.default))
        if spec.kind == "number":
            try:
                number = parse_points(value)
            except ValueError:
                _add_error(errors, key, _number_message())
                continue
            if number is None:
                if spec.default is not None:
                    _add_error(errors, key, _("Cần nhập giá trị."))
                else:
                    params[spec.name] = None
            elif number < 0:
                _add_error(errors, key, _("Không được âm."))
            else:
                params[spec.name] = json_number(number)
        elif spec.kind == "choice":
            value = "" if value is None else str(value).strip()
            allowed = [code for code, _label in spec.choices]
            if value not in allowed:
                _add_error(
                    errors,
                    key,
                    _("Chọn một trong: %(choices)s.", choices=", ".join(allowed)),
                )
            else:
                params[spec.name] = value
        elif spec.kind == "text":
            value = nfc("" if value is None else str(value))
            if len(value) > TEXT_PARAM_LENGTH:
                _add_error(errors, key, _("Tối đa %(n)s ký tự.", n=TEXT_PARAM_LENGTH))
            else:
                params[spec.name] = value
        elif spec.kind == "levels":
            levels, messages = clean_levels(value, max_points)
            for message in messages:
                _add_error(errors, key, message)
            params[spec.name] = levels
    if scoring_type == "survey" and not errors:
        if params["floor"] >= params["ceiling"]:
            _add_error(errors, "params.ceiling", _("Phải lớn hơn chỉ số ứng với 0 điểm."))
        if params["min_sample"] != int(params["min_sample"]):
            _add_error(errors, "params.min_sample", _("Cỡ mẫu phải là số nguyên."))
    return params, errors


def clean_values(values: dict) -> tuple[dict, dict[str, list[str]]]:
    """A node's own fields, typed and checked (the tree is checked by `tree_problems`)."""
    errors: dict[str, list[str]] = {}
    code = nfc(values.get("code"))
    if not code:
        _add_error(errors, "code", _("Cần nhập mã mục, ví dụ 1, 1.2 hoặc 1.2.a."))
    elif len(code) > CODE_LENGTH:
        _add_error(errors, "code", _("Mã mục tối đa %(n)s ký tự.", n=CODE_LENGTH))
    title = nfc(values.get("title"))
    if not title:
        _add_error(errors, "title", _("Cần nhập tên mục."))
    elif len(title) > TITLE_LENGTH:
        _add_error(errors, "title", _("Tên mục tối đa %(n)s ký tự.", n=TITLE_LENGTH))
    section = nfc(values.get("section")) or None
    if section is not None and section not in SECTIONS:
        _add_error(
            errors,
            "section",
            _(
                "Phần “%(value)s” không hợp lệ; ghi base (điểm chuẩn), bonus (điểm thưởng) hoặc deduction (điểm trừ).",
                value=section,
            ),
        )
    max_points = _clean_points(values.get("max_points"), errors, "max_points", required=True)
    scoring_type = nfc(values.get("scoring_type")) or "sum"
    params: dict = {}
    if scoring_type not in SCORING_TYPES:
        _add_error(
            errors,
            "scoring_type",
            _(
                "Cách chấm “%(value)s” không có trong danh mục (%(codes)s).",
                value=scoring_type,
                codes=", ".join(SCORING_TYPES),
            ),
        )
    else:
        params, param_errors = clean_params(scoring_type, values.get("params"), max_points)
        for name, messages in param_errors.items():
            for message in messages:
                _add_error(errors, name, message)
    sanction = nfc(values.get("sanction")) or None
    if sanction is not None and sanction not in SANCTIONS:
        _add_error(
            errors,
            "sanction",
            _(
                "Chế tài “%(value)s” không có trong danh mục (%(codes)s).",
                value=sanction,
                codes=", ".join(SANCTIONS),
            ),
        )
    unit_of_measure = nfc(values.get("unit_of_measure"))
    if len(unit_of_measure) > UNIT_LENGTH:
        _add_error(errors, "unit_of_measure", _("Tối đa %(n)s ký tự.", n=UNIT_LENGTH))
    try:
        evidence_required = parse_flag(values.get("evidence_required"))
    except ValueError:
        evidence_required = False
        _add_error(errors, "evidence_required", _("Hãy ghi Có hoặc Không."))
    cleaned = {
        "code": code,
        "title": title,
        "section": section,
        "max_points": max_points,
        "scoring_type": scoring_type,
        "params": params,
        "guidance": nfc(values.get("guidance")),
        "evidence": nfc(values.get("evidence")),
        "evidence_required": evidence_required,
        "unit_of_measure": unit_of_measure,
        "sanction": sanction,
    }
    return cleaned, errors


@dataclass(eq=False)
class Node:
    """A plain copy of a criterion or of an imported row, for checking a tree before saving it."""

    code: str = ""
    title: str = ""
    section: str | None = None
    max_points: Decimal | None = None
    scoring_type: str = "sum"
    params: dict = field(default_factory=dict)
    guidance: str = ""
    evidence: str = ""
    evidence_required: bool = False
    unit_of_measure: str = ""
    sanction: str | None = None
    parent: Node | None = None
    children: list[Node] = field(default_factory=list)
    source: object = None  # the Criterion, or the import row, this node stands for

    @property
    def depth(self) -> int:
        depth, node = 1, self.parent
        while node is not None:
            depth, node = depth + 1, node.parent
        return depth

    @property
    def root_section(self) -> str:
        node = self
        while node.parent is not None:
            node = node.parent
        return node.section or "base"

    def values(self) -> dict:
        return {name: getattr(self, name) for name in NODE_FIELDS}


def snapshot(criteria_set: CriteriaSet) -> list[Node]:
    """Plain copies of a set's criteria, in display order."""
    nodes: list[Node] = []
    copies: dict[int, Node] = {}
    for criterion in walk(criteria_set.roots):
        parent = copies.get(id(criterion.parent)) if criterion.parent is not None else None
        node = Node(
            **{name: deepcopy(getattr(criterion, name)) for name in NODE_FIELDS},
            parent=parent,
            source=criterion,
        )
        node.params = node.params or {}
        if parent is not None:
            parent.children.append(node)
        copies[id(criterion)] = node
        nodes.append(node)
    return nodes


@dataclass
class Problem:
    """Something wrong with one node of a tree: which field, in words; `rule` names the check."""

    node: Node
    field: str
    message: str
    rule: str = ""


def tree_problems(nodes: list[Node], *, complete: bool = True) -> list[Problem]:
    """What is wrong with a tree as a whole: depth, duplicate codes, where sections and
    sanctions may appear, the scoring types of leaves and inner nodes, and the maxima.

    `complete=False` (while editing) lets a group wait for its first child with type "sum".
    """
    problems: list[Problem] = []
    seen: dict[str, Node] = {}
    sum_label = type_label("sum")
    for node in nodes:
        key = node.code.casefold()
        if key and key in seen:
            problems.append(
                Problem(
                    node,
                    "code",
                    _(
                        "Mã %(code)s bị trùng với mục “%(title)s”.",
                        code=node.code,
                        title=seen[key].title,
                    ),
                    "duplicate",
                )
            )
        else:
            seen[key] = node
        if node.depth > MAX_DEPTH:
            problems.append(
                Problem(
                    node,
                    "parent",
                    _("Bảng tiêu chí có tối đa 3 cấp: nhóm, tiêu chí, tiêu chí con."),
                    "depth",
                )
            )
        if node.parent is not None and node.section:
            problems.append(
                Problem(
                    node,
                    "section",
                    _("Chỉ nhóm cấp 1 mới ghi phần (điểm chuẩn, điểm thưởng hoặc điểm trừ)."),
                    "section",
                )
            )
        if node.sanction and (node.parent is None or node.root_section != "deduction"):
            problems.append(
                Problem(
                    node,
                    "sanction",
                    _("Chế tài chỉ dùng cho mục nằm trong nhóm điểm trừ."),
                    "sanction",
                )
            )
        if node.children and node.scoring_type != "sum":
            problems.append(
                Problem(
                    node,
                    "scoring_type",
                    _("Mục có mục con phải chấm theo “%(sum)s”.", sum=sum_label),
                    "inner_type",
                )
            )
        if (
            not node.children
            and node.scoring_type == "sum"
            and (complete or node.depth >= MAX_DEPTH)
        ):
            problems.append(
                Problem(
                    node,
                    "scoring_type",
                    _("Mục không có mục con phải chọn cách chấm khác “%(sum)s”.", sum=sum_label),
                    "leaf_type",
                )
            )
        parent = node.parent
        if (
            parent is not None
            and node.max_points is not None
            and parent.max_points is not None
            and node.max_points > parent.max_points
        ):
            problems.append(
                Problem(
                    node,
                    "max_points",
                    _(
                        "Điểm tối đa (%(max)s) vượt điểm tối đa của mục cha (%(parent)s).",
                        max=format_plain(node.max_points),
                        parent=format_plain(parent.max_points),
                    ),
                    "child_max",
                )
            )
        if node.children and node.max_points is not None:
            total = sum((child.max_points or 0 for child in node.children), Decimal(0))
            if total > node.max_points:
                problems.append(
                    Problem(
                        node,
                        "max_points",
                        _(
                            "Tổng điểm tối đa các mục con (%(sum)s) vượt điểm tối đa của mục cha (%(max)s).",
                            sum=format_plain(total),
                            max=format_plain(node.max_points),
                        ),
                        "children_sum",
                    )
                )
    return problems


def _is_under(node: Node, ancestor: Node) -> bool:
    while node.parent is not None:
        node = node.parent
        if node is ancestor:
            return True
    return False


def _refuse_if_problems(nodes: list[Node], candidate: Node) -> None:
    """Raise InvalidCriteria with the tree problems a change to `candidate` would cause."""
    errors: dict[str, list[str]] = {}
    key = candidate.code.casefold()
    clash = next((n for n in nodes if n is not candidate and n.code.casefold() == key), None)
    if clash is not None:
        _add_error(
            errors,
            "code",
            _("Mã %(code)s bị trùng với mục “%(title)s”.", code=candidate.code, title=clash.title),
        )
    problems = tree_problems(nodes, complete=False)
    for problem in problems:
        if problem.node is candidate and problem.rule != "duplicate":
            name = problem.field if problem.field in NODE_FIELDS else ""
            _add_error(errors, name, problem.message)
    for problem in problems:
        if problem.node is candidate.parent and problem.rule == "children_sum":
            if "max_points" not in errors:  # a child over its parent says enough
                _add_error(errors, "max_points", problem.message)
        elif problem.rule == "sanction" and _is_under(problem.node, candidate):
            _add_error(
                errors,
                "section",
                _("Trong nhóm có mục mang chế tài; chế tài chỉ dùng trong nhóm điểm trừ."),
            )
    if errors:
        raise InvalidCriteria(errors)


def can_edit(campaign) -> bool:
    """The criteria may change until the campaign is closed."""
    return not campaign.is_closed


def require_editable(campaign) -> None:
    """Refuse any change to the criteria of a closed campaign."""
    if not can_edit(campaign):
        raise NotAllowed(_("Phong trào đã kết thúc; không thể sửa bảng tiêu chí."))


def ensure_criteria_set(campaign) -> CriteriaSet:
    """The campaign's set, created with the usual rules if it has none yet."""
    return campaign.criteria_set or new_criteria_set(campaign)


def _touch(criteria_set: CriteriaSet) -> None:
    criteria_set.updated_at = utcnow()  # a version token for caches and polls


def _siblings(criteria_set: CriteriaSet, parent: Criterion | None) -> list[Criterion]:
    nodes = parent.children if parent is not None else criteria_set.roots
    return sorted(nodes, key=lambda n: (n.position, n.id or 0))


def _renumber(siblings: list[Criterion]) -> None:
    for position, node in enumerate(siblings):
        node.position = position


def add_node(criteria_set: CriteriaSet, parent: Criterion | None, values: dict) -> Criterion:
    """Add a group (no parent), a criterion or a sub-criterion after its last sibling."""
    require_editable(criteria_set.campaign)
    if parent is not None and parent.criteria_set is not criteria_set:
        raise NotAllowed(_("Mục cha không thuộc bảng tiêu chí này."))
    cleaned, errors = clean_values(values)
    if errors:
        raise InvalidCriteria(errors)
    nodes = snapshot(criteria_set)
    copy_of_parent = next((n for n in nodes if n.source is parent), None) if parent else None
    candidate = Node(**cleaned, parent=copy_of_parent)
    if copy_of_parent is not None:
        copy_of_parent.children.append(candidate)
    _refuse_if_problems([*nodes, candidate], candidate)

    siblings = _siblings(criteria_set, parent)
    with db.session.no_autoflush:
        criterion = Criterion(
            criteria_set=criteria_set,
            parent=parent,
            position=max((s.position for s in siblings), default=-1) + 1,
            **cleaned,
        )
        db.session.add(criterion)
    _touch(criteria_set)
    return criterion


def update_node(criterion: Criterion, values: dict) -> Criterion:
    """Change a node's fields; nothing changes when any rule would break."""
    criteria_set = criterion.criteria_set
    require_editable(criteria_set.campaign)
    cleaned, errors = clean_values(values)
    if errors:
        raise InvalidCriteria(errors)
    nodes = snapshot(criteria_set)
    candidate = next(n for n in nodes if n.source is criterion)
    for name, value in cleaned.items():
        setattr(candidate, name, value)
    _refuse_if_problems(nodes, candidate)

    old_code = criterion.code
    for name, value in cleaned.items():
        setattr(criterion, name, value)
    if criterion.parent is None and old_code != criterion.code:
        # The tie-break names top-level groups by code; follow the rename.
        criteria_set.tie_break = [
            GROUP_KEY + criterion.code if key == GROUP_KEY + old_code else key
            for key in criteria_set.tie_break or []
        ]
    _touch(criteria_set)
    return criterion


def registered_codes(criteria: list[Criterion]) -> list[str]:
    """Codes among these criteria that other records point at: units' registered targets,
    scores, explanations — any table with a foreign key to a criterion.

    Found from the mapped tables rather than named, so the areas built on the criteria
    (registrations, scoring) are not imported here."""
    ids = [c.id for c in criteria if c.id is not None]
    if not ids:
        return []
    used: set[int] = set()
    for column in _referencing_columns():
        used |= set(db.session.scalars(select(column).where(column.in_(ids)).distinct()))
    return [c.code for c in criteria if c.id in used]


def _referencing_columns():
    criteria_table = Criterion.__table__
    for table in db.metadata.sorted_tables:
        if table is criteria_table:
            continue
        for key in table.foreign_keys:
            if key.column.table is criteria_table:
                yield key.parent


def delete_node(criterion: Criterion) -> None:
    """Delete a node with everything under it; its siblings close ranks.

    Refused when a unit has registered a target under it: deleting would silently drop
    their targets and progress figures."""
    criteria_set = criterion.criteria_set
    require_editable(criteria_set.campaign)
    used = registered_codes(list(walk([criterion])))
    if used:
        raise NotAllowed(
            _(
                "Không xóa được: đơn vị đã đăng ký chỉ tiêu hoặc đã được chấm điểm cho %(codes)s. Hãy sửa nội dung thay vì xóa.",
                codes=", ".join(used),
            )
        )
    siblings = [s for s in _siblings(criteria_set, criterion.parent) if s is not criterion]
    if criterion.parent is None:
        criteria_set.tie_break = [
            key for key in criteria_set.tie_break or [] if key != GROUP_KEY + criterion.code
        ]
    for node in reversed(list(walk([criterion]))):
        db.session.delete(node)
    _renumber(siblings)
    _touch(criteria_set)


def move_node(criterion: Criterion, offset: int) -> bool:
    """Move a node `offset` places among its siblings (−1 up, +1 down); False at either end."""
    criteria_set = criterion.criteria_set
    require_editable(criteria_set.campaign)
    siblings = _siblings(criteria_set, criterion.parent)
    here = siblings.index(criterion)
    there = here + offset
    if not 0 <= there < len(siblings):
        return False
    siblings[here], siblings[there] = siblings[there], siblings[here]
    _renumber(siblings)
    _touch(criteria_set)
    return True


def load_tree(criteria_set: CriteriaSet) -> None:
    """Load every item of a set with its children in two queries, not one per item."""
    db.session.scalars(
        select(CriteriaSet)
        .where(CriteriaSet.id == criteria_set.id)
        .options(selectinload(CriteriaSet.criteria).selectinload(Criterion.children))
    ).one()


def section_totals(criteria_set: CriteriaSet | None) -> dict[str, Decimal]:
    """The sum of the top-level groups' maxima in each section."""
    totals = {section: Decimal(0) for section in SECTIONS}
    for root in criteria_set.roots if criteria_set is not None else []:
        totals[root.section or "base"] += root.max_points or 0
    return totals


# --- set-level settings ---------------------------------------------------------------------


def tie_break_choices(group_codes: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """(key, label) of what may break a tie, given the top-level groups as (code, title)."""
    pairs = [(key, str(label)) for key, label in TIE_BREAK_KEYS.items()]
    pairs += [
        (GROUP_KEY + code, _("Nhóm %(code)s: %(title)s", code=code, title=title))
        for code, title in group_codes
    ]
    return pairs


def clean_settings(values: dict, group_codes: list[str]) -> tuple[dict, dict[str, list[str]]]:
    """Rounding step, caps, grades and tie-break, typed and checked.

    `grades` is a list of {"name", "min", "quota_pct"} (text or numbers; an all-blank entry is
    skipped); `tie_break` a list of keys (blanks skipped). Messages name "grades.<i>.<key>"
    and "tie_break.<i>" by position in the given lists.
    """
    errors: dict[str, list[str]] = {}
    rounding_step = _clean_points(
        values.get("rounding_step"), errors, "rounding_step", positive=True
    )
    bonus_cap = _clean_points(values.get("bonus_cap"), errors, "bonus_cap")
    deduction_cap = _clean_points(values.get("deduction_cap"), errors, "deduction_cap")

    grades: list[dict] = []
    names: set[str] = set()
    previous: Decimal | None = None
    raw_grades = values.get("grades") or []
    if not isinstance(raw_grades, list):
        raw_grades = []
        _add_error(errors, "grades", _("Xếp loại phải là một danh sách."))
    for index, raw in enumerate(raw_grades):
        key = f"grades.{index}"
        raw = raw or {}
        if not isinstance(raw, dict):
            _add_error(errors, key + ".name", _("Mỗi xếp loại cần tên, điểm từ và tỷ lệ."))
            continue
        cells = [raw.get("name"), raw.get("min"), raw.get("quota_pct")]
        if all(cell is None or str(cell).strip() == "" for cell in cells):
            continue
        name = nfc(str(raw.get("name") or ""))
        if not name:
            _add_error(errors, key + ".name", _("Cần tên xếp loại."))
        elif name.casefold() in names:
            _add_error(errors, key + ".name", _("Xếp loại %(name)s bị trùng.", name=name))
        names.add(name.casefold())
        try:
            minimum = parse_points(raw.get("min"))
        except ValueError:
            minimum = None
            _add_error(errors, key + ".min", _number_message())
        else:
            if minimum is None:
                _add_error(errors, key + ".min", _("Cần nhập điểm từ (ngưỡng) của xếp loại."))
            elif minimum < 0:
                _add_error(errors, key + ".min", _("Điểm từ không được âm."))
            elif previous is not None and minimum >= previous:
                _add_error(
                    errors,
                    key + ".min",
                    _(
                        "Điểm từ (%(min)s) phải thấp hơn xếp loại trên (%(prev)s): xếp từ cao xuống thấp.",
                        min=format_plain(minimum),
                        prev=format_plain(previous),
                    ),
                )
        try:
            quota = parse_points(raw.get("quota_pct"))
        except ValueError:
            quota = None
            _add_error(errors, key + ".quota_pct", _number_message())
        else:
            if quota is not None and not 0 <= quota <= 100:
                _add_error(
                    errors, key + ".quota_pct", _("Tỷ lệ tối đa phải từ 0 đến 100 hoặc để trống.")
                )
        if minimum is not None:
            previous = minimum
        if not any(error_key.startswith(key + ".") for error_key in errors):
            grades.append(
                {
                    "name": name,
                    "min": json_number(minimum),
                    "quota_pct": None if quota is None else json_number(quota),
                }
            )
    if not grades and not any(k.startswith("grades") for k in errors):
        _add_error(errors, "grades", _("Cần ít nhất một xếp loại."))

    tie_break: list[str] = []
    allowed = set(TIE_BREAK_KEYS) | {GROUP_KEY + code for code in group_codes}
    raw_keys = values.get("tie_break") or []
    if not isinstance(raw_keys, list):
        raw_keys = []
        _add_error(errors, "tie_break", _("Thứ tự phân định phải là một danh sách."))
    for index, raw in enumerate(raw_keys):
        key = nfc("" if raw is None else str(raw))
        if not key:
            continue
        if key not in allowed:
            _add_error(
                errors,
                f"tie_break.{index}",
                _(
                    "“%(key)s” không dùng được: ghi total, bonus, deduction hoặc group:<mã nhóm cấp 1>.",
                    key=key,
                ),
            )
        elif key in tie_break:
            _add_error(errors, f"tie_break.{index}", _("“%(key)s” bị lặp lại.", key=key))
        else:
            tie_break.append(key)

    cleaned = {
        "rounding_step": rounding_step,
        "bonus_cap": bonus_cap,
        "deduction_cap": deduction_cap,
        "grades": grades,
        "tie_break": tie_break,
    }
    return cleaned, errors


def save_settings(criteria_set: CriteriaSet, values: dict) -> CriteriaSet:
    """Store rounding, caps, grades and tie-break; nothing changes when any is refused."""
    require_editable(criteria_set.campaign)
    cleaned, errors = clean_settings(values, [root.code for root in criteria_set.roots])
    if errors:
        raise InvalidCriteria(errors)
    for name, value in cleaned.items():
        setattr(criteria_set, name, value)
    _touch(criteria_set)
    return criteria_set


def settings_values(criteria_set: CriteriaSet) -> dict:
    """The stored settings in the shape `clean_settings` reads."""
    return {
        "rounding_step": criteria_set.rounding_step,
        "bonus_cap": criteria_set.bonus_cap,
        "deduction_cap": criteria_set.deduction_cap,
        "grades": deepcopy(criteria_set.grades or []),
        "tie_break": list(criteria_set.tie_break or []),
    }


def field_label(name: str) -> str:
    """ "max_points" → "Điểm tối đa"; "grades.1.min" → "Xếp loại, dòng 2"."""
    base, _dot, rest = name.partition(".")
    label = str(FIELD_LABELS.get(base, base))
    if base in ("grades", "tie_break") and rest:
        return _("%(label)s, dòng %(n)s", label=label, n=int(rest.split(".")[0]) + 1)
    return label


def param_label(scoring_type: str, name: str) -> str:
    for spec in SCORING_TYPES.get(scoring_type, ("", ()))[1]:
        if spec.name == name:
            return str(spec.label)
    return name


def set_problems(criteria_set: CriteriaSet | None) -> list[str]:
    """Everything still wrong with a stored set, as sentences naming the item."""
    if criteria_set is None:
        return []
    messages = []
    nodes = snapshot(criteria_set)
    for node in nodes:
        _cleaned, errors = clean_values(node.values())
        for name, texts in errors.items():
            for text in texts:
                messages.append((node, name, text))
    messages += [(p.node, p.field, p.message) for p in tree_problems(nodes, complete=True)]
    lines = []
    for node, name, text in messages:
        if name.startswith("params."):
            what = param_label(node.scoring_type, name.partition(".")[2])
        else:
            what = field_label(name)
        lines.append(
            _("Mục %(code)s – %(field)s: %(message)s", code=node.code, field=what, message=text)
        )
    _cleaned, errors = clean_settings(
        settings_values(criteria_set), [root.code for root in criteria_set.roots]
    )
    for name, texts in errors.items():
        for text in texts:
            lines.append(f"{field_label(name)}: {text}")
    return lines
