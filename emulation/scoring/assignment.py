"""Cross-scoring assignment (chấm chéo): who scores whom inside each cluster (cụm).

A pure function — no Flask, no database. Keys are whatever the caller uses for clusters and
units (ids or codes; ints or strs); they are only hashed, compared and sorted.

Construction (per cluster of n units, k = min(per_unit, n − 1) scorers per unit):

1. sort the members by (type name, str(key)) so the input order does not matter, then
   shuffle them with the shared ``random.Random(seed)``; clusters are drawn one after
   another, in the same (type name, str(key)) order of their keys;
2. the unit at position i scores the units at positions i + d (mod n) for every offset
   d = 1 … k (a circulant digraph).

Properties:

* nobody scores itself; every unit scores exactly k peers and is scored by exactly k peers
  of its own cluster (balanced load, ±0);
* reciprocity (A scores B and B scores A) arises only when an offset d and n − d are both
  used, i.e. iff 2k ≥ n. So the draw is reciprocity-free iff k ≤ (n − 1)/2. No assignment
  can do better: n·k arcs without a reciprocal pair need n·k distinct unordered pairs, and
  there are only n(n − 1)/2 of them. When 2k ≥ n the circulant covers every unordered pair,
  so the number of reciprocal pairs is n·k − n(n − 1)/2 — the minimum possible;
* when the cluster is smaller than per_unit + 1, every unit is scored by all the others
  (k = n − 1, still a circulant) and a note says so; single-member clusters get no pairs
  and a note; empty clusters are skipped (with a note);
* reproducible: the same clusters (in any order), per_unit and seed give the same result.
  `Assignment.log_lines()` records the seed, each cluster's shuffled order and the offsets,
  which is everything needed to re-run or check the draw by hand.

Invalid input raises ValueError with a Vietnamese message: per_unit or seed not an integer,
per_unit < 1, a cluster given as a string, a unit listed twice in a cluster or in two
clusters.
"""

from __future__ import annotations

import random
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

__all__ = ["Assignment", "ClusterDraw", "assign_cross_scoring", "key_order"]

Pair = tuple[Hashable, Hashable]


def key_order(key: Hashable) -> tuple[str, str]:
    """Deterministic sort key for mixed int/str keys: (type name, str(key))."""
    return (type(key).__name__, str(key))


def _pair_order(pair: Pair) -> tuple[tuple[str, str], tuple[str, str]]:
    return (key_order(pair[0]), key_order(pair[1]))


@dataclass(frozen=True)
class ClusterDraw:
    """One cluster's draw: its members in shuffled order and the offsets used."""

    cluster: Hashable
    order: tuple[Hashable, ...]
    offsets: tuple[int, ...]

    def pairs(self) -> tuple[Pair, ...]:
        """(scorer, target) pairs: position i scores positions i + d (mod n)."""
        n = len(self.order)
        return tuple(
            (self.order[i], self.order[(i + d) % n]) for i in range(n) for d in self.offsets
        )


@dataclass(frozen=True)
class Assignment:
    """The result of a draw. `pairs` holds (scorer, target) tuples, sorted."""

    pairs: tuple[Pair, ...]
    seed: int
    notes: tuple[str, ...]
    per_unit: int
    draws: tuple[ClusterDraw, ...]

    def scorers_of(self, target: Hashable) -> tuple[Hashable, ...]:
        """Units that score `target` (empty for unknown or single-member units)."""
        return tuple(sorted((s for s, t in self.pairs if t == target), key=key_order))

    def targets_of(self, scorer: Hashable) -> tuple[Hashable, ...]:
        """Units that `scorer` scores (empty for unknown or single-member units)."""
        return tuple(sorted((t for s, t in self.pairs if s == scorer), key=key_order))

    def load(self) -> dict[Hashable, int]:
        """Number of units each unit scores; every drawn unit is listed (0 when alone)."""
        counts = {unit: 0 for draw in self.draws for unit in draw.order}
        for scorer, _target in self.pairs:
            counts[scorer] += 1
        return counts

    def log_lines(self) -> list[str]:
        """Human-readable record of the draw (Vietnamese), for the audit log."""
        lines = [
            f"Bốc thăm chấm chéo: giá trị khởi tạo ngẫu nhiên (seed) = {self.seed}; "
            f"số đơn vị chấm cho mỗi đơn vị theo yêu cầu: {self.per_unit}.",
            f"Cách làm lại: dùng random.Random({self.seed}); lần lượt từng cụm theo thứ tự "
            "sắp xếp (kiểu, chuỗi) của mã cụm, sắp xếp mã đơn vị trong cụm theo (kiểu, chuỗi) "
            "rồi xáo trộn bằng shuffle; đơn vị ở vị trí i chấm các đơn vị ở vị trí "
            "i + d (mod n) với mỗi độ lệch d.",
        ]
        for draw in self.draws:
            order = ", ".join(f"{i}={unit}" for i, unit in enumerate(draw.order))
            offsets = ", ".join(str(d) for d in draw.offsets) or "không có"
            lines.append(
                f"Cụm {draw.cluster} ({len(draw.order)} đơn vị): thứ tự sau xáo trộn: "
                f"{order}; độ lệch: {offsets}."
            )
        lines.extend(f"Ghi chú: {note}" for note in self.notes)
        return lines


def _check_int(value: object, message: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(message)
    return value


def _members(
    clusters: Mapping[Hashable, Sequence[Hashable]],
) -> list[tuple[Hashable, list[Hashable]]]:
    """Clusters in deterministic order with sorted members; rejects duplicates."""
    seen: dict[Hashable, Hashable] = {}
    result = []
    for cluster in sorted(clusters, key=key_order):
        members = clusters[cluster]
        if isinstance(members, (str, bytes)):
            raise ValueError(
                f"Cụm {cluster} phải là danh sách mã đơn vị, không phải một chuỗi ký tự."
            )
        for unit in members:
            if unit in seen:
                if seen[unit] == cluster:
                    raise ValueError(f"Đơn vị {unit} được liệt kê hai lần trong cụm {cluster}.")
                raise ValueError(
                    f"Đơn vị {unit} có mặt ở cả cụm {seen[unit]} và cụm {cluster}; "
                    "mỗi đơn vị chỉ thuộc một cụm."
                )
            seen[unit] = cluster
        result.append((cluster, sorted(members, key=key_order)))
    return result


def _reciprocal_count(pairs: Iterable[Pair]) -> int:
    """Number of unordered pairs {A, B} where A scores B and B scores A."""
    arcs = set(pairs)
    return sum(1 for s, t in arcs if (t, s) in arcs) // 2


def _notes(
    cluster: Hashable, order: Sequence[Hashable], per_unit: int, k: int, r: int
) -> list[str]:
    n = len(order)
    if n == 1:
        return [
            f"Cụm {cluster} chỉ có 1 đơn vị ({order[0]}): không có đơn vị cùng cụm để chấm chéo."
        ]
    if n == 2:
        note = f"Cụm {cluster} chỉ có 2 đơn vị: hai đơn vị chấm lẫn nhau."
        if per_unit > 1:
            note += f" Mỗi đơn vị chỉ có 1 đơn vị chấm thay vì {per_unit}."
        return [note]
    if per_unit > n - 1:
        return [
            f"Cụm {cluster} chỉ có {n} đơn vị, ít hơn {per_unit + 1} (số đơn vị chấm yêu cầu "
            f"cộng 1): mỗi đơn vị được tất cả {n - 1} đơn vị còn lại chấm; "
            f"cả {r} cặp đều chấm lẫn nhau."
        ]
    if r:
        return [
            f"Cụm {cluster} có {n} đơn vị, mỗi đơn vị có {k} đơn vị chấm: không tránh được "
            f"chấm lẫn nhau (chỉ tránh được khi số đơn vị chấm ≤ (n − 1)/2, tức ≤ {(n - 1) // 2}); "
            f"có {r} cặp chấm lẫn nhau, là mức ít nhất có thể."
        ]
    return []


def assign_cross_scoring(
    clusters: Mapping[Hashable, Sequence[Hashable]], per_unit: int, seed: int
) -> Assignment:
    """Draw who scores whom: each unit gets min(per_unit, n − 1) peers of its own cluster.

    See the module docstring for the construction and its guarantees.
    """
    per_unit = _check_int(per_unit, "Số đơn vị chấm cho mỗi đơn vị phải là số nguyên.")
    if per_unit < 1:
        raise ValueError(f"Số đơn vị chấm cho mỗi đơn vị phải từ 1 trở lên (đã nhập: {per_unit}).")
    seed = _check_int(seed, "Giá trị khởi tạo ngẫu nhiên (seed) phải là số nguyên.")

    rng = random.Random(seed)
    pairs: list[Pair] = []
    notes: list[str] = []
    draws: list[ClusterDraw] = []
    for cluster, members in _members(clusters):
        n = len(members)
        if n == 0:
            notes.append(f"Cụm {cluster} không có đơn vị nào: bỏ qua.")
            continue
        rng.shuffle(members)
        k = min(per_unit, n - 1)
        draw = ClusterDraw(cluster=cluster, order=tuple(members), offsets=tuple(range(1, k + 1)))
        cluster_pairs = draw.pairs()
        draws.append(draw)
        pairs.extend(cluster_pairs)
        notes.extend(_notes(cluster, draw.order, per_unit, k, _reciprocal_count(cluster_pairs)))

    return Assignment(
        pairs=tuple(sorted(pairs, key=_pair_order)),
        seed=seed,
        notes=tuple(notes),
        per_unit=per_unit,
        draws=tuple(draws),
    )
