"""Scores a unit, or a cluster of units together, against a ScoringTable (pure functions).

Each leaf's points are kept to 0,001 (half-up; the precision scores are stored with, so a
total summed in SQL from stored leaves equals the engine's); above the leaves points stay
exact Decimals through the tree and the sections, and only the final total is rounded to
the table's rounding_step (half-up). Points are clamped to the maximum at every level.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from emulation.core.text import nfc

from .grading import apply_sanctions, grade_index, grade_name
from .rules import (
    SECTIONS,
    ZERO,
    InvalidInput,
    Quantity,
    Rule,
    ScoringTable,
    SurveyIndex,
    section_of,
    to_decimal,
)
from .wording import (
    MEASURE_TEXT,
    points_text,
    sanction_text,
    vn_number,
    vn_percent,
    with_unit,
)

ONE = Decimal(1)
HUNDRED = Decimal(100)
# Divisions leave tails like 7.12499…9; cut them before rounding so halves round up.
NOISE = Decimal("1e-10")
# A leaf's points are kept to this precision (the stored scale of score entries).
LEAF_STEP = Decimal("0.001")


@dataclass(frozen=True)
class NodeScore:
    """One node's outcome: points after clamping (for a deduction item: the amount deducted)."""

    code: str
    title: str
    depth: int
    section: str
    max_points: Decimal  # less any survey items excluded for want of a sample
    points: Decimal
    detail: str
    flags: frozenset[str] = frozenset()

    @property
    def line(self) -> str:
        return f"{self.code} {self.title}: {self.detail}"


@dataclass(frozen=True)
class AppliedSanction:
    """A sanction triggered by a deduction item that deducted something."""

    code: str
    kind: str

    @property
    def text(self) -> str:
        return sanction_text(self.kind)


@dataclass(frozen=True)
class UnitResult:
    """A unit's score: the rounded total, exact sections, grade, per-node points and why."""

    total: Decimal
    base: Decimal
    bonus: Decimal
    deduction: Decimal
    grade: str | None
    sanctions: tuple[AppliedSanction, ...]
    points: dict[str, Decimal] = field(hash=False)
    explanation: list[str] = field(hash=False)
    unrounded_total: Decimal = ZERO
    grade_before_sanctions: str | None = None
    base_max: Decimal = ZERO
    nodes: dict[str, NodeScore] = field(default_factory=dict, hash=False)
    missing: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Leaf:
    """What a leaf's scoring type made of its input, before clamping."""

    points: Decimal
    detail: str
    flags: frozenset[str] = frozenset()
    zero_parent: str | None = None  # the chosen level's label when it zeroes the parent
    excluded: bool = False


@dataclass(frozen=True)
class _Outcome:
    """What a node hands its parent."""

    points: Decimal
    excluded: Decimal = ZERO  # maximum removed by excluded survey items below
    zeroed_by: tuple[str, str] | None = None  # (leaf code, level label)


# --- inputs -----------------------------------------------------------------------------


def _quantity(rule: Rule, value) -> Quantity:
    if isinstance(value, Quantity):
        return value
    try:
        if isinstance(value, Mapping):
            return Quantity(value["actual"], value["target"], value.get("baseline"))
        return Quantity(*value)
    except (TypeError, ValueError, KeyError) as exc:
        raise InvalidInput(rule.code, "cần số đạt được và chỉ tiêu (và mức nền nếu có)") from exc


def _survey_index(rule: Rule, value) -> SurveyIndex:
    if isinstance(value, SurveyIndex):
        return value
    try:
        return SurveyIndex(*value)
    except (TypeError, ValueError) as exc:
        raise InvalidInput(rule.code, "cần chỉ số khảo sát và số phiếu") from exc


def _number(rule: Rule, value) -> Decimal:
    try:
        return to_decimal(value)
    except ValueError as exc:
        raise InvalidInput(rule.code, f"“{value}” không phải là số") from exc


def _occurrences(rule: Rule, value) -> int:
    number = _number(rule, value)
    if number < 0 or number != number.to_integral_value():
        raise InvalidInput(rule.code, "số lần phải là số nguyên không âm")
    return int(number)


def _direction(rule: Rule) -> str:
    return "down" if rule.param("direction", "up") == "down" else "up"


# --- formulas ---------------------------------------------------------------------------


def ratio_progress(quantity: Quantity, direction: str = "up") -> Decimal | None:
    """Achievement as a fraction of the target (1 = met, never below 0); None = unbounded.

    With a baseline: (A − B)/(T − B); the sign of T − B already says which way is better.
    Without: A/T going up, T/A going down (A ≤ 0 then beats any target: None). A target
    of 0, or equal to the baseline, is met (1) or not (0). A negative target without a
    baseline is measured linearly: 1 + (A − T)/|T| going up, 1 + (T − A)/|T| going down.
    """
    actual, target, baseline = quantity.actual, quantity.target, quantity.baseline
    up = direction == "up"
    if _met_or_not(quantity):
        return ONE if (actual >= target if up else actual <= target) else ZERO
    if baseline is not None:
        progress = (actual - baseline) / (target - baseline)
    elif target < 0:
        progress = ONE + ((actual - target) if up else (target - actual)) / -target
    elif up:
        progress = actual / target
    elif actual <= 0:
        return None
    else:
        progress = target / actual
    return max(progress, ZERO)


def _met_or_not(quantity: Quantity) -> bool:
    """A target that admits no ratio: 0, or equal to the baseline."""
    reference = ZERO if quantity.baseline is None else quantity.baseline
    return quantity.target == reference


def ratio_points(
    max_points: Decimal, progress: Decimal | None, over_rate: Decimal, over_cap: Decimal
) -> tuple[Decimal, Decimal]:
    """(points up to the max, over-target bonus up to over_cap) for an achievement.

    over_rate is "% of the max per 1 % over target": bonus = over_rate % × max × excess %.
    """
    if progress is None:
        return max_points, (over_cap if over_rate > 0 else ZERO)
    points = max_points * min(progress, ONE)
    if progress <= ONE or over_rate <= 0:
        return points, ZERO
    bonus = over_rate / HUNDRED * max_points * (progress - ONE) * HUNDRED
    return points, max(min(bonus, over_cap), ZERO)


def cluster_points(
    max_points: Decimal, quantity: Quantity, direction: str, best: Decimal | None
) -> Decimal:
    """The cluster-relative formula (domain.md); the baseline is not used.

    Going up: A < T → ½·max·A/T; A = T → ½·max; A > T → ½·max + (A − T)/(best − T)·½·max,
    i.e. the max for the best over-achiever (`best` = the highest A above its own target in
    the group). Going down mirrors it: A > T → ½·max·T/A (the same share of the target as
    going up); A < T → ½·max + (T − A)/(T − best)·½·max with `best` = the lowest A below
    its target, so the lowest value in the group gets the max.
    """
    half = max_points / 2
    actual, target = quantity.actual, quantity.target
    up = direction == "up"
    gain = (actual - target) if up else (target - actual)  # > 0: better than the target
    if gain == 0:
        return half
    if gain < 0:
        if up:
            share = actual / target if target > 0 else ZERO
        else:
            share = target / actual if actual > 0 else ZERO
        return half * min(max(share, ZERO), ONE)
    best_gain = None if best is None else ((best - target) if up else (target - best))
    if best_gain is None or gain >= best_gain:
        return max_points
    return half + half * gain / best_gain


def survey_points(max_points: Decimal, value: Decimal, floor: Decimal, ceiling: Decimal):
    """Linear from floor (0 points) to ceiling (the max), clamped."""
    if ceiling <= floor:
        return max_points if value >= ceiling else ZERO
    share = (value - floor) / (ceiling - floor)
    return max_points * min(max(share, ZERO), ONE)


def round_to_step(value: Decimal, step: Decimal | None) -> Decimal:
    """The nearest multiple of step, halves up; no step (None or 0) keeps the value."""
    if not step or step <= 0:
        return value
    steps = (value.quantize(NOISE) / step).quantize(ONE, rounding=ROUND_HALF_UP)
    return steps * step


# --- scoring types ----------------------------------------------------------------------


def _achievement(rule: Rule, quantity: Quantity, direction: str, progress) -> str:
    actual, target, baseline = quantity.actual, quantity.target, quantity.baseline
    unit = rule.unit
    if _met_or_not(quantity):
        verdict = "đạt" if progress else "không đạt"
        return f"đạt {with_unit(actual, unit)}, chỉ tiêu {with_unit(target, unit)}: {verdict}"
    share = "vượt mọi mức chỉ tiêu" if progress is None else vn_percent(progress)
    if baseline is not None:
        return (
            f"đạt {with_unit(actual, unit)} (mức nền {vn_number(baseline)}, "
            f"chỉ tiêu {vn_number(target)}: hoàn thành {share})"
        )
    if direction == "down":
        return f"đạt {with_unit(actual, unit)}, chỉ tiêu không quá {vn_number(target)} ({share})"
    return f"đạt {vn_number(actual)}/{with_unit(target, unit)} ({share})"


def _ratio(rule: Rule, value, section: str) -> _Leaf:
    quantity = _quantity(rule, value)
    direction = _direction(rule)
    progress = ratio_progress(quantity, direction)
    over_rate = rule.number("over_rate", 0)
    over_cap = rule.number("over_cap", 0)
    points, bonus = ratio_points(rule.max_points, progress, over_rate, over_cap)
    detail = f"{_achievement(rule, quantity, direction, progress)} → {points_text(points, section)}"
    if bonus > 0:
        detail += f" + {vn_number(bonus)} điểm vượt chỉ tiêu"
        return _Leaf(points + bonus, detail, frozenset({"over_target"}))
    return _Leaf(points, detail)


def _ratio_cluster(rule: Rule, value, section: str, best: Decimal | None) -> _Leaf:
    quantity = _quantity(rule, value)
    direction = _direction(rule)
    points = cluster_points(rule.max_points, quantity, direction, best)
    actual, target = quantity.actual, quantity.target
    text = f"đạt {vn_number(actual)}/{with_unit(target, rule.unit)}"
    better = actual > target if direction == "up" else actual < target
    if better and best is not None:
        word = "cao nhất" if direction == "up" else "thấp nhất"
        text += f" (vượt chỉ tiêu; {word} cụm: {with_unit(best, rule.unit)})"
    elif actual == target:
        text += " (đạt chỉ tiêu)"
    else:
        text += " (chưa đạt chỉ tiêu)"
    return _Leaf(points, f"{text} → {points_text(points, section)}")


def _pick_level(rule: Rule, levels: list, value) -> dict:
    if isinstance(value, int) and not isinstance(value, bool):
        if 0 <= value < len(levels):
            return levels[value]
        raise InvalidInput(rule.code, f"không có mức thứ {value + 1}")
    if isinstance(value, str):
        wanted = nfc(value).casefold()
        for level in levels:
            if nfc(str(level.get("label", ""))).casefold() == wanted:
                return level
        raise InvalidInput(rule.code, f"không có mức “{value}”")
    raise InvalidInput(rule.code, "cần số thứ tự hoặc tên của mức")


def _choice(rule: Rule, value, section: str) -> _Leaf:
    level = _pick_level(rule, list(rule.param("levels", [])), value)
    points = to_decimal(level.get("points") or 0)
    label = str(level.get("label", ""))
    detail = f"mức “{label}” → {points_text(points, section)}"
    if level.get("zero_parent"):
        return _Leaf(
            points, detail + "; mục cha tính 0 điểm", frozenset({"zero_parent"}), zero_parent=label
        )
    return _Leaf(points, detail)


def _count(rule: Rule, value, section: str) -> _Leaf:
    n = _occurrences(rule, value)
    per = rule.number("per", 1)
    cap = rule.number("cap")
    limit = rule.max_points if cap is None else min(cap, rule.max_points)
    product = per * n
    points = min(product, limit)
    detail = f"{n} {rule.unit or 'lần'} × {vn_number(per)} = "
    if product > limit:
        detail += f"{vn_number(product)}, tính tối đa {vn_number(limit)} → "
    return _Leaf(points, detail + points_text(points, section))


def _minus(rule: Rule, value, section: str) -> _Leaf:
    n = _occurrences(rule, value)
    per = rule.number("per", "0.5")
    points = max(rule.max_points - per * n, ZERO)
    detail = (
        f"{n} {rule.unit or 'lần'} × {vn_number(per)} = trừ {vn_number(per * n)} "
        f"từ {vn_number(rule.max_points)} → {points_text(points, section)}"
    )
    return _Leaf(points, detail)


def _boolean(rule: Rule, value, section: str) -> _Leaf:
    if value not in (True, False):  # 1 and 0 compare equal to True and False
        raise InvalidInput(rule.code, "cần chọn đạt hoặc không đạt")
    points = rule.max_points if value else ZERO
    if section == "deduction":
        word = "có" if value else "không"
    else:
        word = "đạt" if value else "không đạt"
    return _Leaf(points, f"{word} → {points_text(points, section)}")


def _council(rule: Rule, value, section: str) -> _Leaf:
    given = _number(rule, value)
    points = min(max(given, ZERO), rule.max_points)
    detail = f"Hội đồng chấm {vn_number(given)}"
    if points != given:
        detail += f" (ngoài khoảng 0–{vn_number(rule.max_points)})"
    flags = frozenset({"clamped"}) if points != given else frozenset()
    return _Leaf(points, f"{detail} → {points_text(points, section)}", flags)


def _survey(rule: Rule, value, section: str) -> _Leaf:
    survey = _survey_index(rule, value)
    measure = MEASURE_TEXT.get(rule.param("measure", "pct_satisfied"), "chỉ số")
    min_sample = rule.number("min_sample", 30)
    if survey.n < min_sample:
        head = (
            f"chỉ số {vn_number(survey.value)} ({measure}) từ {survey.n} phiếu, "
            f"dưới cỡ mẫu tối thiểu {vn_number(min_sample)}"
        )
        flags = frozenset({"insufficient_sample"})
        rule_for_small = rule.param("insufficient", "zero")
        if rule_for_small == "excluded":
            detail = f"{head} → không tính tiêu chí này (bỏ khỏi điểm tối đa)"
            return _Leaf(ZERO, detail, flags | {"excluded"}, excluded=True)
        if rule_for_small == "neutral":
            points = rule.max_points / 2
            return _Leaf(points, f"{head} → tính một nửa: {points_text(points, section)}", flags)
        return _Leaf(ZERO, f"{head} → {points_text(ZERO, section)}", flags)
    floor, ceiling = rule.number("floor", 50), rule.number("ceiling", 100)
    points = survey_points(rule.max_points, survey.value, floor, ceiling)
    detail = (
        f"chỉ số {vn_number(survey.value)} ({measure}, {survey.n} phiếu; "
        f"{vn_number(floor)} → 0 điểm, {vn_number(ceiling)} → tối đa) → "
        f"{points_text(points, section)}"
    )
    return _Leaf(points, detail)


LEAF_SCORERS = {
    "ratio": _ratio,
    "choice": _choice,
    "count": _count,
    "minus": _minus,
    "boolean": _boolean,
    "council": _council,
    "survey": _survey,
}


def _score_leaf(rule: Rule, value, section: str, bests: Mapping[str, Decimal]) -> _Leaf:
    if rule.scoring_type == "sum":  # a group still waiting for its first item (while editing)
        return _Leaf(ZERO, "chưa có mục con → 0 điểm")
    if value is None:
        if section == "deduction":
            return _Leaf(ZERO, "chưa khai báo → không trừ điểm", frozenset({"missing"}))
        return _Leaf(ZERO, "chưa có số liệu → 0 điểm", frozenset({"missing"}))
    if rule.scoring_type == "ratio_cluster":
        return _ratio_cluster(rule, value, section, bests.get(rule.code))
    scorer = LEAF_SCORERS.get(rule.scoring_type)
    if scorer is None:
        raise InvalidInput(rule.code, f"cách chấm “{rule.scoring_type}” không chấm được ở mục lá")
    return scorer(rule, value, section)


# --- the tree ---------------------------------------------------------------------------


@dataclass
class _Unit:
    """The state of scoring one unit."""

    inputs: Mapping
    bests: Mapping[str, Decimal]
    nodes: dict[str, NodeScore] = field(default_factory=dict)

    def record(self, rule: Rule, depth: int, section: str, points, max_points, detail, flags):
        if section == "deduction" and rule.sanction and points > 0:
            detail += f"; chế tài: {sanction_text(rule.sanction)}"
        self.nodes[rule.code] = NodeScore(
            rule.code, rule.title, depth, section, max_points, points, detail, frozenset(flags)
        )


def _score_node(rule: Rule, depth: int, section: str, has_parent: bool, unit: _Unit) -> _Outcome:
    if not rule.children:
        return _score_leaf_node(rule, depth, section, has_parent, unit)
    outcomes = [_score_node(child, depth + 1, section, True, unit) for child in rule.children]
    excluded = min(sum((o.excluded for o in outcomes), ZERO), rule.max_points)
    max_points = rule.max_points - excluded
    summed = sum((o.points for o in outcomes), ZERO)
    zeroed_by = next((o.zeroed_by for o in outcomes if o.zeroed_by), None)
    flags: set[str] = set()
    if zeroed_by is not None:
        points = ZERO
        flags.add("zeroed")
        detail = f"0 điểm vì mục {zeroed_by[0]} ở mức “{zeroed_by[1]}”"
    else:
        points = min(summed, max_points)
        if section == "deduction":
            detail = f"trừ {vn_number(points)} điểm (tối đa {vn_number(max_points)})"
        else:
            detail = f"{vn_number(points)}/{vn_number(max_points)} điểm"
        if summed > max_points:
            flags.add("clamped")
            detail += (
                f" (các mục cộng được {vn_number(summed)}, tính tối đa {vn_number(max_points)})"
            )
    if excluded:
        detail += f"; không tính {vn_number(excluded)} điểm của mục khảo sát chưa đủ mẫu"
    unit.record(rule, depth, section, points, max_points, detail, flags)
    return _Outcome(points, excluded)


def _score_leaf_node(
    rule: Rule, depth: int, section: str, has_parent: bool, unit: _Unit
) -> _Outcome:
    leaf = _score_leaf(rule, unit.inputs.get(rule.code), section, unit.bests)
    flags = set(leaf.flags)
    if leaf.excluded:
        unit.record(rule, depth, section, ZERO, ZERO, leaf.detail, flags)
        return _Outcome(ZERO, rule.max_points)
    # The over-target bonus may lift a ratio leaf above its max; its parent clamps it.
    allowance = rule.number("over_cap", 0) if rule.scoring_type == "ratio" and has_parent else 0
    ceiling = rule.max_points + max(allowance, ZERO)
    points = min(max(round_to_step(leaf.points, LEAF_STEP), ZERO), ceiling)
    detail = leaf.detail
    if leaf.points > ceiling:
        flags.add("clamped")
        detail += f"; tính tối đa {vn_number(ceiling)} điểm"
    zeroed_by = None
    if leaf.zero_parent is not None:
        if has_parent:
            zeroed_by = (rule.code, leaf.zero_parent)
        else:
            points = ZERO  # a top-level item has no parent: it zeroes itself
    unit.record(rule, depth, section, points, rule.max_points, detail, flags)
    return _Outcome(points, ZERO, zeroed_by)


# --- sections, grade, explanation -------------------------------------------------------


def cluster_bests(table: ScoringTable, inputs: Iterable[Mapping]) -> dict[str, Decimal]:
    """For each ratio_cluster leaf: the best actual among units that beat their own target."""
    inputs = list(inputs)
    bests: dict[str, Decimal] = {}
    for rule, _depth, _section in table.walk():
        if rule.children or rule.scoring_type != "ratio_cluster":
            continue
        up = _direction(rule) == "up"
        over = []
        for unit_inputs in inputs:
            value = (unit_inputs or {}).get(rule.code)
            if value is None:
                continue
            quantity = _quantity(rule, value)
            if quantity.actual > quantity.target if up else quantity.actual < quantity.target:
                over.append(quantity.actual)
        if over:
            bests[rule.code] = max(over) if up else min(over)
    return bests


def _capped(amount: Decimal, cap: Decimal | None) -> Decimal:
    return amount if cap is None else min(amount, cap)


def _cap_note(summed: Decimal, cap: Decimal | None) -> str:
    if cap is not None and summed > cap:
        return f" (các mục cộng được {vn_number(summed)}, tối đa {vn_number(cap)})"
    return ""


def _base(table: ScoringTable, outcomes: list[_Outcome], unit: _Unit) -> tuple[Decimal, str]:
    """The base total, rescaled to the full maximum when survey items were excluded."""
    full = table.base_max
    raw = sum((o.points for o in outcomes), ZERO)
    excluded = sum((o.excluded for o in outcomes), ZERO)
    if not excluded:
        return raw, f"Điểm chuẩn: {vn_number(raw)}/{vn_number(full)} điểm"
    remaining = full - excluded
    base = min(raw * full / remaining, full) if remaining > 0 else ZERO
    codes = ", ".join(
        node.code for node in unit.nodes.values() if node.section == "base" and _is_excluded(node)
    )
    line = (
        f"Điểm chuẩn: {vn_number(raw)}/{vn_number(remaining)} điểm (không tính mục {codes} "
        f"do chưa đủ mẫu khảo sát), quy đổi về thang {vn_number(full)}: "
        f"{vn_number(raw)} × {vn_number(full)}/{vn_number(remaining)} = {vn_number(base)} điểm"
    )
    return base, line


def _is_excluded(node: NodeScore) -> bool:
    return "excluded" in node.flags


def _grade_line(table, earned: int, final: int, sanctions) -> str:
    grades = table.grades
    name = grade_name(final, grades) or "chưa đủ điểm xếp loại"
    line = f"Xếp loại: {name}"
    notes = [f"mục {s.code}: {s.text}" for s in sanctions]
    if final != earned:
        earned_name = grade_name(earned, grades) or "chưa đủ điểm xếp loại"
        line += f" (theo điểm: {earned_name}; chế tài {'; '.join(notes)})"
    elif notes:
        line += f" (chế tài {'; '.join(notes)})"
    return line


def _score(table: ScoringTable, inputs: Mapping | None, bests: Mapping[str, Decimal]):
    unit = _Unit(inputs or {}, bests)
    outcomes: dict[str, list[_Outcome]] = {section: [] for section in SECTIONS}
    summed: dict[str, Decimal] = {}
    for root in table.roots:
        outcomes[section_of(root)].append(_score_node(root, 1, section_of(root), False, unit))
    for section, items in outcomes.items():
        summed[section] = sum((o.points for o in items), ZERO)
    nodes = {rule.code: unit.nodes[rule.code] for rule, _depth, _section in table.walk()}

    base, base_line = _base(table, outcomes["base"], unit)
    bonus = _capped(summed["bonus"], table.bonus_cap)
    deduction = _capped(summed["deduction"], table.deduction_cap)
    unrounded = max(base + bonus - deduction, ZERO)
    total = min(round_to_step(unrounded, table.rounding_step), table.max_total)

    sanctions = tuple(
        AppliedSanction(rule.code, rule.sanction)
        for rule, _depth, section in table.walk()
        if section == "deduction" and rule.sanction and nodes[rule.code].points > 0
    )
    earned = grade_index(total, table.grades)
    final = apply_sanctions(earned, [s.kind for s in sanctions], table.grades)

    lines = [node.line for node in nodes.values()]
    lines.append(base_line)
    if outcomes["bonus"]:
        note = _cap_note(summed["bonus"], table.bonus_cap)
        lines.append(f"Điểm thưởng: cộng {vn_number(bonus)} điểm{note}")
    if outcomes["deduction"]:
        note = _cap_note(summed["deduction"], table.deduction_cap)
        lines.append(f"Điểm trừ: trừ {vn_number(deduction)} điểm{note}")
    total_line = (
        f"Tổng điểm: {vn_number(base)} + {vn_number(bonus)} − {vn_number(deduction)}"
        f" = {vn_number(unrounded)}"
    )
    if total != unrounded:
        total_line += f", làm tròn (bước {vn_number(table.rounding_step or 0)}): {vn_number(total)}"
    lines.append(total_line + " điểm")
    lines.append(_grade_line(table, earned, final, sanctions))

    return UnitResult(
        total=total,
        base=base,
        bonus=bonus,
        deduction=deduction,
        grade=grade_name(final, table.grades),
        sanctions=sanctions,
        points={code: node.points for code, node in nodes.items()},
        explanation=lines,
        unrounded_total=unrounded,
        grade_before_sanctions=grade_name(earned, table.grades),
        base_max=table.base_max,
        nodes=nodes,
        missing=tuple(code for code, node in nodes.items() if "missing" in node.flags),
        excluded=tuple(code for code, node in nodes.items() if _is_excluded(node)),
    )


def score_unit(
    table: ScoringTable, inputs: Mapping, peers: Iterable[Mapping] | Mapping | None = None
) -> UnitResult:
    """Score one unit; `peers` (other units' inputs, a list or a key → inputs mapping) only
    matter for ratio_cluster items — without them the unit is compared with itself alone."""
    peer_inputs = list(peers.values()) if isinstance(peers, Mapping) else list(peers or [])
    return _score(table, inputs, cluster_bests(table, [inputs, *peer_inputs]))


def score_with_bests(
    table: ScoringTable, inputs: Mapping, bests: Mapping[str, Decimal]
) -> UnitResult:
    """Score one unit against cluster bests already known (see cluster_bests)."""
    return _score(table, inputs, bests)


def score_group(table: ScoringTable, inputs_by_unit: Mapping) -> dict:
    """Score the units of one cluster together: ratio_cluster items compare them."""
    bests = cluster_bests(table, inputs_by_unit.values())
    return {key: _score(table, inputs, bests) for key, inputs in inputs_by_unit.items()}
