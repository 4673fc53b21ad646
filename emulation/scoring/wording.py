"""The engine's explanation in Vietnamese or English: phrases, numbers, sanction names.

Every function takes the locale ("vi", "en") as an argument, since the engine is pure and
has no request to ask; the web layer passes the page's language. Any locale other than
English reads Vietnamese. Numbers show at most three decimals, rounded half-up like the
points themselves.
"""

from __future__ import annotations

from decimal import Decimal

from emulation.core.numbers import format_decimal, format_percent

PHRASES = {
    # leaves
    "met": {"vi": "đạt", "en": "met"},
    "not_met": {"vi": "không đạt", "en": "not met"},
    "yes": {"vi": "có", "en": "yes"},
    "no": {"vi": "không", "en": "no"},
    "met_or_not": {
        "vi": "đạt {actual}, chỉ tiêu {target}: {verdict}",
        "en": "reached {actual}, target {target}: {verdict}",
    },
    "beyond_any_target": {"vi": "vượt mọi mức chỉ tiêu", "en": "beyond any target"},
    "with_baseline": {
        "vi": "đạt {actual} (mức nền {baseline}, chỉ tiêu {target}: hoàn thành {share})",
        "en": "reached {actual} (baseline {baseline}, target {target}: {share} achieved)",
    },
    "at_most": {
        "vi": "đạt {actual}, chỉ tiêu không quá {target} ({share})",
        "en": "reached {actual}, target at most {target} ({share})",
    },
    "of_target": {
        "vi": "đạt {actual}/{target} ({share})",
        "en": "reached {actual}/{target} ({share})",
    },
    "over_bonus": {
        "vi": " + {bonus} điểm vượt chỉ tiêu",
        "en": " + {bonus} points for beating the target",
    },
    "reached": {"vi": "đạt {actual}/{target}", "en": "reached {actual}/{target}"},
    "cluster_highest": {
        "vi": " (vượt chỉ tiêu; cao nhất cụm: {best})",
        "en": " (beats the target; highest in the cluster: {best})",
    },
    "cluster_lowest": {
        "vi": " (vượt chỉ tiêu; thấp nhất cụm: {best})",
        "en": " (beats the target; lowest in the cluster: {best})",
    },
    "target_met": {"vi": " (đạt chỉ tiêu)", "en": " (target met)"},
    "target_not_met": {"vi": " (chưa đạt chỉ tiêu)", "en": " (target not met)"},
    "level": {"vi": "mức “{label}” → {points}", "en": "level “{label}” → {points}"},
    "zeroes_parent": {"vi": "; mục cha tính 0 điểm", "en": "; the parent item scores 0"},
    "time": {"vi": "lần", "en": "time"},
    "times": {"vi": "lần", "en": "times"},
    "count": {"vi": "{n} {unit} × {per} = ", "en": "{n} {unit} × {per} = "},
    "count_capped": {
        "vi": "{product}, tính tối đa {limit} → ",
        "en": "{product}, counted up to {limit} → ",
    },
    "minus": {
        "vi": "{n} {unit} × {per} = trừ {amount} từ {max} → {points}",
        "en": "{n} {unit} × {per} = {amount} off {max} → {points}",
    },
    "council": {"vi": "Hội đồng chấm {given}", "en": "the council gave {given}"},
    "outside_range": {"vi": " (ngoài khoảng 0–{max})", "en": " (outside 0–{max})"},
    "survey_small": {
        "vi": "chỉ số {value} ({measure}) từ {n} phiếu, dưới cỡ mẫu tối thiểu {min}",
        "en": "index {value} ({measure}) from {n} responses, below the minimum sample of {min}",
    },
    "survey_excluded": {
        "vi": "{head} → không tính tiêu chí này (bỏ khỏi điểm tối đa)",
        "en": "{head} → this criterion is not counted (left out of the maximum)",
    },
    "survey_half": {
        "vi": "{head} → tính một nửa: {points}",
        "en": "{head} → counted at half: {points}",
    },
    "survey": {
        "vi": "chỉ số {value} ({measure}, {n} phiếu; {floor} → 0 điểm, {ceiling} → tối đa) → "
        "{points}",
        "en": "index {value} ({measure}, {n} responses; {floor} → 0 points, {ceiling} → the "
        "maximum) → {points}",
    },
    "no_children": {"vi": "chưa có mục con → 0 điểm", "en": "no sub-items yet → 0 points"},
    "not_declared": {
        "vi": "chưa khai báo → không trừ điểm",
        "en": "not declared → nothing deducted",
    },
    "no_data": {"vi": "chưa có số liệu → 0 điểm", "en": "no data yet → 0 points"},
    "then": {"vi": "{detail} → {points}", "en": "{detail} → {points}"},
    # the tree
    "sanction": {"vi": "; chế tài: {sanction}", "en": "; sanction: {sanction}"},
    "zeroed_by": {
        "vi": "0 điểm vì mục {code} ở mức “{label}”",
        "en": "0 points because item {code} is at level “{label}”",
    },
    "node_deducted": {
        "vi": "trừ {points} điểm (tối đa {max})",
        "en": "{points} points deducted (at most {max})",
    },
    "node_points": {"vi": "{points}/{max} điểm", "en": "{points}/{max} points"},
    "node_capped": {
        "vi": " (các mục cộng được {summed}, tính tối đa {max})",
        "en": " (the items add up to {summed}, counted up to {max})",
    },
    "node_excluded": {
        "vi": "; không tính {points} điểm của mục khảo sát chưa đủ mẫu",
        "en": "; {points} points of survey items short of a sample not counted",
    },
    "leaf_capped": {"vi": "; tính tối đa {max} điểm", "en": "; counted up to {max} points"},
    # sections, total, grade
    "section_capped": {
        "vi": " (các mục cộng được {summed}, tối đa {cap})",
        "en": " (the items add up to {summed}, at most {cap})",
    },
    "base": {"vi": "Điểm chuẩn: {raw}/{full} điểm", "en": "Base score: {raw}/{full} points"},
    "base_rescaled": {
        "vi": "Điểm chuẩn: {raw}/{remaining} điểm (không tính mục {codes} do chưa đủ mẫu khảo "
        "sát), quy đổi về thang {full}: {raw} × {full}/{remaining} = {base} điểm",
        "en": "Base score: {raw}/{remaining} points (items {codes} not counted for want of a "
        "survey sample), rescaled to {full}: {raw} × {full}/{remaining} = {base} points",
    },
    "bonus": {
        "vi": "Điểm thưởng: cộng {bonus} điểm{note}",
        "en": "Bonus: {bonus} points added{note}",
    },
    "deduction": {
        "vi": "Điểm trừ: trừ {deduction} điểm{note}",
        "en": "Deductions: {deduction} points deducted{note}",
    },
    "total": {
        "vi": "Tổng điểm: {base} + {bonus} − {deduction} = {unrounded}",
        "en": "Total: {base} + {bonus} − {deduction} = {unrounded}",
    },
    "rounded": {
        "vi": ", làm tròn (bước {step}): {total}",
        "en": ", rounded (step {step}): {total}",
    },
    "total_end": {"vi": "{line} điểm", "en": "{line} points"},
    "grade": {"vi": "Xếp loại: {name}", "en": "Grade: {name}"},
    "no_grade": {"vi": "chưa đủ điểm xếp loại", "en": "not enough points for a grade"},
    "sanction_note": {"vi": "mục {code}: {text}", "en": "item {code}: {text}"},
    "grade_changed": {
        "vi": " (theo điểm: {earned}; chế tài {notes})",
        "en": " (by points: {earned}; sanctions {notes})",
    },
    "grade_sanctioned": {"vi": " (chế tài {notes})", "en": " (sanctions {notes})"},
}

SANCTION_TEXT = {
    "no_excellent": {"vi": "không xếp loại Xuất sắc", "en": "not graded Excellent"},
    "max_kha": {"vi": "không xếp trên loại Khá", "en": "graded Good at best"},
    "down_one": {"vi": "hạ một bậc xếp loại", "en": "grade lowered one step"},
    "force_weak": {"vi": "xếp loại Yếu", "en": "graded Weak"},
}
MEASURE_TEXT = {
    "pct_satisfied": {"vi": "% hài lòng", "en": "% satisfied"},
    "mean": {"vi": "điểm trung bình", "en": "mean score"},
    None: {"vi": "chỉ số", "en": "index"},
}


def _language(locale: str) -> str:
    return "en" if str(locale).startswith("en") else "vi"


def say(key: str, locale: str, **values) -> str:
    """One explanation phrase in the locale's language, its {placeholders} filled in."""
    return PHRASES[key][_language(locale)].format(**values)


def number(value, locale: str, places: int = 3) -> str:
    """9.5 → "9,5" in "vi", "9.5" in "en": at most `places` decimals, half-up, grouped."""
    return format_decimal(Decimal(value), locale, places, minimum=0)


def percent(fraction: Decimal, locale: str) -> str:
    """1.0556 → "105,6 %" in "vi", "105.6%" in "en"."""
    return format_percent(fraction * 100, locale, 1, minimum=0)


def with_unit(value: Decimal, unit: str, locale: str) -> str:
    """ "9,5 %", "3 vụ", or the bare number when there is no unit."""
    if unit == "%":
        return format_percent(value, locale, 3, minimum=0)
    return f"{number(value, locale)} {unit}" if unit else number(value, locale)


def points_text(points: Decimal, section: str, locale: str) -> str:
    """ "5 điểm", or "trừ 5 điểm" for a deduction item ("5 points", "5 points deducted")."""
    text = number(points, locale)
    if _language(locale) == "en":
        text += " point" if points == 1 else " points"
        return f"{text} deducted" if section == "deduction" else text
    text += " điểm"
    return f"trừ {text}" if section == "deduction" else text


def sanction_text(kind: str, locale: str) -> str:
    """What a sanction does to the grade, in words."""
    texts = SANCTION_TEXT.get(kind)
    return texts[_language(locale)] if texts else kind


def measure_text(measure: str, locale: str) -> str:
    """What a survey index measures: "% hài lòng", "điểm trung bình"."""
    return MEASURE_TEXT.get(measure, MEASURE_TEXT[None])[_language(locale)]
