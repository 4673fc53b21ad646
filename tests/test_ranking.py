"""Ranking a group: tie-break order, shared ranks, grade quotas."""

from __future__ import annotations

from decimal import Decimal
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from emulation.scoring import Rule, ScoringTable, quota_limit, rank, score_group, tie_break_keys
from emulation.scoring.grading import index_of

D = Decimal


def council(code, max_points, section="base", sanction=None) -> Rule:
    return Rule(
        code,
        f"Mục {code}",
        section=section,
        max_points=D(max_points),
        scoring_type="council",
        sanction=sanction,
    )


def grades(excellent=None, good=None, fair=None):
    return [
        {"name": "Xuất sắc", "min": 90, "quota_pct": excellent},
        {"name": "Tốt", "min": 80, "quota_pct": good},
        {"name": "Khá", "min": 65, "quota_pct": fair},
        {"name": "Trung bình", "min": 50, "quota_pct": None},
        {"name": "Yếu", "min": 0, "quota_pct": None},
    ]


def table(tie_break=("total",), grade_list=None) -> ScoringTable:
    """Two base groups of 50 (A, B), a bonus item (TH) and a deduction item (TR) of 10."""
    return ScoringTable(
        roots=(
            council("A", 50),
            council("B", 50),
            Rule(
                "TH",
                "Điểm thưởng",
                section="bonus",
                max_points=D(10),
                children=(council("TH.1", 10),),
            ),
            Rule(
                "TR",
                "Điểm trừ",
                section="deduction",
                max_points=D(10),
                children=(council("TR.1", 10, sanction="no_excellent"),),
            ),
        ),
        grades=grade_list or grades(),
        tie_break=tie_break,
    )


def ranked(rules, units: dict[str, tuple], **kwargs):
    """units: key → (A, B, bonus, deduction)."""
    inputs = {
        key: dict(zip(("A", "B", "TH.1", "TR.1"), (D(str(v)) for v in values), strict=True))
        for key, values in units.items()
    }
    return rank(score_group(rules, inputs), rules, **kwargs)


def summary(entries):
    return [(e.key, e.rank, e.grade) for e in entries]


# --- order and ranks --------------------------------------------------------------------


def test_competition_ranking_with_ties_listed_by_key():
    entries = ranked(
        table(),
        {"d": (40, 40, 0, 0), "c": (45, 45, 0, 0), "a": (40, 40, 0, 0), "b": (30, 30, 0, 0)},
    )
    assert [(e.key, e.rank, e.total) for e in entries] == [
        ("c", 1, 90),
        ("a", 2, 80),
        ("d", 2, 80),
        ("b", 4, 60),
    ]


def test_an_empty_group_ranks_nobody():
    assert rank({}, table()) == []


def test_display_key_orders_tied_units():
    entries = ranked(
        table(), {"a": (40, 40, 0, 0), "b": (40, 40, 0, 0)}, display_key=lambda key: -ord(key)
    )
    assert [e.key for e in entries] == ["b", "a"]


def test_tie_break_by_bonus_then_deduction_then_group():
    rules = table(("total", "bonus", "deduction", "group:B"))
    entries = ranked(
        rules,
        {
            "more_bonus": (40, 40, 6, 6),  # 80
            "less_bonus": (40, 42, 3, 5),  # 80
            "less_deduction": (40, 40, 3, 3),  # 80
            "stronger_b": (34, 45, 3, 2),  # 80: same bonus and deduction as below, more in B
            "weaker_b": (40, 39, 3, 2),  # 80
        },
    )
    assert [e.key for e in entries] == [
        "more_bonus",
        "stronger_b",
        "weaker_b",
        "less_deduction",
        "less_bonus",
    ]
    assert [e.rank for e in entries] == [1, 2, 3, 4, 5]


def test_total_comes_first_when_the_tie_break_omits_it():
    rules = table(("bonus",))
    assert tie_break_keys(rules) == ("total", "bonus")
    entries = ranked(rules, {"a": (45, 45, 0, 0), "b": (40, 40, 9, 0)})
    assert [e.key for e in entries] == ["a", "b"]


def test_ranking_uses_the_rounded_total():
    rules = ScoringTable(
        roots=(council("A", 100),), rounding_step=D("0.5"), grades=grades(), tie_break=("total",)
    )
    results = score_group(rules, {"a": {"A": D("80.3")}, "b": {"A": D("80.4")}})
    assert [e.rank for e in rank(results, rules)] == [1, 1]


# --- quotas -----------------------------------------------------------------------------


def test_quota_limit():
    assert quota_limit(None, 10) is None
    assert quota_limit(D(25), 8) == 2
    assert quota_limit(D(25), 9) == 2  # floor(2.25)
    assert quota_limit(D(25), 3) == 1  # floor(0.75) = 0, but a positive quota admits one
    assert quota_limit(D(0), 10) == 0
    assert quota_limit(D(100), 7) == 7


def _eight(*top):
    """Eight units: the given (A, B) pairs first, the rest far below."""
    units = {f"u{i}": (a, b, 0, 0) for i, (a, b) in enumerate(top, start=1)}
    for i in range(len(top) + 1, 9):
        units[f"u{i}"] = (30, 30, 0, 0)
    return units


def test_quota_overflow_drops_to_the_next_grade():
    entries = ranked(table(grade_list=grades(excellent=25)), _eight((50, 48), (48, 47), (46, 46)))
    assert summary(entries)[:3] == [
        ("u1", 1, "Xuất sắc"),
        ("u2", 2, "Xuất sắc"),
        ("u3", 3, "Tốt"),
    ]
    assert entries[2].grade_before_quota == "Xuất sắc" and entries[2].dropped_by_quota
    assert not entries[1].dropped_by_quota


def test_tied_units_stay_together_only_if_all_fit():
    rules = table(grade_list=grades(excellent=25))  # 2 of 8
    both_fit = ranked(rules, _eight((47, 47), (47, 47), (46, 46)))
    assert [e.grade for e in both_fit[:3]] == ["Xuất sắc", "Xuất sắc", "Tốt"]
    one_left = ranked(rules, _eight((48, 47), (47, 46), (47, 46)))
    assert summary(one_left)[:3] == [("u1", 1, "Xuất sắc"), ("u2", 2, "Tốt"), ("u3", 2, "Tốt")]


def test_nobody_overtakes_a_tied_block_that_did_not_fit():
    rules = table(grade_list=grades(excellent=50))  # 4 of 8
    entries = ranked(rules, _eight((49, 49), (47, 47), (47, 47), (47, 47), (47, 47), (46, 45)))
    # u1 fits; the four tied at 94 do not (1 + 4 > 4); u6 would fit alone but ranks below them
    assert [e.grade for e in entries[:6]] == ["Xuất sắc"] + ["Tốt"] * 5


def test_dropped_units_cascade_to_the_next_grade_with_room():
    rules = table(grade_list=grades(excellent=25, good=25))  # 2 and 2 of 8
    entries = ranked(
        rules, _eight((50, 50), (49, 49), (48, 48), (47, 47), (46, 46), (42, 42), (40, 40))
    )
    assert [e.grade for e in entries[:7]] == [
        "Xuất sắc",
        "Xuất sắc",
        "Tốt",
        "Tốt",
        "Khá",  # earned Xuất sắc, both grades above are full
        "Khá",  # earned Tốt (84)
        "Khá",  # earned Tốt (80): Tốt is full
    ]


def test_a_zero_quota_admits_nobody_and_the_lowest_grade_takes_everyone():
    rules = table(
        grade_list=[
            {"name": "Xuất sắc", "min": 90, "quota_pct": 0},
            {"name": "Đạt", "min": 0, "quota_pct": 10},
        ]
    )
    entries = ranked(rules, {"a": (50, 50, 0, 0), "b": (20, 20, 0, 0), "c": (10, 10, 0, 0)})
    assert [e.grade for e in entries] == ["Đạt", "Đạt", "Đạt"]


def test_a_sanctioned_unit_does_not_use_the_quota_of_a_grade_it_cannot_get():
    rules = table(grade_list=grades(excellent=25))  # 1 of 4
    entries = ranked(
        rules,
        {"a": (50, 50, 0, 1), "b": (48, 48, 0, 0), "c": (30, 30, 0, 0), "d": (30, 30, 0, 0)},
    )
    assert summary(entries)[:2] == [("a", 1, "Tốt"), ("b", 2, "Xuất sắc")]
    assert entries[0].grade_before_quota == "Tốt"  # no_excellent, not the quota


def test_units_below_every_grade_stay_ungraded():
    rules = table(grade_list=grades()[:4])
    entries = ranked(rules, {"a": (10, 10, 0, 0)})
    assert entries[0].grade is None and entries[0].grade_before_quota is None


# --- properties -------------------------------------------------------------------------

KEYS = ("total", "bonus", "deduction", "group:A", "group:B")
# Few values, mostly high: many ties, and many units competing for the quota-bound grades.
VALUES = st.sampled_from([10, 25, 40, 45, 45, 50, 50])
SMALL = st.sampled_from([0, 0, 2, 5])
QUOTAS = st.sampled_from([None, 0, 10, 25, 25, 50, 100])


@st.composite
def groups(draw):
    tie_break = draw(st.lists(st.sampled_from(KEYS), unique=True, max_size=5))
    grade_list = grades(draw(QUOTAS), draw(QUOTAS), draw(QUOTAS))
    grade_list[-1]["quota_pct"] = draw(QUOTAS)
    rules = table(tuple(tie_break), grade_list)
    size = draw(st.integers(1, 14))
    inputs = {
        f"u{i:02}": {"A": draw(VALUES), "B": draw(VALUES), "TH.1": draw(SMALL), "TR.1": draw(SMALL)}
        for i in range(size)
    }
    return rules, score_group(rules, inputs)


def limit_of(grade, size: int) -> int:
    """floor(quota % of the group), at least one for a positive quota."""
    return max(int(grade.quota_pct * size // 100), 1 if grade.quota_pct else 0)


def oriented(result, key):
    """A tie-break value, larger is better (written apart from the code under test)."""
    if key == "total":
        return result.total
    if key == "bonus":
        return result.bonus
    if key == "deduction":
        return -result.deduction
    return result.points[key.split(":", 1)[1]]


def compare(a, b, keys) -> int:
    """+1 when a is better on the first key where they differ, −1 when worse, 0 when tied."""
    for key in keys:
        x, y = oriented(a, key), oriented(b, key)
        if x != y:
            return 1 if x > y else -1
    return 0


@settings(max_examples=300, deadline=None)
@given(groups())
def test_ranking_is_a_total_order_by_the_tie_break_keys(case):
    rules, results = case
    keys = list(rules.tie_break)
    if "total" not in keys:
        keys.insert(0, "total")
    entries = rank(results, rules)
    assert sorted(e.key for e in entries) == sorted(results)
    for earlier, later in pairwise(entries):
        order = compare(earlier.result, later.result, keys)
        assert order >= 0
        assert (earlier.rank == later.rank) == (order == 0)
        if order == 0:
            assert earlier.key < later.key
    for entry in entries:
        better = sum(compare(other.result, entry.result, keys) > 0 for other in entries)
        assert entry.rank == better + 1


@settings(max_examples=300, deadline=None)
@given(groups())
def test_quotas_are_never_exceeded_and_never_raise_a_grade(case):
    rules, results = case
    entries = rank(results, rules)
    names = [g.name for g in rules.grades]
    for grade in rules.grades[:-1]:
        if grade.quota_pct is not None:
            assert sum(e.grade == grade.name for e in entries) <= limit_of(grade, len(entries))
    position = {e.key: names.index(e.grade) if e.grade in names else len(names) for e in entries}
    for entry in entries:
        assert position[entry.key] >= index_of(entry.grade_before_quota, rules.grades)
        assert (entry.grade is None) == (entry.grade_before_quota is None)  # the last takes all
    for a in entries:
        for b in entries:
            same_start = a.grade_before_quota == b.grade_before_quota
            if same_start and a.rank == b.rank:
                assert a.grade == b.grade  # tied units are never split by a quota
            if same_start and a.rank < b.rank:
                assert position[a.key] <= position[b.key]  # nobody overtakes


@settings(max_examples=300, deadline=None)
@given(groups())
def test_units_drop_only_past_a_full_grade(case):
    rules, results = case
    entries = rank(results, rules)
    names = [g.name for g in rules.grades]

    def position(name):
        return names.index(name) if name in names else len(names)

    for index, grade in enumerate(rules.grades[:-1]):
        passed = [e for e in entries if position(e.grade_before_quota) <= index < position(e.grade)]
        if not passed:
            continue
        assert grade.quota_pct is not None  # only a quota pushes a unit down
        first = min(e.rank for e in passed)
        blocked = [e for e in passed if e.rank == first]
        admitted = [e for e in entries if position(e.grade) == index]
        # the first block to drop did not fit whole, and everyone admitted ranks above it
        assert len(admitted) + len(blocked) > limit_of(grade, len(entries))
        assert all(e.rank < first for e in admitted)
