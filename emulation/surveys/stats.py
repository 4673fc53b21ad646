"""Survey indices: % satisfied and the mean of Likert answers, with n and a 95 % margin.

Pure arithmetic over answers (no database). The choices, for the standing office and the
council who read the numbers:

- A Likert answer is 1–5, or 0 for "không ý kiến" (no opinion), which counts nowhere.
- **% satisfied** = answers 4–5 over answers 1–5, pooled over every rated item in scope
  (one question, the items of a component, or all of them); **mean** = the mean of those
  1–5 answers. With one item this is the plain share and mean of that item.
- **n** is the number of responses (phiếu) with at least one 1–5 answer in scope — the
  sample a criterion's minimum sample is compared with, not the number of answers.
- **95 % margin of error** (1.96 standard errors). With one answer per response these are
  the textbook formulas: 1.96·√(p(1−p)/n) for the proportion and 1.96·s/√n for the mean
  (s the sample standard deviation, n − 1 in its denominator). With several items per
  response, the answers of one person are not independent, so the response is the unit of
  sampling and the pooled share is a ratio estimator; its linearised variance reduces to
  the formulas above when every response has one answer:
      x_i = 1–5 answers of response i, y_i = of them 4–5, t_i = their sum, x̄ = Σx_i/n,
      p = Σy/Σx,  margin(p) = 1.96·√(Σ(y_i − p·x_i)² / n) / (x̄·√n)
      m = Σt/Σx,  margin(m) = 1.96·√(Σ(t_i − m·x_i)² / (n − 1)) / (x̄·√n)   (n ≥ 2)
- A population is not corrected for (no finite-population factor): service users are many.
- Shown and fed to the scoring engine rounded half-up: % to 2 decimals, means to 2.
- Below the survey's (or criterion's) minimum sample an index is *insufficient*: shown, but
  marked, and scored by the criterion's rule for that case.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

Z95 = Decimal("1.96")
HUNDREDTH = Decimal("0.01")
LIKERT_VALUES = (1, 2, 3, 4, 5)
NO_OPINION = 0
SATISFIED = (4, 5)
MEASURES = ("pct_satisfied", "mean")


def _round(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


class UnitIndex(NamedTuple):
    """What a survey-index criterion reads for one unit: the measure it names (% satisfied or
    mean) and the responses behind it. The sheets pass it to the engine as its SurveyIndex."""

    value: Decimal
    n: int


@dataclass(frozen=True)
class Index:
    """An index over some answers; None where it cannot be computed (no answers, n < 2)."""

    n: int = 0  # responses with at least one 1–5 answer
    answers: int = 0  # 1–5 answers
    satisfied: int = 0  # of them 4–5
    no_opinion: int = 0  # "không ý kiến" answers
    pct_satisfied: Decimal | None = None  # 0–100, exact
    pct_margin: Decimal | None = None  # percentage points
    mean: Decimal | None = None
    mean_margin: Decimal | None = None

    def value(self, measure: str) -> Decimal | None:
        """The measure a criterion names, rounded as shown: "pct_satisfied" or "mean"."""
        return _round(self.mean if measure == "mean" else self.pct_satisfied)

    def margin(self, measure: str) -> Decimal | None:
        return _round(self.mean_margin if measure == "mean" else self.pct_margin)

    def sufficient(self, min_sample: int) -> bool:
        return self.n >= min_sample and self.n > 0

    @property
    def pct_rounded(self) -> Decimal | None:
        return _round(self.pct_satisfied)

    @property
    def mean_rounded(self) -> Decimal | None:
        return _round(self.mean)


def likert_index(responses: Iterable[Sequence[int]]) -> Index:
    """The index of some responses, each given as its Likert answers in scope (0 = no opinion)."""
    counts: list[tuple[int, int, int]] = []  # per response: (x_i, y_i, t_i)
    no_opinion = 0
    for answers in responses:
        rated = [int(a) for a in answers if int(a) in LIKERT_VALUES]
        no_opinion += sum(1 for a in answers if int(a) == NO_OPINION)
        if rated:
            counts.append((len(rated), sum(1 for a in rated if a in SATISFIED), sum(rated)))
    n = len(counts)
    if n == 0:
        return Index(no_opinion=no_opinion)
    total_x = sum(x for x, _y, _t in counts)
    total_y = sum(y for _x, y, _t in counts)
    total_t = sum(t for _x, _y, t in counts)
    share = Decimal(total_y) / Decimal(total_x)
    mean = Decimal(total_t) / Decimal(total_x)
    x_bar = Decimal(total_x) / n
    root_n = Decimal(n).sqrt()
    spread_p = sum((Decimal(y) - share * x) ** 2 for x, y, _t in counts)
    pct_margin = Z95 * (spread_p / n).sqrt() / (x_bar * root_n) * 100
    mean_margin = None
    if n >= 2:
        spread_m = sum((Decimal(t) - mean * x) ** 2 for x, _y, t in counts)
        mean_margin = Z95 * (spread_m / (n - 1)).sqrt() / (x_bar * root_n)
    return Index(
        n=n,
        answers=total_x,
        satisfied=total_y,
        no_opinion=no_opinion,
        pct_satisfied=share * 100,
        pct_margin=pct_margin,
        mean=mean,
        mean_margin=mean_margin,
    )


def distribution(values: Iterable[int]) -> dict[int, int]:
    """How many answered each of 1–5 and 0 (no opinion), in the order a chart shows them."""
    counts = {value: 0 for value in (*LIKERT_VALUES, NO_OPINION)}
    for value in values:
        if value in counts:
            counts[value] += 1
    return counts


def choice_counts(options: Sequence[str], values: Iterable) -> dict[str, int]:
    """How many chose each option (a multiple-choice answer counts once per option picked)."""
    counts = {option: 0 for option in options}
    for value in values:
        for picked in value if isinstance(value, list) else [value]:
            if picked in counts:
                counts[picked] += 1
    return counts
