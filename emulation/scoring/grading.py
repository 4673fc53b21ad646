"""Grades by index into the table's grades (0 = best); len(grades) means "not graded".

Working with indices makes "lower" a plain comparison: a sanction or a quota may only
raise the index, never lower it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

from emulation.core.text import nfc

from .rules import Grade

KHA = "khá"
KHA_POSITION = 2  # Xuất sắc, Tốt, Khá: where "Khá" sits in the usual tables


def grade_index(total: Decimal, grades: Sequence[Grade]) -> int:
    """The first grade (best first) whose minimum the total reaches; len(grades) if none."""
    for index, grade in enumerate(grades):
        if total >= grade.min:
            return index
    return len(grades)


def grade_name(index: int, grades: Sequence[Grade]) -> str | None:
    """The grade's name, or None for "not graded"."""
    return grades[index].name if 0 <= index < len(grades) else None


def index_of(name: str | None, grades: Sequence[Grade]) -> int:
    """The index of a grade by name; len(grades) for None or an unknown name."""
    for index, grade in enumerate(grades):
        if grade.name == name:
            return index
    return len(grades)


def kha_index(grades: Sequence[Grade]) -> int:
    """Where "Khá" is: by name, else the third grade (or the last when there are fewer)."""
    for index, grade in enumerate(grades):
        if nfc(grade.name).casefold() == KHA:
            return index
    return min(KHA_POSITION, len(grades) - 1)


def apply_sanctions(index: int, kinds: Iterable[str], grades: Sequence[Grade]) -> int:
    """The grade index after sanctions; each only ever lowers the grade.

    Every "down_one" lowers the earned grade by one step (not below the last grade); the
    ceilings ("no_excellent", "max_kha", "force_weak") apply after, so a ceiling and a
    step do not compound (Xuất sắc with down_one and max_kha ends at Khá, not Trung bình).
    A unit that is not graded stays not graded.
    """
    kinds = list(kinds)
    last = len(grades) - 1
    if index > last:
        return index
    for kind in kinds:
        if kind == "down_one":
            index = min(index + 1, last)
    for kind in kinds:
        if kind == "no_excellent":
            index = max(index, 1)  # with a single grade this leaves the unit not graded
        elif kind == "max_kha":
            index = max(index, kha_index(grades))
        elif kind == "force_weak":
            index = max(index, last)
    return index
