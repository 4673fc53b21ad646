"""Scores a unit, or a cluster of units together, against a ScoringTable (pure functions).

Each leaf's points are kept to 0,001 (half-up; the precision scores are stored with, so a
total summed in SQL from stored leaves equals the engine's); above the leaves points stay
exact Decimals through the tree and the sections, and only the final total is rounded to
the table's rounding_step (half-up). Points are clamped to the maximum at every level.
The explanation is written in the locale passed in ("vi" unless told; see wording.py).
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
from .wording import measure_text, number, percent, points_text, sanction_text, say, with_unit

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


def _achievement(rule: Rule, quantity: Quantity, direction: str, progress, locale: str) -> str:
    actual, target, baseline = quantity.actual, quantity.target, quantity.baseline
    unit = rule.unit
    if _met_or_not(quantity):
        return say(
            "met_or_not",
            locale,
            actual=with_unit(actual, unit, locale),
            target=with_unit(target, unit, locale),
            verdict=say("met" if progress else "not_met", locale),
        )
    share = say("beyond_any_target", locale) if progress is None else percent(progress, locale)
    if baseline is not None:
        return say(
            "with_baseline",
            locale,
            actual=with_unit(actual, unit, locale),
            baseline=number(baseline, locale),
            target=number(target, locale),
            share=share,
        )
    if direction == "down":
        return say(
            "at_most",
            locale,
            actual=with_unit(actual, unit, locale),
            target=number(target, locale),
            share=share,
        )
    return say(
        "of_target",
        locale,
        actual=number(actual, locale),
        target=with_unit(target, unit, locale),
        share=share,
    )


def _ratio(rule: Rule, value, section: str, locale: str) -> _Leaf:
    quantity = _quantity(rule, value)
    direction = _direction(rule)
    progress = ratio_progress(quantity, direction)
    over_rate = rule.number("over_rate", 0)
    over_cap = rule.number("over_cap", 0)
    points, bonus = ratio_points(rule.max_points, progress, over_rate, over_cap)
    detail = say(
        "then",
        locale,
        detail=_achievement(rule, quantity, direction, progress, locale),
        points=points_text(points, section, locale),
    )
    if bonus > 0:
        detail += say("over_bonus", locale, bonus=number(bonus, locale))
        return _Leaf(points + bonus, detail, frozenset({"over_target"}))
    return _Leaf(points, detail)


def _ratio_cluster(rule: Rule, value, section: str, best: Decimal | None, locale: str) -> _Leaf:
    quantity = _quantity(rule, value)
    direction = _direction(rule)
    points = cluster_points(rule.max_points, quantity, direction, best)
    actual, target = quantity.actual, quantity.target
    text = say(
        "reached",
        locale,
        actual=number(actual, locale),
        target=with_unit(target, rule.unit, locale),
    )
    better = actual > target if direction == "up" else actual < target
    if better and best is not None:
        key = "cluster_highest" if direction == "up" else "cluster_lowest"
        text += say(key, locale, best=with_unit(best, rule.unit, locale))
    elif actual == target:
        text += say("target_met", locale)
    else:
        text += say("target_not_met", locale)
    return _Leaf(
        points, say("then", locale, detail=text, points=points_text(points, section, locale))
    )


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


def _choice(rule: Rule, value, section: str, locale: str) -> _Leaf:
    level = _pick_level(rule, list(rule.param("levels", [])), value)
    points = to_decimal(level.get("points") or 0)
    label = str(level.get("label", ""))
    detail = say("level", locale, label=label, points=points_text(points, section, locale))
    if level.get("zero_parent"):
        detail += say("zeroes_parent", locale)
        return _Leaf(points, detail, frozenset({"zero_parent"}), zero_parent=label)
    return _Leaf(points, detail)


def _count(rule: Rule, value, section: str, locale: str) -> _Leaf:
    n = _occurrences(rule, value)
    per = rule.number("per", 1)
    cap = rule.number("cap")
    limit = rule.max_points if cap is None else min(cap, rule.max_points)
    product = per * n
    points = min(product, limit)
    unit = rule.unit or say("time" if n == 1 else "times", locale)
    detail = say("count", locale, n=number(n, locale), unit=unit, per=number(per, locale))
    if product > limit:
        detail += say(
            "count_capped", locale, product=number(product, locale), limit=number(limit, locale)
        )
    return _Leaf(points, detail + points_text(points, section, locale))


def _minus(rule: Rule, value, section: str, locale: str) -> _Leaf:
    n = _occurrences(rule, value)
    per = rule.number("per", "0.5")
    points = max(rule.max_points - per * n, ZERO)
    detail = say(
        "minus",
        locale,
        n=number(n, locale),
        unit=rule.unit or say("time" if n == 1 else "times", locale),
        per=number(per, locale),
        amount=number(per * n, locale),
        max=number(rule.max_points, locale),
        points=points_text(points, section, locale),
    )
    return _Leaf(points, detail)


def _boolean(rule: Rule, value, section: str, locale: str) -> _Leaf:
    if value not in (True, False):  # 1 and 0 compare equal to True and False
        raise InvalidInput(rule.code, "cần chọn đạt hoặc không đạt")
    points = rule.max_points if value else ZERO
    if section == "deduction":
        word = say("yes" if value else "no", locale)
    else:
        word = say("met" if value else "not_met", locale)
    return _Leaf(
        points, say("then", locale, detail=word, points=points_text(points, section, locale))
    )


def _council(rule: Rule, value, section: str, locale: str) -> _Leaf:
    given = _number(rule, value)
    points = min(max(given, ZERO), rule.max_points)
    detail = say("council", locale, given=number(given, locale))
    if points != given:
        detail += say("outside_range", locale, max=number(rule.max_points, locale))
    flags = frozenset({"clamped"}) if points != given else frozenset()
    detail = say("then", locale, detail=detail, points=points_text(points, section, locale))
    return _Leaf(points, detail, flags)


def _survey(rule: Rule, value, section: str, locale: str) -> _Leaf:
    survey = _survey_index(rule, value)
    measure = measure_text(rule.param("measure", "pct_satisfied"), locale)
    min_sample = rule.number("min_sample", 30)
    if survey.n < min_sample:
        head = say(
            "survey_small",
            locale,
            value=number(survey.value, locale),
            measure=measure,
            n=number(survey.n, locale),
            min=number(min_sample, locale),
        )
        flags = frozenset({"insufficient_sample"})
        rule_for_small = rule.param("insufficient", "zero")
        if rule_for_small == "excluded":
            detail = say("survey_excluded", locale, head=head)
            return _Leaf(ZERO, detail, flags | {"excluded"}, excluded=True)
        if rule_for_small == "neutral":
            points = rule.max_points / 2
            detail = say(
                "survey_half", locale, head=head, points=points_text(points, section, locale)
            )
            return _Leaf(points, detail, flags)
        detail = say("then", locale, detail=head, points=points_text(ZERO, section, locale))
        return _Leaf(ZERO, detail, flags)
    floor, ceiling = rule.number("floor", 50), rule.number("ceiling", 100)
    points = survey_points(rule.max_points, survey.value, floor, ceiling)
    detail = say(
        "survey",
        locale,
        value=number(survey.value, locale),
        measure=measure,
        n=number(survey.n, locale),
        floor=number(floor, locale),
        ceiling=number(ceiling, locale),
        points=points_text(points, section, locale),
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


def _score_leaf(rule: Rule, value, section: str, unit: _Unit) -> _Leaf:
    locale = unit.locale
    if rule.scoring_type == "sum":  # a group still waiting for its first item (while editing)
        return _Leaf(ZERO, say("no_children", locale))
    if value is None:
        if section == "deduction":
            return _Leaf(ZERO, say("not_declared", locale), frozenset({"missing"}))
        return _Leaf(ZERO, say("no_data", locale), frozenset({"missing"}))
    if rule.scoring_type == "ratio_cluster":
        return _ratio_cluster(rule, value, section, unit.bests.get(rule.code), locale)
    scorer = LEAF_SCORERS.get(rule.scoring_type)
    if scorer is None:
        raise InvalidInput(rule.code, f"cách chấm “{rule.scoring_type}” không chấm được ở mục lá")
    return scorer(rule, value, section, locale)


# --- the tree ---------------------------------------------------------------------------


@dataclass
class _Unit:
    """The state of scoring one unit."""

    inputs: Mapping
    bests: Mapping[str, Decimal]
    locale: str  # the explanation's language
    nodes: dict[str, NodeScore] = field(default_factory=dict)

    def record(self, rule: Rule, depth: int, section: str, points, max_points, detail, flags):
        if section == "deduction" and rule.sanction and points > 0:
            detail += say(
                "sanction", self.locale, sanction=sanction_text(rule.sanction, self.locale)
            )
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
    locale = unit.locale
    if zeroed_by is not None:
        points = ZERO
        flags.add("zeroed")
        detail = say("zeroed_by", locale, code=zeroed_by[0], label=zeroed_by[1])
    else:
        points = min(summed, max_points)
        key = "node_deducted" if section == "deduction" else "node_points"
        detail = say(key, locale, points=number(points, locale), max=number(max_points, locale))
        if summed > max_points:
            flags.add("clamped")
            detail += say(
                "node_capped",
                locale,
                summed=number(summed, locale),
                max=number(max_points, locale),
            )
    if excluded:
        detail += say("node_excluded", locale, points=number(excluded, locale))
    unit.record(rule, depth, section, points, max_points, detail, flags)
    return _Outcome(points, excluded)


def _score_leaf_node(
    rule: Rule, depth: int, section: str, has_parent: bool, unit: _Unit
) -> _Outcome:
    leaf = _score_leaf(rule, unit.inputs.get(rule.code), section, unit)
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
        detail += say("leaf_capped", unit.locale, max=number(ceiling, unit.locale))
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


def _cap_note(summed: Decimal, cap: Decimal | None, locale: str) -> str:
    if cap is not None and summed > cap:
        return say("section_capped", locale, summed=number(summed, locale), cap=number(cap, locale))
    return ""


def _base(table: ScoringTable, outcomes: list[_Outcome], unit: _Unit) -> tuple[Decimal, str]:
    """The base total, rescaled to the full maximum when survey items were excluded."""
    full = table.base_max
    raw = sum((o.points for o in outcomes), ZERO)
    excluded = sum((o.excluded for o in outcomes), ZERO)
    locale = unit.locale
    if not excluded:
        return raw, say("base", locale, raw=number(raw, locale), full=number(full, locale))
    remaining = full - excluded
    base = min(raw * full / remaining, full) if remaining > 0 else ZERO
    codes = ", ".join(
        node.code for node in unit.nodes.values() if node.section == "base" and _is_excluded(node)
    )
    line = say(
        "base_rescaled",
        locale,
        raw=number(raw, locale),
        remaining=number(remaining, locale),
        codes=codes,
        full=number(full, locale),
        base=number(base, locale),
    )
    return base, line


def _is_excluded(node: NodeScore) -> bool:
    return "excluded" in node.flags


def _grade_line(table, earned: int, final: int, sanctions, locale: str) -> str:
    grades = table.grades
    name = grade_name(final, grades) or say("no_grade", locale)
    line = say("grade", locale, name=name)
    notes = "; ".join(
        say("sanction_note", locale, code=s.code, text=sanction_text(s.kind, locale))
        for s in sanctions
    )
    if final != earned:
        earned_name = grade_name(earned, grades) or say("no_grade", locale)
        line += say("grade_changed", locale, earned=earned_name, notes=notes)
    elif notes:
        line += say("grade_sanctioned", locale, notes=notes)
    return line


def _score(table: ScoringTable, inputs: Mapping | None, bests: Mapping[str, Decimal], locale: str):
    unit = _Unit(inputs or {}, bests, locale)
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
        note = _cap_note(summed["bonus"], table.bonus_cap, locale)
        lines.append(say("bonus", locale, bonus=number(bonus, locale), note=note))
    if outcomes["deduction"]:
        note = _cap_note(summed["deduction"], table.deduction_cap, locale)
        lines.append(say("deduction", locale, deduction=number(deduction, locale), note=note))
    total_line = say(
        "total",
        locale,
        base=number(base, locale),
        bonus=number(bonus, locale),
        deduction=number(deduction, locale),
        unrounded=number(unrounded, locale),
    )
    if total != unrounded:
        step = number(table.rounding_step or 0, locale)
        total_line += say("rounded", locale, step=step, total=number(total, locale))
    lines.append(say("total_end", locale, line=total_line))
    lines.append(_grade_line(table, earned, final, sanctions, locale))

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
    table: ScoringTable,
    inputs: Mapping,
    peers: Iterable[Mapping] | Mapping | None = None,
    *,
    locale: str = "vi",
) -> UnitResult:
    """Score one unit; `peers` (other units' inputs, a list or a key → inputs mapping) only
    matter for ratio_cluster items — without them the unit is compared with itself alone.
    `locale` is the explanation's language ("vi", "en")."""
    peer_inputs = list(peers.values()) if isinstance(peers, Mapping) else list(peers or [])
    return _score(table, inputs, cluster_bests(table, [inputs, *peer_inputs]), locale)


def score_with_bests(
    table: ScoringTable, inputs: Mapping, bests: Mapping[str, Decimal], *, locale: str = "vi"
) -> UnitResult:
    """Score one unit against cluster bests already known (see cluster_bests)."""
    return _score(table, inputs, bests, locale)


def score_group(table: ScoringTable, inputs_by_unit: Mapping, *, locale: str = "vi") -> dict:
    """Score the units of one cluster together: ratio_cluster items compare them."""
    bests = cluster_bests(table, inputs_by_unit.values())
    return {key: _score(table, inputs, bests, locale) for key, inputs in inputs_by_unit.items()}
