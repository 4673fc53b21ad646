"""The criteria editor: the tree, its rules, the settings, and who may change them."""

import re
from decimal import Decimal

import pytest

from emulation.accounts.models import Role
from emulation.campaigns.models import Campaign
from emulation.core.errors import NotAllowed
from emulation.core.extensions import db
from emulation.criteria.models import CriteriaSet, Criterion
from emulation.criteria.service import (
    InvalidCriteria,
    add_node,
    clean_settings,
    clean_values,
    delete_node,
    move_node,
    save_settings,
    update_node,
    walk,
)
from tests.factories import add_criterion, make_campaign, make_unit, make_user

SUM_RE = r'class="sum-check (\w+)" id="sum-{id}"[^>]*>([^<]+)<'


def _admin(client):
    make_user("thuongtruc", Role.ADMIN)
    client.login("thuongtruc")


def _url(campaign, path=""):
    return f"/campaigns/{campaign.slug}/criteria/{path}"


def _codes(html: str) -> list[str]:
    return re.findall(r"<td><code>([^<]+)</code></td>", html)


def _sum(html: str, node_id: int) -> tuple[str, str]:
    match = re.search(SUM_RE.format(id=node_id), html)
    assert match, f"no live sum for item {node_id}"
    return match.group(1), match.group(2).strip()


def _count() -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(Criterion))


def _by_code(code: str) -> Criterion:
    return db.session.scalar(db.select(Criterion).where(Criterion.code == code))


def _group(campaign, code="1", max_points=10, **fields):
    values = {"code": code, "title": f"Nhóm {code}", "max_points": max_points, **fields}
    node = add_node(campaign.criteria_set, None, values)
    db.session.commit()
    return node


def _item(campaign, parent, code, max_points, scoring_type="boolean", **fields):
    values = {
        "code": code,
        "title": f"Tiêu chí {code}",
        "max_points": max_points,
        "scoring_type": scoring_type,
        **fields,
    }
    node = add_node(campaign.criteria_set, parent, values)
    db.session.commit()
    return node


# --- the editor, through htmx ---------------------------------------------------------------


def test_admin_builds_a_group_inline_and_sees_the_live_sum(client):
    _admin(client)
    campaign = make_campaign()
    fragment = client.htmx(
        "POST",
        _url(campaign, "add"),
        {
            "parent_id": "",
            "code": "1",
            "title": "Công tác chuyên môn",
            "section": "base",
            "max_points": "10",
            "scoring_type": "sum",
        },
    ).get_data(as_text=True)
    assert fragment.lstrip().startswith('<section id="criteria-tree">')
    assert "Đã lưu mục 1 – Công tác chuyên môn." in fragment
    group = _by_code("1")
    assert _sum(fragment, group.id) == ("under", "0 / 10")

    response = client.htmx(
        "POST",
        _url(campaign, "add"),
        {
            "parent_id": group.id,
            "code": "1.1",
            "title": "Hoàn thành kế hoạch năm",
            "max_points": "6",
            "scoring_type": "boolean",
        },
    )
    assert _sum(response.get_data(as_text=True), group.id) == ("under", "6 / 10")

    fragment = client.htmx(
        "POST",
        _url(campaign, "add"),
        {
            "parent_id": group.id,
            "code": "1.2",
            "title": "Cải cách hành chính",
            "max_points": "4",
            "scoring_type": "boolean",
        },
    ).get_data(as_text=True)
    assert _sum(fragment, group.id) == ("full", "10 / 10")
    assert _codes(fragment) == ["1", "1.1", "1.2"]
    assert 'data-total="base">10<' in fragment


def test_a_sum_over_the_parent_shows_red(client):
    _admin(client)
    campaign = make_campaign()
    group = add_criterion(campaign, "1", "Nhóm 1", 10)
    add_criterion(campaign, "1.1", "A", 7, parent=group, scoring_type="boolean")
    add_criterion(campaign, "1.2", "B", 5, parent=group, scoring_type="boolean")
    page = client.get(_url(campaign)).get_data(as_text=True)
    assert _sum(page, group.id) == ("over", "12 / 10")
    assert "Tổng điểm tối đa các mục con (12) vượt điểm tối đa của mục cha (10)." in page


def test_vietnamese_decimal_comma_is_accepted_and_shown_back(client):
    _admin(client)
    campaign = make_campaign()
    group = _group(campaign, max_points="10")
    fragment = client.htmx(
        "POST",
        _url(campaign, "add"),
        {
            "parent_id": group.id,
            "code": "1.1",
            "title": "Nộp báo cáo đúng hạn",
            "max_points": "2,5",
            "scoring_type": "minus",
            "param-per": "0,25",
        },
    ).get_data(as_text=True)
    item = _by_code("1.1")
    assert item.max_points == Decimal("2.5")
    assert item.params == {"per": 0.25}
    assert _sum(fragment, group.id) == ("under", "2,5 / 10")


def test_invalid_max_keeps_what_was_typed_and_says_why(client):
    _admin(client)
    campaign = make_campaign()
    response = client.htmx(
        "POST",
        _url(campaign, "add"),
        {
            "parent_id": "",
            "code": "1",
            "title": "Công tác chuyên môn",
            "section": "base",
            "max_points": "mười",
            "scoring_type": "sum",
        },
    )
    fragment = response.get_data(as_text=True)
    assert response.status_code == 200  # htmx 2 swaps only 2xx
    assert 'id="criterion-form"' in fragment
    assert "Hãy nhập một số, ví dụ 1,5 hoặc 0,25." in fragment
    assert 'value="mười"' in fragment
    assert "Công tác chuyên môn</textarea>" in fragment
    assert _count() == 0


def test_child_pushing_the_sum_over_its_parent_is_refused_at_the_max_field(client):
    _admin(client)
    campaign = make_campaign()
    group = _group(campaign, max_points=10)
    _item(campaign, group, "1.1", 6)
    fragment = client.htmx(
        "POST",
        _url(campaign, "add"),
        {
            "parent_id": group.id,
            "code": "1.2",
            "title": "Cải cách hành chính",
            "max_points": "6",
            "scoring_type": "boolean",
        },
    ).get_data(as_text=True)
    message = "Tổng điểm tối đa các mục con (12) vượt điểm tối đa của mục cha (10)."
    assert re.search(r'id="max_points"[^>]*value="6".*?' + re.escape(message), fragment, re.S)
    assert _count() == 2
    assert _sum(fragment, group.id) == ("under", "6 / 10")


def test_edit_a_row_inline_and_save_it_back(client):
    _admin(client)
    campaign = make_campaign()
    group = _group(campaign, max_points=10)
    item = _item(campaign, group, "1.1", 4)

    fragment = client.htmx("GET", _url(campaign, f"tree?edit={item.id}")).get_data(as_text=True)
    assert "Sửa mục 1.1" in fragment
    assert f'action="/campaigns/{campaign.slug}/criteria/{item.id}/edit"' in fragment
    assert 'value="4"' in fragment

    fragment = client.htmx(
        "POST",
        _url(campaign, f"{item.id}/edit"),
        {
            "code": "1.1",
            "title": "Hoàn thành 100% kế hoạch",
            "max_points": "8",
            "scoring_type": "boolean",
            "evidence": "Báo cáo năm",
            "evidence_required": "y",
        },
    ).get_data(as_text=True)
    assert 'id="criterion-form"' not in fragment
    assert "Hoàn thành 100% kế hoạch" in fragment
    assert "<strong>Bắt buộc</strong>: Báo cáo năm" in fragment
    assert _sum(fragment, group.id) == ("under", "8 / 10")


def test_lowering_a_parent_below_its_children_is_refused(client):
    _admin(client)
    campaign = make_campaign()
    group = _group(campaign, max_points=10)
    _item(campaign, group, "1.1", 6)
    _item(campaign, group, "1.2", 4)
    fragment = client.htmx(
        "POST",
        _url(campaign, f"{group.id}/edit"),
        {
            "code": "1",
            "title": "Nhóm 1",
            "section": "base",
            "max_points": "8",
            "scoring_type": "sum",
        },
    ).get_data(as_text=True)
    assert "Tổng điểm tối đa các mục con (10) vượt điểm tối đa của mục cha (8)." in fragment
    assert 'value="8"' in fragment
    assert db.session.get(Criterion, group.id).max_points == 10


def test_delete_takes_the_children_with_it(client):
    _admin(client)
    campaign = make_campaign()
    first = _group(campaign, "1", 10)
    _item(campaign, first, "1.1", 5)
    second = _group(campaign, "2", 10)
    _item(campaign, second, "2.1", 5)
    fragment = client.htmx("POST", _url(campaign, f"{first.id}/delete")).get_data(as_text=True)
    assert _codes(fragment) == ["2", "2.1"]
    assert "Đã xóa mục 1 – Nhóm 1 cùng các mục con." in fragment
    assert _count() == 2


def test_move_up_and_down_among_siblings(client):
    _admin(client)
    campaign = make_campaign()
    group = _group(campaign, "1", 10)
    for code in ("1.1", "1.2", "1.3"):
        _item(campaign, group, code, 3)
    last = _by_code("1.3")
    fragment = client.htmx("POST", _url(campaign, f"{last.id}/move"), {"direction": "up"}).get_data(
        as_text=True
    )
    assert _codes(fragment) == ["1", "1.1", "1.3", "1.2"]
    first = _by_code("1.1")
    fragment = client.htmx(
        "POST", _url(campaign, f"{first.id}/move"), {"direction": "down"}
    ).get_data(as_text=True)
    assert _codes(fragment) == ["1", "1.3", "1.1", "1.2"]
    positions = {c.code: c.position for c in db.session.get(Criterion, group.id).children}
    assert positions == {"1.3": 0, "1.1": 1, "1.2": 2}


def test_choosing_a_scoring_type_brings_its_parameter_inputs(client):
    _admin(client)
    campaign = make_campaign()
    fragment = client.htmx("GET", _url(campaign, "params?scoring_type=choice")).get_data(
        as_text=True
    )
    assert fragment.lstrip().startswith('<fieldset id="params-fields"')
    assert 'name="param-levels"' in fragment
    fragment = client.htmx("GET", _url(campaign, "params?scoring_type=count")).get_data(
        as_text=True
    )
    assert 'name="param-per" value="1"' in fragment
    assert 'name="param-cap" value=""' in fragment


def test_choice_levels_typed_as_lines(client):
    _admin(client)
    campaign = make_campaign()
    group = _group(campaign, max_points=10)
    client.htmx(
        "POST",
        _url(campaign, "add"),
        {
            "parent_id": group.id,
            "code": "1.1",
            "title": "Mức độ hoàn thành",
            "max_points": "5",
            "scoring_type": "choice",
            "param-levels": "Hoàn thành xuất sắc | 5\nHoàn thành | 3,5\nKhông thực hiện | 0 | 0",
        },
    )
    assert _by_code("1.1").params == {
        "levels": [
            {"label": "Hoàn thành xuất sắc", "points": 5},
            {"label": "Hoàn thành", "points": 3.5},
            {"label": "Không thực hiện", "points": 0, "zero_parent": True},
        ]
    }
    fragment = client.htmx(
        "POST",
        _url(campaign, "add"),
        {
            "parent_id": group.id,
            "code": "1.2",
            "title": "Mức độ",
            "max_points": "2",
            "scoring_type": "choice",
            "param-levels": "Tốt | 3",
        },
    ).get_data(as_text=True)
    assert "Mức 1: điểm (3) vượt điểm tối đa (2)." in fragment
    assert "Tốt | 3</textarea>" in fragment


def test_without_javascript_forms_post_and_come_back_to_the_page(client):
    _admin(client)
    campaign = make_campaign()
    page = client.get(_url(campaign, "?add=0")).get_data(as_text=True)
    assert 'id="criterion-form"' in page and "Thêm nhóm mới" in page
    response = client.submit(
        _url(campaign, "add"),
        {
            "parent_id": "",
            "code": "1",
            "title": "Nhóm 1",
            "section": "base",
            "max_points": "10",
            "scoring_type": "sum",
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(_url(campaign) + "#criteria-tree")
    page = client.get(_url(campaign)).get_data(as_text=True)
    assert "Đã lưu mục 1 – Nhóm 1." in page
    assert _codes(page) == ["1"]

    response = client.submit(
        _url(campaign, "add"),
        {
            "parent_id": "",
            "code": "1",
            "title": "Nhóm trùng mã",
            "section": "base",
            "max_points": "5",
            "scoring_type": "sum",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<h1>Bảng tiêu chí chấm điểm</h1>" in page
    assert "Mã 1 bị trùng với mục “Nhóm 1”." in page


def test_a_unit_officer_reads_but_every_write_is_403(client):
    campaign = make_campaign()
    group = add_criterion(campaign, "1", "Nhóm 1", 10)
    make_user("canbo", Role.UNIT_OFFICER)
    client.login("canbo")
    page = client.get(_url(campaign)).get_data(as_text=True)
    assert "Nhóm 1" in page
    assert "Thêm nhóm" not in page and "Lưu thiết lập" not in page
    assert 'id="criterion-form"' not in client.get(_url(campaign, f"?edit={group.id}")).get_data(
        as_text=True
    )
    writes = [
        ("POST", "add", {"parent_id": "", "code": "2", "title": "X", "max_points": "1"}),
        ("POST", f"{group.id}/edit", {"code": "1", "title": "Đổi", "max_points": "10"}),
        ("POST", f"{group.id}/delete", {}),
        ("POST", f"{group.id}/move", {"direction": "down"}),
        ("POST", "settings", {"rounding_step": "1"}),
        ("POST", "import", {}),
        ("GET", "params?scoring_type=choice", None),
    ]
    for method, path, data in writes:
        response = client.htmx(method, _url(campaign, path), data)
        assert response.status_code == 403, path
    node = db.session.get(Criterion, group.id)
    assert (node.title, _count()) == ("Nhóm 1", 1)
    assert db.session.scalar(db.select(CriteriaSet.rounding_step)) == Decimal("0.25")


def test_a_draft_campaign_is_hidden_from_unit_officers(client):
    draft = make_campaign(status="draft")
    make_user("canbo", Role.UNIT_OFFICER)
    client.login("canbo")
    assert client.get(_url(draft)).status_code == 404
    assert client.get(_url(draft, "export.xlsx")).status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(client):
    campaign = make_campaign()
    response = client.get(_url(campaign))
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_closed_campaign_refuses_edits(client):
    _admin(client)
    campaign = make_campaign(status="closed")
    group = add_criterion(campaign, "1", "Nhóm 1", 10)
    page = client.get(_url(campaign)).get_data(as_text=True)
    assert "Phong trào đã kết thúc; bảng tiêu chí chỉ còn để xem." in page
    assert "Thêm nhóm" not in page

    fragment = client.htmx(
        "POST",
        _url(campaign, "add"),
        {
            "parent_id": "",
            "code": "2",
            "title": "Nhóm 2",
            "section": "base",
            "max_points": "5",
            "scoring_type": "sum",
        },
    ).get_data(as_text=True)
    assert "Phong trào đã kết thúc; không thể sửa bảng tiêu chí." in fragment
    client.htmx("POST", _url(campaign, f"{group.id}/delete"))
    assert _count() == 1

    campaign = db.session.get(Campaign, campaign.id)
    with pytest.raises(NotAllowed, match="Phong trào đã kết thúc"):
        update_node(campaign.criteria_set.criteria[0], {"code": "1", "title": "X", "max_points": 1})


def test_items_of_another_campaign_are_not_found(client):
    _admin(client)
    mine, other = make_campaign(), make_campaign()
    foreign = add_criterion(other, "1", "Nhóm khác", 10)
    response = client.htmx("POST", _url(mine, f"{foreign.id}/delete"))
    assert response.status_code == 404
    assert _count() == 1


# --- settings -------------------------------------------------------------------------------


def test_admin_saves_the_settings_and_the_tree_shows_the_new_cap(client):
    _admin(client)
    campaign = make_campaign()
    _group(campaign, "TH", 12, section="bonus")
    fragment = client.htmx(
        "POST",
        _url(campaign, "settings"),
        {
            "rounding_step": "0,5",
            "bonus_cap": "8",
            "deduction_cap": "",
            "grades-0-name": "Xuất sắc",
            "grades-0-min": "90",
            "grades-0-quota_pct": "20",
            "grades-1-name": "Hoàn thành",
            "grades-1-min": "50",
            "grades-2-name": "",
            "grades-2-min": "",
            "tie_break-0": "total",
            "tie_break-1": "group:TH",
            "tie_break-2": "",
        },
    ).get_data(as_text=True)
    assert "Đã lưu thiết lập chấm điểm và xếp loại." in fragment
    assert '<section id="criteria-tree" hx-swap-oob="true">' in fragment
    assert "(tính tối đa 8)" in fragment
    criteria_set = db.session.get(Campaign, campaign.id).criteria_set
    assert criteria_set.rounding_step == Decimal("0.5")
    assert criteria_set.deduction_cap is None
    assert criteria_set.grades == [
        {"name": "Xuất sắc", "min": 90, "quota_pct": 20},
        {"name": "Hoàn thành", "min": 50, "quota_pct": None},
    ]
    assert criteria_set.tie_break == ["total", "group:TH"]


def test_grades_out_of_order_are_refused_next_to_the_row(client):
    _admin(client)
    campaign = make_campaign()
    fragment = client.htmx(
        "POST",
        _url(campaign, "settings"),
        {
            "rounding_step": "0",
            "bonus_cap": "10",
            "deduction_cap": "20",
            "grades-0-name": "Xuất sắc",
            "grades-0-min": "90",
            "grades-1-name": "Tốt",
            "grades-1-min": "95",
            "grades-1-quota_pct": "120",
        },
    ).get_data(as_text=True)
    assert "Phải lớn hơn 0." in fragment
    assert "Điểm từ (95) phải thấp hơn xếp loại trên (90): xếp từ cao xuống thấp." in fragment
    assert "Tỷ lệ tối đa phải từ 0 đến 100 hoặc để trống." in fragment
    assert 'name="grades-1-min" type="text" value="95"' in fragment
    criteria_set = db.session.get(Campaign, campaign.id).criteria_set
    assert criteria_set.rounding_step == Decimal("0.25")
    assert [g["name"] for g in criteria_set.grades][:2] == ["Xuất sắc", "Tốt"]


# --- the rules, in the domain ---------------------------------------------------------------


def _refused(call) -> dict[str, list[str]]:
    with pytest.raises(InvalidCriteria) as caught:
        call()
    db.session.rollback()
    return caught.value.errors


def test_tree_rules(app):
    campaign = make_campaign()
    criteria_set = campaign.criteria_set
    group = _group(campaign, "1", 10)
    deduction = _group(campaign, "D", 20, section="deduction")

    def add(parent, **values):
        base = {"code": "X", "title": "Mục", "max_points": 1, "scoring_type": "boolean"}
        return lambda: add_node(criteria_set, parent, {**base, **values})

    assert _refused(add(group, code="1")) == {"code": ["Mã 1 bị trùng với mục “Nhóm 1”."]}
    assert "section" in _refused(add(group, section="bonus"))
    assert _refused(add(group, sanction="no_excellent")) == {
        "sanction": ["Chế tài chỉ dùng cho mục nằm trong nhóm điểm trừ."]
    }
    assert _refused(add(group, max_points=11))["max_points"] == [
        "Điểm tối đa (11) vượt điểm tối đa của mục cha (10)."
    ]
    criterion = _item(campaign, group, "1.1", 4, scoring_type="sum")
    assert _refused(add(criterion, code="1.1.a", scoring_type="sum")) == {
        "scoring_type": ["Mục không có mục con phải chọn cách chấm khác “Cộng điểm các mục con”."]
    }
    sub = _item(campaign, criterion, "1.1.a", 2)
    assert _refused(add(sub, code="1.1.a.i")) == {
        "": ["Bảng tiêu chí có tối đa 3 cấp: nhóm, tiêu chí, tiêu chí con."]
    }
    inner = {"code": "1.1", "title": "Có mục con", "max_points": 4, "scoring_type": "boolean"}
    assert _refused(lambda: update_node(criterion, inner)) == {
        "scoring_type": ["Mục có mục con phải chấm theo “Cộng điểm các mục con”."]
    }
    late = _item(campaign, deduction, "D.1", 5, "minus", sanction="down_one", params={"per": 1})
    assert late.sanction == "down_one"
    as_base = {"code": "D", "title": "Điểm trừ", "max_points": 20, "section": "base"}
    assert "section" in _refused(lambda: update_node(deduction, as_base))


def test_scoring_type_parameters_are_checked(app):
    def errors(scoring_type, params, max_points=10):
        values = {"code": "1", "title": "T", "max_points": max_points}
        return clean_values({**values, "scoring_type": scoring_type, "params": params})[1]

    assert errors("count", {"per": "1,5", "cap": ""}) == {}
    assert errors("count", {"per": "nhiều"}) == {
        "params.per": ["Hãy nhập một số, ví dụ 1,5 hoặc 0,25."]
    }
    assert errors("ratio", {"direction": "sideways"}) == {
        "params.direction": ["Chọn một trong: up, down."]
    }
    assert errors("boolean", {"per": 1}) == {
        "params": ["Cách chấm “Đạt / không đạt” không có tham số “per”."]
    }
    assert errors("choice", {"levels": []}) == {"params.levels": ["Cần ít nhất một mức."]}
    assert errors("choice", {"levels": [{"label": "", "points": 12, "zero_parent": "có"}]}) == {
        "params.levels": [
            "Mức 1: cần tên mức.",
            "Mức 1: điểm (12) vượt điểm tối đa (10).",
            "Mức 1: zero_parent phải là true hoặc false.",
        ]
    }
    assert errors("survey", {"floor": 80, "ceiling": 60}) == {
        "params.ceiling": ["Phải lớn hơn chỉ số ứng với 0 điểm."]
    }
    assert errors("xephang", {}) == {
        "scoring_type": [
            "Cách chấm “xephang” không có trong danh mục (sum, ratio, ratio_cluster, choice, "
            "count, minus, boolean, council, survey)."
        ]
    }
    assert errors("boolean", {}, max_points="-1") == {"max_points": ["Không được âm."]}


def test_settings_rules(app):
    good = {"name": "Đạt", "min": "50", "quota_pct": ""}
    cleaned, errors = clean_settings(
        {
            "rounding_step": "",
            "bonus_cap": "0",
            "deduction_cap": "20",
            "grades": [good],
            "tie_break": ["deduction", "group:1"],
        },
        ["1"],
    )
    assert errors == {}
    assert cleaned["rounding_step"] is None and cleaned["bonus_cap"] == 0
    _cleaned, errors = clean_settings(
        {
            "bonus_cap": "-1",
            "grades": [{"name": "", "min": "50"}, good],
            "tie_break": ["total", "group:9", "total"],
        },
        ["1"],
    )
    assert errors == {
        "bonus_cap": ["Không được âm."],
        "grades.0.name": ["Cần tên xếp loại."],
        "grades.1.min": ["Điểm từ (50) phải thấp hơn xếp loại trên (50): xếp từ cao xuống thấp."],
        "tie_break.1": [
            "“group:9” không dùng được: ghi total, bonus, deduction hoặc group:<mã nhóm cấp 1>."
        ],
        "tie_break.2": ["“total” bị lặp lại."],
    }
    assert clean_settings({"grades": []}, [])[1] == {"grades": ["Cần ít nhất một xếp loại."]}


def test_renaming_or_deleting_a_group_follows_in_the_tie_break(app):
    campaign = make_campaign()
    group = _group(campaign, "3", 10)
    save_settings(
        campaign.criteria_set,
        {"grades": [{"name": "Đạt", "min": 0}], "tie_break": ["total", "group:3"]},
    )
    update_node(group, {"code": "III", "title": "Đổi mới sáng tạo", "max_points": 10})
    db.session.commit()
    assert campaign.criteria_set.tie_break == ["total", "group:III"]
    delete_node(group)
    db.session.commit()
    assert campaign.criteria_set.tie_break == ["total"]


def test_moving_past_either_end_changes_nothing(app):
    campaign = make_campaign()
    first, second = _group(campaign, "1", 10), _group(campaign, "2", 10)
    assert move_node(first, -1) is False
    assert move_node(second, 1) is False
    assert move_node(second, -1) is True
    db.session.commit()
    assert [n.code for n in walk(campaign.criteria_set.roots)] == ["2", "1"]


def _registered(campaign, criterion):
    from emulation.registrations.models import Registration, RegistrationTarget
    from emulation.units.models import Unit

    unit = db.session.scalar(db.select(Unit)) or make_unit()
    registration = Registration(campaign=campaign, unit=unit, status="draft")
    registration.targets.append(RegistrationTarget(criterion=criterion, target=10))
    db.session.add(registration)
    db.session.commit()


def test_a_criterion_with_registered_targets_cannot_be_deleted(client):
    _admin(client)
    campaign = make_campaign()
    group = _group(campaign, max_points=10)
    leaf = _item(campaign, group, "1.1", 10, scoring_type="ratio")
    _registered(campaign, leaf)
    page = client.htmx("POST", _url(campaign, f"{group.id}/delete")).get_data(as_text=True)
    assert "Không xóa được: đơn vị đã đăng ký chỉ tiêu hoặc đã được chấm điểm cho 1.1." in page
    assert _by_code("1.1") is not None


def test_a_scored_criterion_cannot_be_deleted(client):
    from emulation.scoring.models import ScoreEntry, ScoreSheet

    _admin(client)
    campaign = make_campaign()
    group = _group(campaign, max_points=10)
    leaf = _item(campaign, group, "1.1", 10, scoring_type="boolean")
    sheet = ScoreSheet(campaign=campaign, unit=make_unit(), stage="self")
    db.session.add(ScoreEntry(sheet=sheet, criterion=leaf, stage="self", value={"yes": True}))
    db.session.commit()
    page = client.htmx("POST", _url(campaign, f"{leaf.id}/delete")).get_data(as_text=True)
    assert "đã được chấm điểm cho 1.1" in page
    assert _by_code("1.1") is not None
