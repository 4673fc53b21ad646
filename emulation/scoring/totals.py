"""Every sheet's total at one stage, for a whole campaign at once.

The scoring sheet scores one unit with the engine (emulation.scoring), value by value. A
leaderboard or a recompute needs the totals of thousands of units, so this module sums the
leaf points stored with each entry in SQL — one aggregate query per stage, whatever the
number of units — and applies the same set-level rules as the engine in Python: clamping at
every level of the tree (in SQL, one GROUP BY per level), the bonus and deduction caps,
rounding, grades and sanctions. Per-scorer stages (cross-scoring, council) give one total per
scorer, each carrying the single-voice values the scorer did not change (exactly like the
sheet page), combined with the campaign's aggregation.

Criteria sets using what a stored leaf cannot say alone — cluster-relative ratios, choice
levels that zero their parent, survey items excluded for want of a sample, tie-breaks on an
inner group — are scored by the engine instead (`engine_totals`), one cluster at a time.
Both paths give the same numbers; tests/test_totals.py checks them against each other.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import (
    BigInteger,
    and_,
    case,
    cast,
    exists,
    func,
    literal,
    or_,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.orm import aliased
from sqlalchemy.types import NullType

from emulation.campaigns.models import Campaign
from emulation.core.extensions import db
from emulation.criteria.models import Criterion
from emulation.registrations.models import Registration, RegistrationTarget
from emulation.scoring import (
    AppliedSanction,
    Quantity,
    ScoringTable,
    SurveyIndex,
    UnitResult,
    apply_sanctions,
    cluster_bests,
    grade_index,
    grade_name,
    round_to_step,
    score_with_bests,
    table_from_criteria_set,
)
from emulation.scoring.models import ScoreEntry, ScoreSheet, Stage
from emulation.scoring.ranking import GROUP_KEY, tie_break_keys
from emulation.scoring.rules import ZERO, section_of

SINGLE_VOICE = (Stage.SELF, Stage.LEADER, Stage.APPRAISAL)
THOUSANDTH = Decimal("0.001")


@dataclass
class SheetTotal:
    """One sheet's outcome at a stage: the (combined) result; for per-scorer stages how many
    scored it and the spread between the highest and lowest scorer's total."""

    sheet_id: int
    unit_id: int
    stage: str  # where the sheet stands now
    result: UnitResult
    scorers: int = 0
    spread: Decimal | None = None


def aggregate(values: list[Decimal], method: str) -> Decimal | None:
    """Combine scorers' numbers: mean, median, or mean without the highest and lowest."""
    if not values:
        return None
    values = sorted(values)
    n = len(values)
    if method == "median":
        middle = n // 2
        return values[middle] if n % 2 else (values[middle - 1] + values[middle]) / 2
    if method == "trimmed_mean" and n >= 3:
        values = values[1:-1]
    return sum(values, ZERO) / len(values)


def positive_after_aggregation(positives: int, n: int, method: str) -> bool:
    """Whether the aggregate of n non-negative numbers, `positives` of them > 0, is > 0."""
    if positives == 0 or n == 0:
        return False
    if method == "median":
        return positives >= (n + 1) // 2 if n % 2 else positives >= n // 2
    if method == "trimmed_mean" and n >= 3:
        return positives >= 2
    return True


# --- the criteria tree, as the SQL needs it ---------------------------------------------------


@dataclass
class _Shape:
    """What the SQL needs to know of a criteria set."""

    table: ScoringTable
    by_code: dict[str, Criterion]
    leaves_at: dict[int, list[int]]  # depth → leaf ids
    section_leaves: dict[str, list[int]]  # section → leaf ids
    root_leaves: dict[str, list[int]]  # root code → leaf ids below it
    sanctions: dict[str, list[int]]  # sanction item code → leaf ids that can trigger it
    watched_roots: list[str]  # top-level groups a tie-break compares
    binding: bool  # some level can sum above its maximum, so clamping matters

    @property
    def max_depth(self) -> int:
        return max(self.leaves_at, default=0)


def _shape(campaign: Campaign) -> _Shape:
    table = table_from_criteria_set(campaign.criteria_set)
    by_code = {c.code: c for c in campaign.criteria_set.criteria}
    leaves_at: dict[int, list[int]] = defaultdict(list)
    section_leaves: dict[str, list[int]] = defaultdict(list)
    for rule, level, section in table.walk():
        if not rule.children:
            leaves_at[level].append(by_code[rule.code].id)
            section_leaves[section].append(by_code[rule.code].id)
    root_leaves = {root.code: [by_code[r.code].id for r in _leaves(root)] for root in table.roots}
    sanctions = {
        rule.code: _positive_paths(rule, by_code)
        for rule, _level, section in table.walk()
        if section == "deduction" and rule.sanction
    }
    watched = [key[len(GROUP_KEY) :] for key in tie_break_keys(table) if key.startswith(GROUP_KEY)]
    binding = any(_can_exceed(root, False) for root in table.roots)
    return _Shape(
        table,
        by_code,
        dict(leaves_at),
        dict(section_leaves),
        root_leaves,
        sanctions,
        [code for code in watched if code in root_leaves],
        binding,
    )


def _leaves(rule):
    if not rule.children:
        yield rule
    for child in rule.children:
        yield from _leaves(child)


def _highest(rule, has_parent: bool) -> Decimal:
    """The most points a node can hold after the engine's clamping."""
    if not rule.children:
        over = rule.number("over_cap", 0) if rule.scoring_type == "ratio" and has_parent else 0
        return rule.max_points + max(over, ZERO)
    return min(rule.max_points, sum((_highest(c, True) for c in rule.children), ZERO))


def _can_exceed(rule, has_parent: bool) -> bool:
    """Whether clamping can change anything in this subtree: some node's children can sum
    above its maximum (or a top-level leaf above its own)."""
    if not rule.children:
        return not has_parent and _highest(rule, True) > rule.max_points
    children = sum((_highest(c, True) for c in rule.children), ZERO)
    return children > rule.max_points or any(_can_exceed(c, True) for c in rule.children)


def _positive_paths(rule, by_code) -> list[int]:
    """Leaves below `rule` whose positive points reach it (no zero maximum on the way)."""
    if rule.max_points <= 0:
        return []
    if not rule.children:
        return [by_code[rule.code].id]
    return [leaf for child in rule.children for leaf in _positive_paths(child, by_code)]


def needs_engine(table: ScoringTable) -> bool:
    """Whether stored leaf points are not enough to total this table in SQL."""
    for rule, _depth, _section in table.walk():
        kind = rule.scoring_type
        if kind == "ratio_cluster":
            return True
        if kind == "choice" and any(lvl.get("zero_parent") for lvl in rule.param("levels", [])):
            return True
        if kind == "survey" and rule.param("insufficient") == "excluded":
            return True
    roots = {rule.code for rule in table.roots}
    return any(
        key.startswith(GROUP_KEY) and key[len(GROUP_KEY) :] not in roots
        for key in tie_break_keys(table)
    )


# --- leaf rows per stage ----------------------------------------------------------------------


def _sheet_ids(campaign: Campaign):
    return select(ScoreSheet.id).where(ScoreSheet.campaign_id == campaign.id).scalar_subquery()


def _single_voice_rows(campaign: Campaign, upto: str):
    """(sheet_id, scorer_key, criterion_id, points): each leaf's value at the latest
    single-voice stage up to `upto` — what a reviewer left alone is carried from before."""
    stages = SINGLE_VOICE[: SINGLE_VOICE.index(upto) + 1]
    e = aliased(ScoreEntry, name="e")
    stmt = select(e.sheet_id, e.scorer_key, e.criterion_id, e.points).where(
        e.stage.in_(stages), e.scorer_key == 0, e.sheet_id.in_(_sheet_ids(campaign))
    )
    if len(stages) > 1:
        later = aliased(ScoreEntry, name="later")
        newer = [
            and_(e.stage == stage, later.stage.in_(stages[i + 1 :]))
            for i, stage in enumerate(stages[:-1])
        ]
        stmt = stmt.where(
            ~exists().where(
                later.sheet_id == e.sheet_id,
                later.criterion_id == e.criterion_id,
                later.scorer_key == 0,
                or_(*newer),
            )
        )
    return stmt


def leaf_rows(campaign: Campaign, stage: str):
    """(sheet_id, scorer_key, criterion_id, points) of a stage, as a subquery.

    Per-scorer stages read their own rows only: a scorer's first number on a sheet copies
    the single-voice values into their own entries (emulation.sheets.save_entry), so each
    scorer's rows are complete on their own."""
    if stage in Stage.PER_SCORER or stage == Stage.SELF:
        e = ScoreEntry
        stmt = select(e.sheet_id, e.scorer_key, e.criterion_id, e.points).where(
            e.stage == stage, e.sheet_id.in_(_sheet_ids(campaign))
        )
    else:
        stmt = _single_voice_rows(campaign, stage)
    return stmt.subquery("leaf")


# --- summing in SQL ---------------------------------------------------------------------------


class _Sums(NamedTuple):
    """One scorer's sections on one sheet, in thousandths of a point (exact integers)."""

    base: int
    bonus: int
    deduction: int
    sanctions: tuple[str, ...]  # triggered sanction items, in display order
    roots: dict[str, int]  # the top-level groups a tie-break compares


def _milli(value) -> int:
    """A stored sum in thousandths: sums of 0,001-multiples (SQLite hands back floats)."""
    if value is None:
        return 0
    return int(round(value * 1000)) if isinstance(value, float) else int(value * 1000)


def _raw(expression):
    """No result processing: the sums go straight to _milli."""
    return type_coerce(expression, NullType())


def _among(column, ids: list[int], leaves: list[int]):
    """`column` is one of `ids`, written as ranges over the set's leaves where it can be:
    rows only ever hold this set's leaves, so a run of consecutive leaves (in id order) is a
    BETWEEN, much cheaper per row than IN."""
    wanted, runs, run = set(ids), [], []
    for leaf in leaves:
        if leaf in wanted:
            run.append(leaf)
        elif run:
            runs.append(run)
            run = []
    if run:
        runs.append(run)
    if len(runs) > 2:
        return column.in_(ids)
    return or_(*(column == r[0] if len(r) == 1 else column.between(r[0], r[-1]) for r in runs))


def _flat_sums(shape: _Shape, leaves) -> dict[tuple[int, int], _Sums]:
    """When no level can exceed its maximum, a group's points are the plain sum of its
    leaves: one GROUP BY (sheet, scorer), with a filtered sum per section, sanction item
    and tie-break group."""
    cid, points = leaves.c.criterion_id, leaves.c.points
    every = sorted(leaf for ids in shape.leaves_at.values() for leaf in ids)
    # Sums come back as the driver gives them (float or Decimal); _milli makes them exact.
    columns = [_raw(func.sum(points))]
    for section in ("bonus", "deduction"):
        ids = shape.section_leaves.get(section, [])
        columns.append(
            _raw(func.sum(points).filter(_among(cid, ids, every))) if ids else literal(0)
        )
    columns += [
        func.count().filter(_among(cid, ids, every), points > 0) if ids else literal(0)
        for ids in shape.sanctions.values()
    ]
    columns += [
        _raw(func.sum(points).filter(_among(cid, shape.root_leaves[code], every)))
        for code in shape.watched_roots
    ]
    stmt = select(leaves.c.sheet_id, leaves.c.scorer_key, *columns).group_by(
        leaves.c.sheet_id, leaves.c.scorer_key
    )
    codes, watched = tuple(shape.sanctions), shape.watched_roots
    n = len(codes)
    found = {}
    for sheet_id, key, everything, bonus, deduction, *rest in db.session.execute(stmt):
        bonus, deduction = _milli(bonus), _milli(deduction)
        found[(sheet_id, key)] = _Sums(
            _milli(everything) - bonus - deduction,
            bonus,
            deduction,
            tuple(code for code, hits in zip(codes, rest, strict=False) if hits) if n else (),
            dict(zip(watched, map(_milli, rest[n:]), strict=True)) if watched else {},
        )
    return found


def _clamped(total, maximum):
    return case((total > maximum, maximum), else_=total)


def _root_points(shape: _Shape, leaves):
    """(sheet_id, scorer_key, node, points) for every top-level group, clamped at every
    level: one GROUP BY per level of the tree, deepest first."""
    level_rows = None  # computed rows for nodes at depth d + 1
    for depth in range(shape.max_depth, 1, -1):
        parts = []
        leaf_ids = shape.leaves_at.get(depth, [])
        if leaf_ids:
            parts.append(
                select(
                    leaves.c.sheet_id,
                    leaves.c.scorer_key,
                    leaves.c.criterion_id.label("node"),
                    leaves.c.points,
                ).where(leaves.c.criterion_id.in_(leaf_ids))
            )
        if level_rows is not None:
            parts.append(select(level_rows))
        rows = (parts[0] if len(parts) == 1 else union_all(*parts)).subquery(f"d{depth}")
        child = aliased(Criterion, name=f"c{depth}")
        summed = (
            select(
                rows.c.sheet_id,
                rows.c.scorer_key,
                child.parent_id.label("node"),
                func.sum(rows.c.points).label("points"),
            )
            .join(child, child.id == rows.c.node)
            .group_by(rows.c.sheet_id, rows.c.scorer_key, child.parent_id)
            .subquery(f"s{depth}")
        )
        parent = aliased(Criterion, name=f"p{depth}")
        level_rows = (
            select(
                summed.c.sheet_id,
                summed.c.scorer_key,
                summed.c.node,
                _clamped(summed.c.points, parent.max_points).label("points"),
            )
            .join(parent, parent.id == summed.c.node)
            .subquery(f"l{depth - 1}")
        )
    parts = []
    top_leaves = shape.leaves_at.get(1, [])
    if top_leaves:
        root = aliased(Criterion, name="r")
        parts.append(
            select(
                leaves.c.sheet_id,
                leaves.c.scorer_key,
                leaves.c.criterion_id.label("node"),
                _clamped(leaves.c.points, root.max_points).label("points"),
            )
            .join(root, root.id == leaves.c.criterion_id)
            .where(leaves.c.criterion_id.in_(top_leaves))
        )
    if level_rows is not None:
        parts.append(select(level_rows))
    return (parts[0] if len(parts) == 1 else union_all(*parts)).subquery("roots")


def _tree_sums(shape: _Shape, campaign: Campaign, stage: str) -> dict[tuple[int, int], _Sums]:
    """Clamping at every level in SQL, then sections from the top-level groups."""
    roots = _root_points(shape, leaf_rows(campaign, stage))
    nodes = [shape.by_code[rule.code] for rule in shape.table.roots]
    columns = [func.sum(case((roots.c.node == node.id, roots.c.points), else_=0)) for node in nodes]
    stmt = select(roots.c.sheet_id, roots.c.scorer_key, *columns).group_by(
        roots.c.sheet_id, roots.c.scorer_key
    )
    triggered = _triggered(shape, campaign, stage)
    found = {}
    for row in db.session.execute(stmt):
        points = {node.code: _milli(v) for node, v in zip(nodes, row[2:], strict=True)}
        sections = {"base": 0, "bonus": 0, "deduction": 0}
        for rule in shape.table.roots:
            sections[section_of(rule)] += points[rule.code]
        key = (row[0], row[1])
        found[key] = _Sums(
            sections["base"],
            sections["bonus"],
            sections["deduction"],
            tuple(code for code in shape.sanctions if code in triggered.get(key, ())),
            {code: points[code] for code in shape.watched_roots},
        )
    return found


def _triggered(shape: _Shape, campaign: Campaign, stage: str) -> dict[tuple, set[str]]:
    """{(sheet_id, scorer_key): sanction codes} — a sanction item that deducted anything."""
    watched = {leaf for leaves in shape.sanctions.values() for leaf in leaves}
    if not watched:
        return {}
    leaves = leaf_rows(campaign, stage)
    stmt = select(leaves.c.sheet_id, leaves.c.scorer_key, leaves.c.criterion_id).where(
        leaves.c.criterion_id.in_(watched), leaves.c.points > 0
    )
    found: dict[tuple, set[str]] = defaultdict(set)
    for sheet_id, scorer_key, criterion_id in db.session.execute(stmt):
        for code, leaf_ids in shape.sanctions.items():
            if criterion_id in leaf_ids:
                found[(sheet_id, scorer_key)].add(code)
    return found


# --- from sections to a result ---------------------------------------------------------------


class _Rules:
    """The set-level rules in thousandths, for fast integer arithmetic."""

    def __init__(self, table: ScoringTable):
        self.table = table
        self.bonus_cap = None if table.bonus_cap is None else int(table.bonus_cap * 1000)
        self.deduction_cap = (
            None if table.deduction_cap is None else int(table.deduction_cap * 1000)
        )
        step = table.rounding_step
        exact = step is not None and step > 0 and (step * 1000) == int(step * 1000)
        self.step = int(step * 1000) if exact else None
        self.max_total = int(table.max_total * 1000)
        self.sanction_kinds = _sanction_kinds(table)
        self.base_max = table.base_max

    def total(self, sums: _Sums) -> tuple[int, int, int, int]:
        """(total, bonus, deduction, unrounded) in thousandths, as the engine computes."""
        bonus = sums.bonus if self.bonus_cap is None else min(sums.bonus, self.bonus_cap)
        deduction = sums.deduction
        if self.deduction_cap is not None:
            deduction = min(deduction, self.deduction_cap)
        unrounded = max(sums.base + bonus - deduction, 0)
        if self.step:
            total = (2 * unrounded + self.step) // (2 * self.step) * self.step
        elif self.table.rounding_step:
            rounded = round_to_step(_points(unrounded), self.table.rounding_step)
            total = int(rounded * 1000)  # a step finer than 0,001 keeps the value
        else:
            total = unrounded
        return min(total, self.max_total), bonus, deduction, unrounded


def _points(milli: int) -> Decimal:
    return Decimal(milli).scaleb(-3)


def _unit_result(
    table, total, base, bonus, deduction, points, sanctions, unrounded, kinds=None, base_max=None
):
    if sanctions and kinds is None:
        kinds = _sanction_kinds(table)
    applied = tuple(AppliedSanction(code, kinds[code]) for code in sanctions)
    earned = grade_index(total, table.grades)
    final = apply_sanctions(earned, [s.kind for s in applied], table.grades) if applied else earned
    return UnitResult(
        total=total,
        base=base,
        bonus=bonus,
        deduction=deduction,
        grade=grade_name(final, table.grades),
        sanctions=applied,
        points=points,
        explanation=[],
        unrounded_total=unrounded,
        grade_before_sanctions=grade_name(earned, table.grades),
        base_max=table.base_max if base_max is None else base_max,
    )


def _sanction_kinds(table: ScoringTable) -> dict[str, str]:
    """Deduction items carrying a sanction: code → kind, in display order."""
    return {
        rule.code: rule.sanction
        for rule, _depth, section in table.walk()
        if section == "deduction" and rule.sanction
    }


def combine(table: ScoringTable, results: list[UnitResult], method: str) -> UnitResult:
    """Several scorers' results as one: totals, sections and group points aggregated with the
    campaign's method; a sanction applies when its item's aggregated deduction is above 0."""
    codes = {code for r in results for code in r.points}
    points = {
        code: aggregate([r.points.get(code, ZERO) for r in results], method) for code in codes
    }
    counts: dict[str, int] = defaultdict(int)
    for r in results:
        for applied in r.sanctions:
            counts[applied.code] += 1
    sanctions = [
        code
        for code in _sanction_kinds(table)
        if positive_after_aggregation(counts.get(code, 0), len(results), method)
    ]
    return _unit_result(
        table,
        aggregate([r.total for r in results], method),
        aggregate([r.base for r in results], method),
        aggregate([r.bonus for r in results], method),
        aggregate([r.deduction for r in results], method),
        points,
        sanctions,
        aggregate([r.unrounded_total for r in results], method),
    )


def _combined(rules: _Rules, sums: dict[int, _Sums], method: str) -> tuple[UnitResult, dict]:
    """A sheet's result from each scorer's sections (one scorer for single-voice stages)."""
    parts = list(sums.values())
    computed = [rules.total(part) for part in parts]
    n = len(parts)
    sanctions = []
    if rules.sanction_kinds:
        counts: dict[str, int] = defaultdict(int)
        for part in parts:
            for code in part.sanctions:
                counts[code] += 1
        sanctions = [
            code
            for code in rules.sanction_kinds
            if positive_after_aggregation(counts.get(code, 0), n, method)
        ]
    result = _unit_result(
        rules.table,
        _agg([c[0] for c in computed], method),
        _agg([part.base for part in parts], method),
        _agg([c[1] for c in computed], method),
        _agg([c[2] for c in computed], method),
        {code: _agg([part.roots[code] for part in parts], method) for code in parts[0].roots},
        sanctions,
        _agg([c[3] for c in computed], method),
        rules.sanction_kinds,
        rules.base_max,
    )
    return result, {key: _points(c[0]) for key, c in zip(sums, computed, strict=True)}


def _agg(values: list[int], method: str) -> Decimal:
    """aggregate() over thousandths, converting once."""
    n = len(values)
    if n == 1:
        return _points(values[0])
    if method == "mean" or (method == "trimmed_mean" and n < 3):
        return Decimal(sum(values)) / (1000 * n)
    values = sorted(values)
    if method == "median":
        middle = n // 2
        if n % 2:
            return _points(values[middle])
        return Decimal(values[middle - 1] + values[middle]) / 2000
    if method == "trimmed_mean" and n >= 3:
        values = values[1:-1]
    return Decimal(sum(values)) / (1000 * len(values))


# --- the public entry point -----------------------------------------------------------------


def sql_totals(campaign: Campaign, stage: str) -> dict[int, SheetTotal]:
    """sheet id → SheetTotal at `stage` for every sheet with numbers there (SQL path)."""
    shape = _shape(campaign)
    rules = _Rules(shape.table)
    method = campaign.council_aggregation
    if not shape.binding and rules.step is not None and method != "median":
        return _totals_in_sql(campaign, stage, shape, rules, method)
    if shape.binding:
        per_scorer = _tree_sums(shape, campaign, stage)
    else:
        per_scorer = _flat_sums(shape, leaf_rows(campaign, stage))
    by_sheet: dict[int, dict[int, _Sums]] = defaultdict(dict)
    for (sheet_id, scorer_key), sums in per_scorer.items():
        by_sheet[sheet_id][scorer_key] = sums
    found = {}
    for sheet_id, unit_id, sheet_stage in _sheets(campaign):
        sums = by_sheet.get(sheet_id)
        if not sums:
            continue
        result, members = _combined(rules, sums, method)
        found[sheet_id] = _sheet_total(sheet_id, unit_id, sheet_stage, stage, result, members)
    return found


def _sheet_total(sheet_id, unit_id, sheet_stage, stage, result, members) -> SheetTotal:
    if stage not in Stage.PER_SCORER:
        return SheetTotal(sheet_id, unit_id, sheet_stage, result)
    values = list(members.values())
    return SheetTotal(
        sheet_id, unit_id, sheet_stage, result, len(values), max(values) - min(values)
    )


def _milli_sql(expression):
    """Thousandths of a point as an exact integer, in SQL."""
    return cast(func.round(func.coalesce(expression, 0) * 1000), BigInteger)


def _scalar_min_max():
    """Two-argument min and max: LEAST/GREATEST, or SQLite's scalar min/max."""
    if db.session.get_bind().dialect.name == "sqlite":
        return func.min, func.max
    return func.least, func.greatest


def _capped_sql(least, column, cap: int | None):
    return column if cap is None else least(column, cap)


def _carry(layer, shape: _Shape) -> list:
    """The sanction counts and tie-break groups, passed through a layer unchanged."""
    return [layer.c[f"s{i}"] for i in range(len(shape.sanctions))] + [
        layer.c[f"r{i}"] for i in range(len(shape.watched_roots))
    ]


def _totals_in_sql(campaign, stage, shape: _Shape, rules: _Rules, method: str):
    """The whole arithmetic in SQL, in exact integer thousandths: each scorer's sections,
    caps, floor at 0, rounding (half up) and the ceiling (one GROUP BY sheet and scorer),
    then per sheet the count, sum, lowest and highest of each figure (one GROUP BY sheet),
    from which the mean or trimmed mean and the spread follow exactly."""
    leaves = leaf_rows(campaign, stage)
    cid, points = leaves.c.criterion_id, leaves.c.points
    every = sorted(leaf for ids in shape.leaves_at.values() for leaf in ids)
    columns = [_milli_sql(func.sum(points)).label("everything")]
    for section in ("bonus", "deduction"):
        ids = shape.section_leaves.get(section, [])
        value = _milli_sql(func.sum(points).filter(_among(cid, ids, every))) if ids else literal(0)
        columns.append(value.label(section))
    columns += [
        func.count().filter(_among(cid, ids, every), points > 0).label(f"s{i}")
        for i, ids in enumerate(shape.sanctions.values())
    ]
    columns += [
        _milli_sql(func.sum(points).filter(_among(cid, shape.root_leaves[code], every))).label(
            f"r{i}"
        )
        for i, code in enumerate(shape.watched_roots)
    ]
    scorer = (
        select(leaves.c.sheet_id, *columns)
        .group_by(leaves.c.sheet_id, leaves.c.scorer_key)
        .subquery("scorer")
    )
    least, greatest = _scalar_min_max()
    # One layer per step, each naming its result, so no expression is computed twice.
    capped = select(
        scorer.c.sheet_id,
        (scorer.c.everything - scorer.c.bonus - scorer.c.deduction).label("base"),
        _capped_sql(least, scorer.c.bonus, rules.bonus_cap).label("bonus"),
        _capped_sql(least, scorer.c.deduction, rules.deduction_cap).label("deduction"),
        *_carry(scorer, shape),
    ).subquery("capped")
    floored = select(
        capped.c.sheet_id,
        capped.c.base,
        capped.c.bonus,
        capped.c.deduction,
        greatest(capped.c.base + capped.c.bonus - capped.c.deduction, 0).label("unrounded"),
        *_carry(capped, shape),
    ).subquery("floored")
    step = rules.step
    figures = select(
        floored,
        least((floored.c.unrounded * 2 + step) // (2 * step) * step, rules.max_total).label(
            "total"
        ),
    ).subquery("figures")
    total = figures.c.total
    trimmed = method == "trimmed_mean"

    def stats(figure, spread=False):
        """Sum (and lowest, highest) per sheet: enough for a mean or a trimmed mean."""
        if trimmed or spread:
            return [func.sum(figure), func.min(figure), func.max(figure)]
        return [func.sum(figure), literal(0), literal(0)]

    columns = stats(total, spread=True)
    for figure in (figures.c.base, figures.c.bonus, figures.c.deduction, figures.c.unrounded):
        columns += stats(figure)
    columns += [
        func.sum(case((figures.c[f"s{i}"] > 0, 1), else_=0)) for i in range(len(shape.sanctions))
    ]
    for i in range(len(shape.watched_roots)):
        columns += stats(figures.c[f"r{i}"])
    stmt = select(figures.c.sheet_id, func.count(), *columns).group_by(figures.c.sheet_id)
    rows = {row[0]: row[1:] for row in db.session.execute(stmt)}

    codes = list(shape.sanctions)
    per_scorer = stage in Stage.PER_SCORER
    found = {}
    for sheet_id, unit_id, sheet_stage in _sheets(campaign):
        row = rows.get(sheet_id)
        if row is None:
            continue
        n = row[0]
        total_, base_, bonus_, deduction_, unrounded = (
            _from_stats(row[1 + 3 * i : 4 + 3 * i], n, method) for i in range(5)
        )
        sanctions = [
            code
            for code, count in zip(codes, row[16 : 16 + len(codes)], strict=True)
            if positive_after_aggregation(count, n, method)
        ]
        start = 16 + len(codes)
        roots = {
            code: _from_stats(row[start + 3 * i : start + 3 + 3 * i], n, method)
            for i, code in enumerate(shape.watched_roots)
        }
        result = _unit_result(
            rules.table,
            total_,
            base_,
            bonus_,
            deduction_,
            roots,
            sanctions,
            unrounded,
            rules.sanction_kinds,
            rules.base_max,
        )
        found[sheet_id] = SheetTotal(
            sheet_id,
            unit_id,
            sheet_stage,
            result,
            n if per_scorer else 0,
            _points(row[3] - row[2]) if per_scorer else None,
        )
    return found


def _from_stats(stats, n: int, method: str) -> Decimal:
    """Mean or trimmed mean of n integers (thousandths) from their sum, lowest and highest."""
    total, lowest, highest = stats
    if method == "trimmed_mean" and n >= 3:
        return Decimal(int(total) - int(lowest) - int(highest)) / (1000 * (n - 2))
    if n == 1:
        return _points(int(total))
    return Decimal(int(total)) / (1000 * n)


def _sheets(campaign: Campaign):
    return db.session.execute(
        select(ScoreSheet.id, ScoreSheet.unit_id, ScoreSheet.stage).where(
            ScoreSheet.campaign_id == campaign.id
        )
    ).all()


def _assemble(campaign, table, stage, by_sheet) -> dict[int, SheetTotal]:
    totals = {}
    for sheet_id, unit_id, sheet_stage in _sheets(campaign):
        results = by_sheet.get(sheet_id)
        if not results:
            continue
        if stage in Stage.PER_SCORER:
            result = combine(table, list(results.values()), campaign.council_aggregation)
        else:
            result = results[0]
        members = {key: r.total for key, r in results.items()}
        totals[sheet_id] = _sheet_total(sheet_id, unit_id, sheet_stage, stage, result, members)
    return totals


# --- the engine path, for what stored leaves cannot say ---------------------------------------


def engine_value(criterion: Criterion, value: dict | None, target=None):
    """What the engine takes for a stored value (None when nothing usable was entered)."""
    if not value:
        return None
    if "index" in value:  # a survey index and its sample size (n)
        return SurveyIndex(Decimal(value["index"]), int(value.get("n") or 0))
    if "actual" in value:
        if target is None or target.target is None:
            return None
        return Quantity(Decimal(value["actual"]), target.target, target.baseline)
    if "level" in value:
        return value["level"]
    if "n" in value:
        return value["n"]
    if "yes" in value:
        return bool(value["yes"])
    if "points" in value:
        return Decimal(value["points"])
    return None


def _targets(campaign: Campaign) -> dict[int, dict[int, RegistrationTarget]]:
    """unit id → criterion id → registered target, in one query."""
    rows = db.session.execute(
        select(Registration.unit_id, RegistrationTarget)
        .join(RegistrationTarget.registration)
        .where(Registration.campaign_id == campaign.id)
    )
    found: dict[int, dict[int, RegistrationTarget]] = defaultdict(dict)
    for unit_id, target in rows:
        found[unit_id][target.criterion_id] = target
    return found


def stage_inputs(campaign: Campaign, stage: str) -> dict[int, dict[int, dict[int, dict]]]:
    """sheet id → scorer key → criterion id → stored value, as the sheet page reads a stage
    (single-voice values carried forward; per-scorer stages one dict per scorer)."""
    wanted = (
        list(SINGLE_VOICE)
        if stage in Stage.PER_SCORER
        else list(SINGLE_VOICE[: SINGLE_VOICE.index(stage) + 1])
    )
    if stage in Stage.PER_SCORER:
        wanted.append(stage)
    rows = db.session.execute(
        select(
            ScoreEntry.sheet_id,
            ScoreEntry.stage,
            ScoreEntry.scorer_key,
            ScoreEntry.criterion_id,
            ScoreEntry.value,
        ).where(ScoreEntry.stage.in_(wanted), ScoreEntry.sheet_id.in_(_sheet_ids(campaign)))
    )
    voice: dict[int, dict[str, dict[int, dict]]] = defaultdict(lambda: defaultdict(dict))
    own: dict[int, dict[int, dict[int, dict]]] = defaultdict(lambda: defaultdict(dict))
    for sheet_id, entry_stage, scorer_key, criterion_id, value in rows:
        if entry_stage in Stage.PER_SCORER:
            own[sheet_id][scorer_key][criterion_id] = value
        else:
            voice[sheet_id][entry_stage][criterion_id] = value
    found: dict[int, dict[int, dict[int, dict]]] = {}
    for sheet_id in set(voice) | set(own):
        carried: dict[int, dict] = {}
        for earlier in SINGLE_VOICE:
            carried.update(voice[sheet_id].get(earlier, {}))
        if stage in Stage.PER_SCORER:
            if own.get(sheet_id):
                found[sheet_id] = {k: {**carried, **v} for k, v in own[sheet_id].items()}
        elif voice.get(sheet_id):
            found[sheet_id] = {0: carried}
    return found


def _engine_inputs(campaign: Campaign, stage: str):
    """(table, sheet id → unit id, sheet id → scorer key → engine inputs) for a stage."""
    table = table_from_criteria_set(campaign.criteria_set)
    criteria = {c.id: c for c in campaign.criteria_set.criteria if c.is_leaf}
    targets = _targets(campaign)
    units = dict(
        db.session.execute(
            select(ScoreSheet.id, ScoreSheet.unit_id).where(ScoreSheet.campaign_id == campaign.id)
        ).all()
    )

    def converted(sheet_id, values):
        unit_targets = targets.get(units[sheet_id], {})
        inputs = {}
        for criterion_id, value in values.items():
            criterion = criteria.get(criterion_id)
            if criterion is None:
                continue
            engine_input = engine_value(criterion, value, unit_targets.get(criterion_id))
            if engine_input is not None:
                inputs[criterion.code] = engine_input
        return inputs

    inputs = {
        sheet_id: {key: converted(sheet_id, values) for key, values in per_scorer.items()}
        for sheet_id, per_scorer in stage_inputs(campaign, stage).items()
    }
    return table, units, inputs


def _cluster_key(campaign: Campaign):
    """unit id → the key of its participating cluster (a unit outside any stands alone)."""
    cluster_of = {m.unit_id: c.id for c in campaign.clusters for m in c.members}
    return lambda unit_id: cluster_of.get(unit_id, ("alone", unit_id))


def engine_totals(campaign: Campaign, stage: str) -> dict[int, SheetTotal]:
    """sheet id → SheetTotal computed by the engine from stored values; cluster-relative items
    compare the units of each participating cluster (every scorer's numbers pooled)."""
    table, units, inputs = _engine_inputs(campaign, stage)
    key_of = _cluster_key(campaign)
    pooled: dict[object, list[dict]] = defaultdict(list)
    for sheet_id, per_scorer in inputs.items():
        pooled[key_of(units[sheet_id])].extend(per_scorer.values())
    bests = {key: cluster_bests(table, group) for key, group in pooled.items()}
    by_sheet: dict[int, dict[int, UnitResult]] = {}
    for sheet_id, per_scorer in inputs.items():
        best = bests[key_of(units[sheet_id])]
        by_sheet[sheet_id] = {
            key: score_with_bests(table, values, best) for key, values in per_scorer.items()
        }
    return _assemble(campaign, table, stage, by_sheet)


def has_cluster_items(campaign: Campaign) -> bool:
    return any(
        c.scoring_type == "ratio_cluster" for c in campaign.criteria_set.criteria if c.is_leaf
    )


def cluster_bests_at(campaign: Campaign, unit_id: int, stage: str) -> dict[str, Decimal]:
    """For cluster-relative items: the best result in the unit's cluster at a stage (every
    scorer's numbers pooled), as the totals use it. Empty when the set has no such item."""
    if not has_cluster_items(campaign):
        return {}
    table, units, inputs = _engine_inputs(campaign, stage)
    key_of = _cluster_key(campaign)
    mine = key_of(unit_id)
    group = [
        values
        for sheet_id, per_scorer in inputs.items()
        if key_of(units[sheet_id]) == mine
        for values in per_scorer.values()
    ]
    return cluster_bests(table, group)


def stage_totals(campaign: Campaign, stage: str) -> dict[int, SheetTotal]:
    """sheet id → SheetTotal at `stage`: in SQL when the criteria set allows, else the engine."""
    if campaign.criteria_set is None:
        return {}
    if needs_engine(table_from_criteria_set(campaign.criteria_set)):
        return engine_totals(campaign, stage)
    return sql_totals(campaign, stage)


# --- self against council ---------------------------------------------------------------------


def flag_counts(campaign: Campaign) -> dict[int, int]:
    """sheet id → how many criteria the unit's self-score and the council's combined number
    differ on by more than the campaign's tolerance (the overview's ⚑), in one query for a
    mean (compared in integer thousandths, so exactly), or from the entries otherwise."""
    tolerance = campaign.flag_tolerance
    method = campaign.council_aggregation
    council = aliased(ScoreEntry, name="council")
    own = aliased(ScoreEntry, name="own")
    if method == "mean":
        combined = (
            select(
                council.sheet_id,
                council.criterion_id,
                func.count().label("n"),
                _milli_sql(func.sum(council.points)).label("total"),
            )
            .where(
                council.stage == Stage.COUNCIL,
                council.points.is_not(None),
                council.sheet_id.in_(_sheet_ids(campaign)),
            )
            .group_by(council.sheet_id, council.criterion_id)
            .subquery("combined")
        )
        gap = _milli_sql(own.points) * combined.c.n - combined.c.total
        stmt = (
            select(combined.c.sheet_id, func.count())
            .join(
                own,
                and_(
                    own.sheet_id == combined.c.sheet_id,
                    own.criterion_id == combined.c.criterion_id,
                    own.stage == Stage.SELF,
                    own.scorer_key == 0,
                    own.points.is_not(None),
                ),
            )
            .where(func.abs(gap) > int(tolerance * 1000) * combined.c.n)
            .group_by(combined.c.sheet_id)
        )
        return dict(db.session.execute(stmt).all())
    rows = db.session.execute(
        select(own.sheet_id, own.criterion_id, own.stage, own.points).where(
            own.stage.in_([Stage.SELF, Stage.COUNCIL]),
            own.points.is_not(None),
            own.sheet_id.in_(_sheet_ids(campaign)),
        )
    )
    selves: dict[tuple, Decimal] = {}
    councils: dict[tuple, list[Decimal]] = defaultdict(list)
    for sheet_id, criterion_id, stage, points in rows:
        if stage == Stage.SELF:
            selves[(sheet_id, criterion_id)] = points
        else:
            councils[(sheet_id, criterion_id)].append(points)
    counts: dict[int, int] = defaultdict(int)
    for key, own_points in selves.items():
        combined = aggregate(councils.get(key, []), method)
        if combined is not None and abs(own_points - combined) > tolerance:
            counts[key[0]] += 1
    return dict(counts)
