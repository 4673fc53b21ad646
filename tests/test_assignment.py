"""Cross-scoring assignment (chấm chéo): properties of the circulant draw, notes, log, input checks."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from emulation.scoring.assignment import Assignment, ClusterDraw, assign_cross_scoring


@st.composite
def cluster_maps(draw, max_clusters: int = 4):
    """1–4 clusters of 1–30 units; unit keys unique across clusters, a mix of ints and strs."""
    sizes = draw(st.lists(st.integers(1, 30), min_size=1, max_size=max_clusters))
    clusters: dict = {}
    next_id = 0
    for c, size in enumerate(sizes):
        members = []
        for _ in range(size):
            members.append(next_id if draw(st.booleans()) else f"DV{next_id}")
            next_id += 1
        clusters[f"Cụm {c}" if c % 2 else c] = members
    return clusters


seeds = st.integers(min_value=-(2**63), max_value=2**63)
per_units = st.integers(1, 6)


def cluster_of(clusters: dict) -> dict:
    return {unit: c for c, members in clusters.items() for unit in members}


def reciprocal_pairs(pairs) -> set[frozenset]:
    arcs = set(pairs)
    return {frozenset(p) for p in arcs if (p[1], p[0]) in arcs}


# --- properties ------------------------------------------------------------------------


@settings(max_examples=300)
@given(cluster_maps(), per_units, seeds)
def test_no_self_pairs_and_pairs_sorted_and_unique(clusters, per_unit, seed):
    result = assign_cross_scoring(clusters, per_unit, seed)
    assert all(s != t for s, t in result.pairs)
    assert len(set(result.pairs)) == len(result.pairs)
    again = sorted(result.pairs, key=lambda p: tuple((type(k).__name__, str(k)) for k in p))
    assert list(result.pairs) == again


@settings(max_examples=300)
@given(cluster_maps(), per_units, seeds)
def test_each_unit_scored_by_min_k_peers_of_its_own_cluster(clusters, per_unit, seed):
    result = assign_cross_scoring(clusters, per_unit, seed)
    home = cluster_of(clusters)
    for s, t in result.pairs:
        assert home[s] == home[t]
    scored = Counter(t for _s, t in result.pairs)
    for members in clusters.values():
        expected = min(per_unit, len(members) - 1)
        for unit in members:
            assert scored[unit] == expected
            scorers = result.scorers_of(unit)
            assert len(scorers) == expected
            assert all(home[s] == home[unit] and s != unit for s in scorers)


@settings(max_examples=300)
@given(cluster_maps(), per_units, seeds)
def test_load_is_balanced(clusters, per_unit, seed):
    result = assign_cross_scoring(clusters, per_unit, seed)
    scored = Counter(t for _s, t in result.pairs)
    load = result.load()
    assert set(load) == set(cluster_of(clusters))
    for members in clusters.values():
        expected = min(per_unit, len(members) - 1)
        for unit in members:
            assert load[unit] == scored[unit] == len(result.targets_of(unit)) == expected


@settings(max_examples=300)
@given(cluster_maps(), per_units, seeds)
def test_reciprocity_only_when_unavoidable_and_minimal(clusters, per_unit, seed):
    """Reciprocity-free iff k ≤ (n − 1)/2; otherwise exactly n·k − n(n − 1)/2 reciprocal
    pairs, the lower bound for any assignment (n·k arcs over n(n − 1)/2 unordered pairs)."""
    result = assign_cross_scoring(clusters, per_unit, seed)
    mutual = reciprocal_pairs(result.pairs)
    for members in clusters.values():
        n = len(members)
        k = min(per_unit, n - 1)
        in_cluster = {p for p in mutual if p <= set(members)}
        if per_unit <= (n - 1) // 2:
            assert in_cluster == set()
        else:
            assert len(in_cluster) == n * k - n * (n - 1) // 2


@settings(max_examples=200)
@given(cluster_maps(), per_units, seeds, st.randoms(use_true_random=False))
def test_same_seed_same_result_whatever_the_input_order(clusters, per_unit, seed, rnd):
    first = assign_cross_scoring(clusters, per_unit, seed)
    assert assign_cross_scoring(clusters, per_unit, seed) == first
    items = list(clusters.items())
    rnd.shuffle(items)
    reordered = {}
    for c, members in items:
        members = list(members)
        rnd.shuffle(members)
        reordered[c] = tuple(members)
    assert assign_cross_scoring(reordered, per_unit, seed) == first


@settings(max_examples=200)
@given(cluster_maps(), per_units, seeds)
def test_log_records_enough_to_rerun_the_draw(clusters, per_unit, seed):
    result = assign_cross_scoring(clusters, per_unit, seed)
    rebuilt = [p for draw in result.draws for p in draw.pairs()]
    key = lambda p: tuple((type(k).__name__, str(k)) for k in p)  # noqa: E731
    assert sorted(rebuilt, key=key) == list(result.pairs)
    text = "\n".join(result.log_lines())
    assert f"(seed) = {seed}" in text
    for draw in result.draws:
        order = ", ".join(f"{i}={u}" for i, u in enumerate(draw.order))
        assert order in text
        assert draw.offsets == tuple(range(1, min(per_unit, len(draw.order) - 1) + 1))


def test_different_seeds_usually_differ():
    clusters = {"A": list(range(10)), "B": [f"X{i}" for i in range(8)]}
    results = {assign_cross_scoring(clusters, 2, seed).pairs for seed in range(20)}
    assert len(results) >= 15


def test_pinned_draw_stays_reproducible():
    """Audit logs are re-run later: a change in the algorithm must show up here."""
    result = assign_cross_scoring({"Cụm 1": [1, 2, 3, 4, 5]}, 2, 42)
    assert result.draws == (ClusterDraw("Cụm 1", (4, 2, 3, 5, 1), (1, 2)),)
    assert result.pairs == (
        (1, 2), (1, 4), (2, 3), (2, 5), (3, 1),
        (3, 5), (4, 2), (4, 3), (5, 1), (5, 4),
    )  # fmt: skip


# --- examples --------------------------------------------------------------------------


def test_cluster_of_two_score_each_other_with_a_note():
    result = assign_cross_scoring({"X": ["a", "b"]}, 1, 7)
    assert result.pairs == (("a", "b"), ("b", "a"))
    assert result.notes == ("Cụm X chỉ có 2 đơn vị: hai đơn vị chấm lẫn nhau.",)


def test_cluster_of_two_with_larger_per_unit_says_so():
    result = assign_cross_scoring({"X": ["a", "b"]}, 3, 7)
    assert result.pairs == (("a", "b"), ("b", "a"))
    assert result.notes == (
        "Cụm X chỉ có 2 đơn vị: hai đơn vị chấm lẫn nhau. "
        "Mỗi đơn vị chỉ có 1 đơn vị chấm thay vì 3.",
    )


@pytest.mark.parametrize("seed", range(10))
def test_cluster_of_three_one_scorer_is_a_cycle_without_notes(seed):
    result = assign_cross_scoring({"Y": ["a", "b", "c"]}, 1, seed)
    assert len(result.pairs) == 3
    assert reciprocal_pairs(result.pairs) == set()
    assert {s for s, _ in result.pairs} == {t for _, t in result.pairs} == {"a", "b", "c"}
    assert result.notes == ()


def test_cluster_of_three_two_scorers_is_everyone_and_notes_the_reciprocity():
    result = assign_cross_scoring({"Y": ["a", "b", "c"]}, 2, 1)
    assert set(result.pairs) == {(s, t) for s in "abc" for t in "abc" if s != t}
    assert result.load() == {"a": 2, "b": 2, "c": 2}
    assert len(reciprocal_pairs(result.pairs)) == 3
    # 3 ≥ 2 + 1 meets the request (no fallback), but 2 > (3 − 1)/2 forces reciprocity
    assert result.notes == (
        "Cụm Y có 3 đơn vị, mỗi đơn vị có 2 đơn vị chấm: không tránh được chấm lẫn nhau "
        "(chỉ tránh được khi số đơn vị chấm ≤ (n − 1)/2, tức ≤ 1); có 3 cặp chấm lẫn nhau, "
        "là mức ít nhất có thể.",
    )


def test_fallback_note_when_cluster_smaller_than_per_unit_plus_one():
    result = assign_cross_scoring({"Y": ["a", "b", "c", "d"]}, 5, 1)
    assert len(result.pairs) == 12
    assert result.notes == (
        "Cụm Y chỉ có 4 đơn vị, ít hơn 6 (số đơn vị chấm yêu cầu cộng 1): mỗi đơn vị được "
        "tất cả 3 đơn vị còn lại chấm; cả 6 cặp đều chấm lẫn nhau.",
    )


def test_unavoidable_reciprocity_is_noted_with_its_count():
    result = assign_cross_scoring({"Z": list(range(7))}, 4, 3)
    assert len(reciprocal_pairs(result.pairs)) == 7 * 4 - 21
    assert result.notes == (
        "Cụm Z có 7 đơn vị, mỗi đơn vị có 4 đơn vị chấm: không tránh được chấm lẫn nhau "
        "(chỉ tránh được khi số đơn vị chấm ≤ (n − 1)/2, tức ≤ 3); có 7 cặp chấm lẫn nhau, "
        "là mức ít nhất có thể.",
    )


def test_largest_reciprocity_free_request_has_no_note():
    result = assign_cross_scoring({"Z": list(range(7))}, 3, 3)
    assert reciprocal_pairs(result.pairs) == set()
    assert result.notes == ()


def test_single_member_and_empty_clusters():
    result = assign_cross_scoring({"A": [], "B": ["solo"], "C": [1, 2, 3, 4]}, 1, 5)
    assert all(s != "solo" and t != "solo" for s, t in result.pairs)
    assert result.scorers_of("solo") == () and result.targets_of("solo") == ()
    assert result.load()["solo"] == 0
    assert [d.cluster for d in result.draws] == ["B", "C"]
    assert result.notes == (
        "Cụm A không có đơn vị nào: bỏ qua.",
        "Cụm B chỉ có 1 đơn vị (solo): không có đơn vị cùng cụm để chấm chéo.",
    )
    assert assign_cross_scoring({}, 2, 0) == Assignment((), 0, (), 2, ())


def test_mixed_int_and_str_keys_that_print_alike():
    result = assign_cross_scoring({"A": [1, "1", 2, "2", 3]}, 2, 9)
    assert len(result.pairs) == 10
    assert all(s != t for s, t in result.pairs)
    assert result.load() == {1: 2, "1": 2, 2: 2, "2": 2, 3: 2}
    assert 1 not in result.scorers_of(1) and "1" not in result.scorers_of("1")


def test_log_lines_mention_seed_clusters_and_notes():
    result = assign_cross_scoring({"Cụm Bắc": ["a", "b", "c", "d", "e"], "Nam": ["x"]}, 2, 2024)
    lines = result.log_lines()
    assert "seed" in lines[0] and "2024" in lines[0]
    assert "random.Random(2024)" in lines[1]
    (north,) = [line for line in lines if line.startswith("Cụm Cụm Bắc (5 đơn vị)")]
    assert north.endswith("độ lệch: 1, 2.")
    assert lines[-1] == "Ghi chú: " + result.notes[-1]


# --- input checks ----------------------------------------------------------------------


@pytest.mark.parametrize("per_unit", [0, -1])
def test_per_unit_below_one_is_rejected(per_unit):
    with pytest.raises(ValueError, match="phải từ 1 trở lên"):
        assign_cross_scoring({"A": [1, 2, 3]}, per_unit, 1)


@pytest.mark.parametrize("per_unit", [1.5, "2", True, None])
def test_per_unit_must_be_an_integer(per_unit):
    with pytest.raises(ValueError, match="số nguyên"):
        assign_cross_scoring({"A": [1, 2, 3]}, per_unit, 1)


def test_seed_must_be_an_integer():
    with pytest.raises(ValueError, match="seed"):
        assign_cross_scoring({"A": [1, 2, 3]}, 1, "42")


def test_unit_in_two_clusters_is_rejected():
    with pytest.raises(ValueError, match="Đơn vị 7 có mặt ở cả cụm A và cụm B"):
        assign_cross_scoring({"A": [1, 7], "B": [7, 8]}, 1, 1)


def test_unit_listed_twice_in_a_cluster_is_rejected():
    with pytest.raises(ValueError, match="liệt kê hai lần trong cụm A"):
        assign_cross_scoring({"A": [1, 2, 1]}, 1, 1)


def test_cluster_given_as_a_string_is_rejected():
    with pytest.raises(ValueError, match="chuỗi"):
        assign_cross_scoring({"A": "abc"}, 1, 1)
