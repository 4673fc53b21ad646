"""The rules of a criteria set as plain frozen data, and the inputs the engine scores.

Nothing here imports Flask or SQLAlchemy: `table_from_criteria_set` reads any object that
has the attributes of `CriteriaSet` / `Criterion` (roots, children, code, max_points …).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from copy import deepcopy
from dataclasses import dataclass, field
from decimal import Decimal

from emulation.core.numbers import parse_number

ZERO = Decimal(0)
SECTIONS = ("base", "bonus", "deduction")
SANCTION_KINDS = ("no_excellent", "max_kha", "down_one", "force_weak")


class InvalidInput(ValueError):
    """An input (or rule value) the engine cannot score; `code` names the criterion."""

    def __init__(self, code: str, message: str):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


def to_decimal(value) -> Decimal:
    """A finite Decimal from an int, a Decimal, a float (by its repr) or Vietnamese text.

    Text follows emulation.core.numbers.parse_number: "9,5" is 9.5 and "1.500" is 1500.
    """
    if isinstance(value, bool) or value is None:
        raise ValueError(value)
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))  # JSON params arrive as floats: 0.5 must stay 0.5
    elif isinstance(value, str):
        number = parse_number(value)
        if number is None:
            raise ValueError(value)
    else:
        raise ValueError(value)
    if not number.is_finite():
        raise ValueError(value)
    return number


def _optional_decimal(value) -> Decimal | None:
    return None if value is None or value == "" else to_decimal(value)


@dataclass(frozen=True)
class Quantity:
    """A measured value against the unit's registered target (and optional baseline)."""

    actual: Decimal
    target: Decimal
    baseline: Decimal | None = None

    def __post_init__(self):
        object.__setattr__(self, "actual", to_decimal(self.actual))
        object.__setattr__(self, "target", to_decimal(self.target))
        object.__setattr__(self, "baseline", _optional_decimal(self.baseline))


@dataclass(frozen=True)
class SurveyIndex:
    """A unit's survey index in the criterion's measure (% satisfied or mean) and its sample."""

    value: Decimal
    n: int

    def __post_init__(self):
        object.__setattr__(self, "value", to_decimal(self.value))
        if isinstance(self.n, bool) or int(self.n) != self.n or self.n < 0:
            raise ValueError(self.n)
        object.__setattr__(self, "n", int(self.n))


@dataclass(frozen=True)
class Rule:
    """One node of the criteria tree; `section` is set on top-level groups only."""

    code: str
    title: str = ""
    section: str | None = None
    max_points: Decimal = ZERO
    scoring_type: str = "sum"
    params: Mapping = field(default_factory=dict, hash=False)
    sanction: str | None = None
    children: tuple[Rule, ...] = ()
    unit: str = ""  # unit of measure, for the explanation ("%", "vụ")

    def __post_init__(self):
        object.__setattr__(self, "max_points", to_decimal(self.max_points or 0))
        object.__setattr__(self, "children", tuple(self.children))
        object.__setattr__(self, "params", dict(self.params or {}))

    def param(self, name: str, default=None):
        """A parameter as stored (JSON value), or `default` when absent or null."""
        value = self.params.get(name)
        return default if value is None else value

    def number(self, name: str, default=None) -> Decimal | None:
        """A numeric parameter as a Decimal; `default` when absent or null."""
        value = self.params.get(name)
        if value is None or value == "":
            return None if default is None else to_decimal(default)
        return to_decimal(value)


@dataclass(frozen=True)
class Grade:
    """A grade: reached from `min` points up; `quota_pct` limits it to a share of the group."""

    name: str
    min: Decimal
    quota_pct: Decimal | None = None

    def __post_init__(self):
        object.__setattr__(self, "min", to_decimal(self.min))
        object.__setattr__(self, "quota_pct", _optional_decimal(self.quota_pct))


@dataclass(frozen=True)
class ScoringTable:
    """A whole criteria set: the tree (roots) and its set-level rules; grades best first."""

    roots: tuple[Rule, ...]
    rounding_step: Decimal | None = None
    bonus_cap: Decimal | None = None
    deduction_cap: Decimal | None = None
    grades: tuple[Grade, ...] = ()
    tie_break: tuple[str, ...] = ("total",)

    def __post_init__(self):
        object.__setattr__(self, "roots", tuple(self.roots))
        for name in ("rounding_step", "bonus_cap", "deduction_cap"):
            object.__setattr__(self, name, _optional_decimal(getattr(self, name)))
        grades = tuple(g if isinstance(g, Grade) else Grade(**g) for g in self.grades or ())
        object.__setattr__(self, "grades", grades)
        object.__setattr__(self, "tie_break", tuple(self.tie_break or ()))
        seen: set[str] = set()
        for rule, _depth, _section in self.walk():
            if rule.code in seen:
                raise ValueError(f"duplicate criterion code {rule.code!r}")
            seen.add(rule.code)

    def walk(self) -> Iterator[tuple[Rule, int, str]]:
        """(rule, depth from 1, section) depth-first in display order."""

        def visit(rule: Rule, depth: int, section: str):
            yield rule, depth, section
            for child in rule.children:
                yield from visit(child, depth + 1, section)

        for root in self.roots:
            yield from visit(root, 1, section_of(root))

    def section_max(self, section: str) -> Decimal:
        """The sum of the top-level groups' maxima in a section (before any cap)."""
        return sum((r.max_points for r in self.roots if section_of(r) == section), ZERO)

    @property
    def base_max(self) -> Decimal:
        return self.section_max("base")

    @property
    def bonus_max(self) -> Decimal:
        """The most bonus a unit can get: the bonus groups' maxima, capped by bonus_cap."""
        total = self.section_max("bonus")
        return total if self.bonus_cap is None else min(total, self.bonus_cap)

    @property
    def max_total(self) -> Decimal:
        return self.base_max + self.bonus_max


Rulebook = ScoringTable


def section_of(root: Rule) -> str:
    """A top-level group's section; a group without one counts as base (like the model)."""
    return root.section or "base"


def _position(node) -> int:
    return getattr(node, "position", 0) or 0


def _rule_from(node) -> Rule:
    children = sorted(getattr(node, "children", None) or [], key=_position)
    return Rule(
        code=str(node.code),
        title=getattr(node, "title", "") or "",
        section=getattr(node, "section", None) or None,
        max_points=node.max_points if node.max_points is not None else ZERO,
        scoring_type=getattr(node, "scoring_type", None) or "sum",
        params=deepcopy(dict(getattr(node, "params", None) or {})),
        sanction=getattr(node, "sanction", None) or None,
        children=tuple(_rule_from(child) for child in children),
        unit=getattr(node, "unit_of_measure", "") or "",
    )


def table_from_criteria_set(criteria_set) -> ScoringTable:
    """A ScoringTable from a CriteriaSet, or anything with the same attributes (duck-typed)."""
    roots = sorted(criteria_set.roots or [], key=_position)
    return ScoringTable(
        roots=tuple(_rule_from(root) for root in roots),
        rounding_step=getattr(criteria_set, "rounding_step", None) or None,
        bonus_cap=getattr(criteria_set, "bonus_cap", None),
        deduction_cap=getattr(criteria_set, "deduction_cap", None),
        grades=tuple(
            Grade(name=g["name"], min=g["min"], quota_pct=g.get("quota_pct"))
            for g in getattr(criteria_set, "grades", None) or []
        ),
        tie_break=tuple(getattr(criteria_set, "tie_break", None) or ()),
    )
