"""Ranking the units of one group (cluster) and applying the grades' quotas.

Order: the table's tie_break keys, best first ("total" and "bonus" and "group:<code>"
higher is better, "deduction" lower is better); "total" comes first when the list lacks
it. Units equal on every key share a rank (competition ranking: 1, 1, 3) and are listed
by `display_key` (default: the unit key itself).

Quotas: a grade with quota_pct admits at most floor(quota_pct/100 × group size) units, but
at least 1 when the group has units and quota_pct > 0 (a 25 % quota still lets a group of
three have one Xuất sắc); quota_pct = 0 admits nobody. Units are admitted in rank order;
units tied on every key are admitted together or not at all, so two tied units never end
in different grades because of a quota. Once a tied block does not fit, every unit ranked
below it drops too (nobody overtakes a better-ranked unit). Units that do not fit drop to
the next grade and compete for it in rank order with those who earned it. The lowest grade
takes everyone who falls that far, so a quota on it is not applied.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from itertools import groupby
from typing import Any

from .engine import UnitResult
from .grading import grade_name, index_of
from .rules import ZERO, Grade, ScoringTable

GROUP_KEY = "group:"


@dataclass(frozen=True)
class RankedEntry:
    """A unit's place in its group: rank (shared when tied) and grade after quotas."""

    key: Any
    rank: int
    total: Decimal
    grade: str | None
    grade_before_quota: str | None
    result: UnitResult

    @property
    def dropped_by_quota(self) -> bool:
        return self.grade != self.grade_before_quota


def tie_break_keys(table: ScoringTable) -> tuple[str, ...]:
    """The table's tie-break keys, with "total" first when the list does not name it."""
    keys = tuple(table.tie_break)
    return keys if "total" in keys else ("total", *keys)


def merit(result: UnitResult, keys: tuple[str, ...]) -> tuple[Decimal, ...]:
    """The values a ranking compares, each oriented so that larger is better."""
    values = []
    for key in keys:
        if key == "total":
            values.append(result.total)
        elif key == "bonus":
            values.append(result.bonus)
        elif key == "deduction":
            values.append(-result.deduction)
        elif key.startswith(GROUP_KEY):
            values.append(result.points.get(key[len(GROUP_KEY) :], ZERO))
        else:
            raise ValueError(f"unknown tie-break key {key!r}")
    return tuple(values)


def quota_limit(quota_pct: Decimal | None, group_size: int) -> int | None:
    """How many units a grade admits: None = no limit; at least 1 for a positive quota."""
    if quota_pct is None:
        return None
    if quota_pct <= 0 or group_size <= 0:
        return 0
    return max(math.floor(quota_pct * group_size / 100), 1)


def apply_quotas(
    ordered: list[tuple[Any, tuple, int]], grades: tuple[Grade, ...]
) -> dict[Any, int]:
    """Final grade indices for (key, merit, earned grade index) listed in rank order."""
    current = {key: index for key, _merit, index in ordered}
    group_size = len(ordered)
    for index, grade in enumerate(grades[:-1]):  # the lowest grade takes all who fall
        limit = quota_limit(grade.quota_pct, group_size)
        if limit is None:
            continue
        candidates = [(key, value) for key, value, _index in ordered if current[key] == index]
        admitted, full = 0, False
        for _value, block in groupby(candidates, key=lambda item: item[1]):
            keys = [key for key, _value in block]
            if not full and admitted + len(keys) <= limit:
                admitted += len(keys)
                continue
            full = True
            for key in keys:
                current[key] = index + 1
    return current


def rank(
    results: Mapping[Any, UnitResult],
    table: ScoringTable,
    *,
    display_key: Callable[[Any], Any] | None = None,
) -> list[RankedEntry]:
    """Rank one group's results by the table's tie-break keys and apply grade quotas."""
    keys = tie_break_keys(table)
    display_key = display_key or (lambda key: key)
    merits = {key: merit(result, keys) for key, result in results.items()}
    order = sorted(
        results, key=lambda key: (tuple(-value for value in merits[key]), display_key(key))
    )
    grades = table.grades
    earned = {key: index_of(results[key].grade, grades) for key in order}
    final = apply_quotas([(key, merits[key], earned[key]) for key in order], grades)

    entries: list[RankedEntry] = []
    for position, key in enumerate(order, start=1):
        tied = entries and merits[entries[-1].key] == merits[key]
        entries.append(
            RankedEntry(
                key=key,
                rank=entries[-1].rank if tied else position,
                total=results[key].total,
                grade=grade_name(final[key], grades),
                grade_before_quota=results[key].grade,
                result=results[key],
            )
        )
    return entries
