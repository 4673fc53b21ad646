"""Campaign totals in SQL (emulation.scoring.totals) against the engine, sheet by sheet.

Random criteria sets — nested groups, sections, over-target bonuses that make clamping bite,
caps, rounding steps, sanctions — with random self-scores and council members' numbers; the
SQL path must give exactly what the engine gives, and what the sheet page shows.
"""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from emulation.accounts.models import Role
from emulation.core.clock import local_today
from emulation.core.extensions import db
from emulation.registrations.models import Registration, RegistrationTarget
from emulation.scoring import sheets, totals
from emulation.scoring.models import ScoreEntry, Stage
from tests.factories import add_criterion, make_campaign, make_cluster, make_unit, make_user

GRADES = [
    {"name": "Xuất sắc", "min": 90},
    {"name": "Tốt", "min": 75},
    {"name": "Khá", "min": 60},
    {"name": "Trung bình", "min": 0},
]


def _points(rng: random.Random, top: Decimal) -> str:
    return str((top * Decimal(rng.randint(0, 1000)) / 1000).quantize(Decimal("0.01")))


def build(rng: random.Random):
    """A campaign with a random criteria set, four units with targets and two council members."""
    today = local_today()
    units = [make_unit(f"Phường số {i}") for i in range(4)]
    cluster = make_cluster(year=today.year, members=units, leader=units[0])
    campaign = make_campaign(
        clusters=[cluster],
        phases={"scoring": (today - timedelta(days=3), today + timedelta(days=10))},
    )
    criteria_set = campaign.criteria_set
    criteria_set.grades = GRADES
    criteria_set.rounding_step = rng.choice([None, Decimal("0.5"), Decimal("0.25"), Decimal("1")])
    criteria_set.bonus_cap = rng.choice([None, Decimal("2"), Decimal("4")])
    criteria_set.deduction_cap = rng.choice([None, Decimal("3")])
    leaves = []

    def leaf(code, parent, top, section=None):
        kind = rng.choice(["council", "council", "ratio"]) if section != "deduction" else "council"
        params = {"over_rate": 1, "over_cap": 2} if kind == "ratio" else None
        node = add_criterion(
            campaign,
            code,
            f"Nội dung {code}",
            top,
            parent=parent,
            scoring_type=kind,
            section=section,
            params=params,
        )
        leaves.append(node)
        return node

    for g in range(1, rng.randint(2, 3) + 1):
        group = add_criterion(campaign, str(g), f"Nhóm {g}", 0, section="base")
        group_max = Decimal(0)
        for c in range(1, rng.randint(1, 3) + 1):
            if rng.random() < 0.6:
                node = add_criterion(campaign, f"{g}.{c}", f"Tiêu chí {g}.{c}", 0, parent=group)
                tops = [Decimal(rng.choice([1, 2, "2.5", 5])) for _ in range(rng.randint(1, 3))]
                for s, top in enumerate(tops, start=1):
                    leaf(f"{g}.{c}.{s}", node, top)
                # Sometimes less than the children add up to, so clamping bites.
                node.max_points = sum(tops) - (Decimal(1) if rng.random() < 0.3 else 0)
                group_max += node.max_points
            else:
                group_max += leaf(f"{g}.{c}", group, Decimal(rng.choice([2, 5]))).max_points
        group.max_points = group_max - (Decimal(1) if rng.random() < 0.3 else 0)
    if rng.random() < 0.8:
        bonus = add_criterion(campaign, "T", "Điểm thưởng", 3, section="bonus")
        for i in range(1, 4):
            leaf(f"T.{i}", bonus, Decimal(1))
    if rng.random() < 0.8:
        deduction = add_criterion(campaign, "K", "Điểm trừ", 4, section="deduction")
        for i in range(1, 4):
            node = leaf(f"K.{i}", deduction, Decimal(2))
            if i == 1:
                node.sanction = "max_kha"
    db.session.commit()
    for unit in units:
        registration = Registration(campaign=campaign, unit=unit, status="approved")
        for node in leaves:
            if node.scoring_type == "ratio":
                registration.targets.append(RegistrationTarget(criterion=node, target=Decimal(10)))
        db.session.add(registration)
    members = [
        make_user(f"hd{i}", Role.COUNCIL_MEMBER, unit=make_unit(f"Sở {i}")) for i in range(3)
    ]
    db.session.commit()
    return campaign, units, leaves, members


def value_for(rng: random.Random, node) -> dict:
    if node.scoring_type == "ratio":
        return {"actual": str(Decimal(rng.randint(0, 160)) / 10)}
    if node.code.startswith("K.") and rng.random() < 0.6:
        return {"points": "0"}
    return {"points": _points(rng, node.max_points)}


def score(campaign, units, leaves, members, rng: random.Random) -> None:
    """Self-scores for most leaves; each member scores some and keeps the rest (as the sheet
    copies them on a member's first number)."""
    for unit in units:
        sheet = sheets.ensure_sheet(campaign, unit)
        own = {}
        for node in leaves:
            if rng.random() < 0.85:
                own[node.id] = value_for(rng, node)
                db.session.add(_entry(sheet, node, Stage.SELF, 0, own[node.id]))
        for member in members[: rng.randint(1, len(members))]:
            for node in leaves:
                if rng.random() < 0.5:
                    db.session.add(
                        _entry(sheet, node, Stage.COUNCIL, member.id, value_for(rng, node))
                    )
                elif node.id in own:
                    db.session.add(_entry(sheet, node, Stage.COUNCIL, member.id, own[node.id]))
        sheet.stage = Stage.COUNCIL
    db.session.commit()


def _entry(sheet, node, stage, scorer_key, value) -> ScoreEntry:
    return ScoreEntry(
        sheet=sheet,
        criterion=node,
        stage=stage,
        scorer_key=scorer_key,
        scorer_id=scorer_key or None,
        value=value,
        points=sheets.leaf_points(sheet, node, value),
    )


@pytest.mark.parametrize("seed", range(18))
def test_sql_totals_equal_the_engine(app, seed):
    rng = random.Random(seed)
    campaign, units, leaves, members = build(rng)
    campaign.council_aggregation = ("mean", "trimmed_mean", "median")[seed % 3]
    if seed % 2:  # half of the sets with no level able to pass its maximum
        for node in sorted(campaign.criteria_set.criteria, key=lambda n: -len(n.code)):
            if node.children:
                node.max_points = sum(c.max_points for c in node.children)
            elif node.scoring_type == "ratio":
                node.params = {"over_rate": 1, "over_cap": 0}
        campaign.criteria_set.rounding_step = Decimal("0.5")
    db.session.commit()
    score(campaign, units, leaves, members, rng)
    for stage in (Stage.SELF, Stage.COUNCIL):
        by_sql = totals.sql_totals(campaign, stage)
        by_engine = totals.engine_totals(campaign, stage)
        assert by_sql.keys() == by_engine.keys() and by_sql
        for sheet_id, expected in by_engine.items():
            got = by_sql[sheet_id]
            for name in ("total", "grade", "base", "bonus", "deduction", "unrounded_total"):
                assert getattr(got.result, name) == getattr(expected.result, name), (stage, name)
            assert [s.code for s in got.result.sanctions] == [
                s.code for s in expected.result.sanctions
            ]
            assert (got.scorers, got.spread) == (expected.scorers, expected.spread)


@pytest.mark.parametrize("seed", range(3))
def test_the_sheet_page_shows_the_same_totals(app, seed):
    rng = random.Random(100 + seed)
    campaign, units, leaves, members = build(rng)
    score(campaign, units, leaves, members, rng)
    admin = make_user("thuongtruc", Role.ADMIN)
    own = totals.stage_totals(campaign, Stage.SELF)
    council = totals.stage_totals(campaign, Stage.COUNCIL)
    for sheet in sheets.sheets_of(campaign):
        columns = {c.stage: c for c in sheets.columns_for(sheet, admin)}
        assert columns[Stage.SELF].total == own[sheet.id].result.total
        assert columns[Stage.SELF].grade == own[sheet.id].result.grade
        assert columns[Stage.COUNCIL].total == council[sheet.id].result.total
        assert columns[Stage.COUNCIL].grade == council[sheet.id].result.grade
        assert columns[Stage.COUNCIL].spread == council[sheet.id].spread


def test_clamping_is_taken_in_sql_only_where_it_can_bite(app):
    campaign = make_campaign()
    group = add_criterion(campaign, "1", "Nhóm 1", 10, section="base")
    add_criterion(campaign, "1.1", "Một", 4, parent=group, scoring_type="council")
    item = add_criterion(campaign, "1.2", "Hai", 6, parent=group, scoring_type="council")
    assert totals._shape(campaign).binding is False  # 4 + 6 can never pass 10
    item.max_points = 7
    db.session.commit()
    assert totals._shape(campaign).binding is True
    item.max_points = 6
    item.scoring_type, item.params = "ratio", {"over_rate": 1, "over_cap": 1}
    db.session.commit()
    assert totals._shape(campaign).binding is True  # the over-target bonus can pass 10


def test_a_members_first_number_keeps_the_rest_as_carried(app, s):
    """The copy on a member's first save is what makes per-member totals summable."""
    sheet, hd1 = s["sheet"], s["hd1"]
    sheets.save_entry(sheet, s["canbo"], s["council"], "8", version=0)
    sheets.save_entry(sheet, s["canbo"], s["ocop"], "3", version=0)
    sheet.stage = Stage.COUNCIL
    db.session.commit()
    sheets.save_entry(sheet, hd1, s["council"], "6", version=0)
    db.session.commit()
    mine = {
        e.criterion_id: e.value
        for e in db.session.scalars(
            select(ScoreEntry).where(
                ScoreEntry.stage == Stage.COUNCIL, ScoreEntry.scorer_key == hd1.id
            )
        )
    }
    assert mine == {s["council"].id: {"points": "6"}, s["ocop"].id: {"n": 3}}
    council = totals.stage_totals(s["campaign"], Stage.COUNCIL)[sheet.id]
    assert council.result.total == Decimal("12") and council.scorers == 1  # 6 + OCOP 3 × 2


def _campaign_of(n_units: int):
    today = local_today()
    units = [make_unit(f"Xã số {i}") for i in range(n_units)]
    cluster = make_cluster(f"Cụm {n_units} xã", year=today.year, members=units, leader=units[0])
    campaign = make_campaign(
        clusters=[cluster],
        phases={"scoring": (today - timedelta(days=3), today + timedelta(days=10))},
    )
    group = add_criterion(campaign, "1", "Nhóm 1", 10, section="base")
    leaf = add_criterion(campaign, "1.1", "Một", 10, parent=group, scoring_type="council")
    for unit in units:
        sheet = sheets.ensure_sheet(campaign, unit)
        db.session.add(_entry(sheet, leaf, Stage.SELF, 0, {"points": "7"}))
    db.session.commit()
    return campaign


def test_the_overview_runs_the_same_queries_for_3_or_12_units(client, queries):
    make_user("thuongtruc", Role.ADMIN)
    client.login("thuongtruc")
    counts = []
    for n in (3, 12):
        campaign = _campaign_of(n)
        client.get(f"/campaigns/{campaign.slug}/scoring")  # sheets exist from now on
        with queries() as statements:
            page = client.get(f"/campaigns/{campaign.slug}/scoring")
        assert page.status_code == 200 and page.text.count("7,00") == n
        counts.append(len(statements))
    assert counts[0] == counts[1], counts


def test_cluster_relative_items_compare_the_cluster_on_the_sheet_and_in_the_totals(app):
    today = local_today()
    units = [make_unit(f"Xã thi đua {i}") for i in range(3)]
    cluster = make_cluster("Cụm so sánh", year=today.year, members=units, leader=units[0])
    campaign = make_campaign(
        clusters=[cluster],
        phases={"scoring": (today - timedelta(days=3), today + timedelta(days=10))},
    )
    group = add_criterion(campaign, "1", "Thu ngân sách", 10, section="base")
    revenue = add_criterion(
        campaign, "1.1", "Tỷ lệ thu", 10, parent=group, scoring_type="ratio_cluster"
    )
    for unit, actual in zip(units, ("120", "110", "90"), strict=True):
        registration = Registration(campaign=campaign, unit=unit, status="approved")
        registration.targets.append(RegistrationTarget(criterion=revenue, target=Decimal(100)))
        db.session.add(registration)
        db.session.flush()
        sheet = sheets.ensure_sheet(campaign, unit)
        db.session.add(_entry(sheet, revenue, Stage.SELF, 0, {"actual": actual}))
    db.session.commit()
    admin = make_user("thuongtruc", Role.ADMIN)
    by_totals = totals.stage_totals(campaign, Stage.SELF)
    shown = {}
    for sheet in sheets.sheets_of(campaign):
        column = next(c for c in sheets.columns_for(sheet, admin) if c.stage == Stage.SELF)
        shown[sheet.unit.name] = column.total
        assert column.total == by_totals[sheet.id].result.total
    # The best over target takes the full 10; 110 of the best 120 gets part of the rest.
    assert shown["Xã thi đua 0"] == 10 and 5 < shown["Xã thi đua 1"] < 10
