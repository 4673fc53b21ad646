"""Criteria sets to and from XLSX / CSV: exact round trips, and bad files that change nothing."""

import io
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from emulation.accounts.models import Role
from emulation.campaigns.models import Campaign
from emulation.core.errors import DomainError, NotAllowed
from emulation.core.extensions import db
from emulation.criteria.service import add_node, save_settings, walk
from emulation.criteria.tabular import export_criteria, export_csv, export_xlsx, import_criteria
from tests.factories import make_campaign, make_user

HEADER = "Mã,Mã mục cha,Phần,Tên,Điểm tối đa,Cách chấm,Tham số\n"


def dump(criteria_set) -> dict:
    """Everything a set holds, in display order, to compare two sets field by field."""
    nodes = [
        (
            node.depth,
            node.code,
            node.parent.code if node.parent else None,
            node.section,
            node.title,
            node.max_points,
            node.scoring_type,
            node.params,
            node.guidance,
            node.evidence,
            node.evidence_required,
            node.unit_of_measure,
            node.sanction,
        )
        for node in walk(criteria_set.roots)
    ]
    settings = (
        criteria_set.rounding_step,
        criteria_set.bonus_cap,
        criteria_set.deduction_cap,
        criteria_set.grades,
        criteria_set.tie_break,
    )
    return {"nodes": nodes, "settings": settings}


def _add(criteria_set, parent, code, title, max_points, scoring_type="sum", **fields):
    node = add_node(
        criteria_set,
        parent,
        {
            "code": code,
            "title": title,
            "max_points": max_points,
            "scoring_type": scoring_type,
            **fields,
        },
    )
    db.session.flush()
    return node


def build_full_set(campaign: Campaign) -> None:
    """A set using every column, every scoring type and every setting."""
    cs = campaign.criteria_set
    one = _add(
        cs,
        None,
        "I",
        "Thực hiện nhiệm vụ chính trị",
        "60",
        section="base",
        guidance="Chấm theo báo cáo năm.\nĐối chiếu số liệu thống kê.",
    )
    c11 = _add(cs, one, "1.1", "Thu ngân sách", "20")
    _add(
        cs,
        c11,
        "1.1.a",
        "Thu nội địa so với dự toán",
        "12",
        "ratio",
        params={"direction": "up", "over_rate": "0,5", "over_cap": "2"},
        unit_of_measure="tỷ đồng",
        evidence="Báo cáo quyết toán",
        evidence_required=True,
    )
    _add(
        cs,
        c11,
        "1.1.b",
        "Tỷ lệ nợ đọng",
        "8",
        "ratio_cluster",
        params={"direction": "down"},
        unit_of_measure="%",
    )
    _add(
        cs,
        one,
        "1.2",
        "Cải cách hành chính",
        "15,5",
        "choice",
        params={"levels": "Xuất sắc | 15,5\nHoàn thành | 10\nKhông thực hiện | 0 | 0"},
    )
    _add(cs, one, "1.3", "Sáng kiến được công nhận", "10", "count", params={"per": "2", "cap": ""})
    _add(
        cs,
        one,
        "1.4",
        "Mức độ hài lòng",
        "14,5",
        "survey",
        params={
            "measure": "mean",
            "floor": "2",
            "ceiling": "5",
            "min_sample": "50",
            "insufficient": "neutral",
        },
    )
    two = _add(cs, None, "II", "Công tác phối hợp", "40", section="base")
    _add(cs, two, "2.1", "Báo cáo đúng hạn", "5", "minus", params={"per": "0,25"})
    _add(cs, two, "2.2", "Có chương trình phối hợp", "5", "boolean")
    _add(cs, two, "2.3", "Hội đồng đánh giá", "30", "council", evidence="Biên bản")
    bonus = _add(cs, None, "T", "Điểm thưởng", "12", section="bonus")
    _add(cs, bonus, "T.1", "Được Thủ tướng tặng Bằng khen", "12", "boolean")
    minus = _add(cs, None, "TR", "Điểm trừ", "20", section="deduction")
    _add(cs, minus, "TR.1", "Để xảy ra sai phạm bị kỷ luật", "10", "boolean", sanction="force_weak")
    _add(
        cs,
        minus,
        "TR.2",
        "Chậm nộp báo cáo",
        "5",
        "count",
        params={"per": "0,5", "cap": "5"},
        sanction="no_excellent",
    )
    save_settings(
        cs,
        {
            "rounding_step": "0,25",
            "bonus_cap": "10",
            "deduction_cap": "",
            "grades": [
                {"name": "Xuất sắc", "min": "90", "quota_pct": "25"},
                {"name": "Tốt", "min": "80", "quota_pct": "33,5"},
                {"name": "Khá", "min": "65,5", "quota_pct": ""},
                {"name": "Yếu", "min": "0", "quota_pct": ""},
            ],
            "tie_break": ["total", "group:II", "deduction"],
        },
    )
    db.session.commit()


def _campaign_with_full_set() -> Campaign:
    campaign = make_campaign(slug="phong-trao-goc")
    build_full_set(campaign)
    return campaign


def _errors(report) -> list[str]:
    return [str(error) for error in report.errors]


# --- round trips ----------------------------------------------------------------------------


@pytest.mark.parametrize("extension", ["xlsx", "csv"])
def test_export_then_import_reproduces_the_set_exactly(app, extension):
    source = _campaign_with_full_set()
    data = export_criteria(source.criteria_set, f"bang.{extension}")
    target = make_campaign(slug="phong-trao-moi")
    report = import_criteria(target, f"bang.{extension}", data)
    assert report.ok, _errors(report)
    assert report.imported == 16
    db.session.commit()
    db.session.expire_all()
    assert dump(db.session.get(Campaign, target.id).criteria_set) == dump(
        db.session.get(Campaign, source.id).criteria_set
    )


def test_import_replaces_the_whole_set(app):
    source = _campaign_with_full_set()
    target = make_campaign(slug="phong-trao-moi")
    _add(target.criteria_set, None, "Z", "Nhóm sẽ bị thay", "5")
    db.session.commit()
    report = import_criteria(target, "bang.csv", export_csv(source.criteria_set))
    db.session.commit()
    assert report.ok
    codes = [n.code for n in walk(db.session.get(Campaign, target.id).criteria_set.roots)]
    assert codes[:3] == ["I", "1.1", "1.1.a"] and "Z" not in codes


def test_the_workbook_has_the_documented_sheets_and_columns(app):
    source = _campaign_with_full_set()
    book = load_workbook(io.BytesIO(export_xlsx(source.criteria_set)))
    assert book.sheetnames == ["Tiêu chí", "Thiết lập"]
    rows = list(book["Tiêu chí"].iter_rows(values_only=True))
    assert rows[0] == (
        "Mã",
        "Mã mục cha",
        "Phần",
        "Tên",
        "Điểm tối đa",
        "Cách chấm",
        "Tham số",
        "Hướng dẫn",
        "Minh chứng",
        "Bắt buộc minh chứng",
        "Đơn vị tính",
        "Chế tài",
    )
    assert rows[5][:7] == (
        "1.2",
        "I",
        None,
        "Cải cách hành chính",
        15.5,
        "choice",
        '{"levels": [{"label": "Xuất sắc", "points": 15.5}, {"label": "Hoàn thành", "points": 10}, '
        '{"label": "Không thực hiện", "points": 0, "zero_parent": true}]}',
    )
    settings = list(book["Thiết lập"].iter_rows(values_only=True))
    assert settings[:4] == [
        ("Thiết lập", "Giá trị", "Điểm từ", "Tỷ lệ tối đa (%)"),
        ("Bước làm tròn", 0.25, None, None),
        ("Trần điểm thưởng", 10, None, None),
        ("Trần điểm trừ", None, None, None),
    ]


def test_a_csv_saved_by_excel_with_semicolons_and_decimal_commas_imports(app):
    campaign = make_campaign()
    text = (
        "#thiet_lap;Bước làm tròn;0,5\n"
        "#thiet_lap;Xếp loại;Đạt;50;\n"
        "#thiet_lap;Xếp loại;Chưa đạt;0;\n"
        "\n"
        "Mã;Mã mục cha;Phần;Tên;Điểm tối đa;Cách chấm;Tham số;Bắt buộc minh chứng\n"
        "1;;Điểm chuẩn;Công tác chuyên môn;10;;;\n"
        '1.1;1;;Nộp báo cáo đúng hạn;2,5;Trừ dần từ điểm tối đa;"{""per"": 0.5}";có\n'
    )
    report = import_criteria(campaign, "tieuchi.csv", text.encode("utf-8-sig"))
    assert report.ok, _errors(report)
    db.session.commit()
    criteria_set = db.session.get(Campaign, campaign.id).criteria_set
    item = criteria_set.criteria[1]
    assert (item.max_points, item.scoring_type, item.params, item.evidence_required) == (
        2.5,
        "minus",
        {"per": 0.5},
        True,
    )
    assert criteria_set.grades == [
        {"name": "Đạt", "min": 50, "quota_pct": None},
        {"name": "Chưa đạt", "min": 0, "quota_pct": None},
    ]
    assert criteria_set.rounding_step == 0.5
    assert criteria_set.tie_break == ["total", "bonus"]  # not in the file: kept


# --- bad files ------------------------------------------------------------------------------

BAD_FILES = {
    "unknown scoring type": (
        "1,,base,Nhóm 1,10,sum,\n1.1,1,,Hoàn thành kế hoạch,10,xephang,\n",
        "Dòng 3, cột “Cách chấm”: Cách chấm “xephang” không có trong danh mục",
    ),
    "child over parent max": (
        "1,,base,Nhóm 1,10,sum,\n1.1,1,,Hoàn thành kế hoạch,12,boolean,\n",
        "Dòng 3, cột “Điểm tối đa”: Điểm tối đa (12) vượt điểm tối đa của mục cha (10).",
    ),
    "missing parent code": (
        "1,,base,Nhóm 1,10,sum,\n1.1,1,,A,5,boolean,\n2.1,2,,B,5,boolean,\n",
        "Dòng 4, cột “Mã mục cha”: Không có mục mã 2 trong tệp.",
    ),
    "parent below its child": (
        "1.1,1,,A,5,boolean,\n1,,base,Nhóm 1,10,sum,\n",
        "Dòng 2, cột “Mã mục cha”: Mục cha 1 phải nằm ở dòng trên mục con.",
    ),
    "bad number": (
        "1,,base,Nhóm 1,10,sum,\n1.1,1,,A,năm,boolean,\n",
        "Dòng 3, cột “Điểm tối đa”: Hãy nhập một số, ví dụ 1,5 hoặc 0,25.",
    ),
    "duplicate code": (
        "1,,base,Nhóm 1,10,sum,\n1.1,1,,A,5,boolean,\n1.1,1,,B,5,boolean,\n",
        "Dòng 4, cột “Mã”: Mã 1.1 bị trùng với mục “A”.",
    ),
    "bad JSON params": (
        '1,,base,Nhóm 1,10,sum,\n1.1,1,,A,5,count,"{per: 1}"\n',
        'Dòng 3, cột “Tham số”: Tham số phải viết theo JSON, ví dụ {"per": 1}: lỗi ở ký tự 2',
    ),
    "unknown parameter": (
        '1,,base,Nhóm 1,10,sum,\n1.1,1,,A,5,count,"{""per"": 1, ""max"": 3}"\n',
        "Dòng 3, cột “Tham số”: Cách chấm “Đếm số lần (điểm mỗi lần, có trần)” không có tham số “max”.",
    ),
    "bad choice level": (
        '1,,base,Nhóm 1,10,sum,\n1.1,1,,A,5,choice,"{""levels"": [{""label"": ""Tốt"", ""points"": 6}]}"\n',
        "Dòng 3, cột “Tham số”: Các mức (levels): Mức 1: điểm (6) vượt điểm tối đa (5).",
    ),
    "group without items": (
        "1,,base,Nhóm 1,10,sum,\n",
        "Dòng 2, cột “Cách chấm”: Mục không có mục con phải chọn cách chấm khác “Cộng điểm các mục con”.",
    ),
    "bad grade order": (
        "#thiet_lap,Xếp loại,Tốt,80,\n#thiet_lap,Xếp loại,Xuất sắc,90,\n\n"
        + HEADER
        + "1,,base,Nhóm 1,10,sum,\n1.1,1,,A,5,boolean,\n",
        "Dòng 2, cột “Điểm từ”: Điểm từ (90) phải thấp hơn xếp loại trên (80)",
    ),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_a_bad_file_names_row_and_column_and_changes_nothing(app, case):
    campaign = _campaign_with_full_set()
    before = dump(campaign.criteria_set)
    body, expected = BAD_FILES[case]
    text = body if body.startswith("#") else HEADER + body
    report = import_criteria(campaign, "tieuchi.csv", text.encode())
    assert not report.ok
    assert any(message.startswith(expected) for message in _errors(report)), _errors(report)
    db.session.commit()
    db.session.expire_all()
    assert dump(db.session.get(Campaign, campaign.id).criteria_set) == before


def test_a_bad_workbook_names_the_sheet_too(app):
    campaign = make_campaign()
    book = Workbook()
    sheet = book.active
    sheet.title = "Tiêu chí"
    sheet.append(["Mã", "Tên", "Điểm tối đa", "Cách chấm", "Mã mục cha"])
    sheet.append(["1", "Nhóm 1", 10, "sum", None])
    sheet.append(["1.1", "A", 10, "xephang", "1"])
    settings = book.create_sheet("Thiết lập")
    settings.append(["Thiết lập", "Giá trị"])
    settings.append(["Bước làm tròn", "một phần tư"])
    buffer = io.BytesIO()
    book.save(buffer)
    report = import_criteria(campaign, "tieuchi.xlsx", buffer.getvalue())
    assert _errors(report) == [
        "Trang “Tiêu chí”, dòng 3, cột “Cách chấm”: Cách chấm “xephang” không có trong danh mục "
        "(sum, ratio, ratio_cluster, choice, count, minus, boolean, council, survey).",
        "Trang “Thiết lập”, dòng 2, cột “Giá trị”: Hãy nhập một số, ví dụ 1,5 hoặc 0,25.",
    ]


def test_missing_columns_and_unreadable_files(app):
    campaign = make_campaign()
    report = import_criteria(campaign, "x.csv", "Mã,Tên\n1,Nhóm\n".encode())
    assert _errors(report) == ["Dòng 1, cột “Điểm tối đa”: Thiếu cột bắt buộc."]
    with pytest.raises(DomainError, match="UTF-8"):
        import_criteria(campaign, "x.csv", "Mã,Tên\n1,Nhóm\n".encode("latin-1", "replace"))
    with pytest.raises(DomainError, match="Không đọc được tệp Excel"):
        import_criteria(campaign, "x.xlsx", b"not a workbook")


def test_a_closed_campaign_refuses_an_import(app):
    source = _campaign_with_full_set()
    closed = make_campaign(status="closed")
    with pytest.raises(NotAllowed, match="Phong trào đã kết thúc"):
        import_criteria(closed, "bang.csv", export_csv(source.criteria_set))


# --- in the browser and on the command line -------------------------------------------------


def _admin(client):
    make_user("thuongtruc", Role.ADMIN)
    client.login("thuongtruc")


def _upload(client, campaign, name, data):
    return client.submit(
        f"/campaigns/{campaign.slug}/criteria/import",
        {"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
        follow_redirects=True,
    )


def test_admin_downloads_and_uploads_through_the_page(client):
    _admin(client)
    source = _campaign_with_full_set()
    response = client.get(f"/campaigns/{source.slug}/criteria/export.xlsx")
    assert response.headers["Content-Disposition"] == (
        "attachment; filename=bang-tieu-chi-phong-trao-goc.xlsx"
    )
    target = make_campaign(slug="phong-trao-moi")
    page = _upload(client, target, "bang.xlsx", response.data).get_data(as_text=True)
    assert "Đã nhập bảng tiêu chí: 16 mục. Bảng cũ đã được thay thế." in page
    assert "Thu nội địa so với dự toán" in page

    bad = HEADER + "1,,base,Nhóm 1,10,sum,\n1.1,1,,A,12,boolean,\n"
    page = _upload(client, target, "bang.csv", bad.encode()).get_data(as_text=True)
    assert "Tệp có 2 lỗi — chưa nhập gì, bảng tiêu chí hiện tại giữ nguyên" in page
    assert '<td class="num">3</td><td>Điểm tối đa</td>' in page
    assert "Thu nội địa so với dự toán" in page


def test_cli_export_and_import(app, tmp_path):
    source = _campaign_with_full_set()
    target = make_campaign(slug="phong-trao-moi")
    runner = app.test_cli_runner()
    path = tmp_path / "bang.xlsx"
    result = runner.invoke(args=["criteria", "export", "--campaign", "phong-trao-goc", str(path)])
    assert result.exit_code == 0, result.output
    assert "Đã xuất 16 mục" in result.output
    result = runner.invoke(args=["criteria", "import", str(path), "--campaign", "phong-trao-moi"])
    assert result.exit_code == 0, result.output
    assert "Đã nhập 16 mục" in result.output
    db.session.expire_all()
    assert dump(db.session.get(Campaign, target.id).criteria_set) == dump(
        db.session.get(Campaign, source.id).criteria_set
    )


def test_cli_refuses_a_bad_file_with_row_and_column(app, tmp_path):
    campaign = _campaign_with_full_set()
    before = dump(campaign.criteria_set)
    path = tmp_path / "bang.csv"
    path.write_text(HEADER + "1,,base,Nhóm 1,10,sum,\n1.1,1,,A,mười,boolean,\n", "utf-8")
    result = app.test_cli_runner().invoke(
        args=["criteria", "import", str(path), "--campaign", campaign.slug]
    )
    assert result.exit_code != 0
    assert "Dòng 3, cột “Điểm tối đa”: Hãy nhập một số, ví dụ 1,5 hoặc 0,25." in result.output
    assert "chưa nhập gì" in result.output
    db.session.expire_all()
    assert dump(db.session.get(Campaign, campaign.id).criteria_set) == before
    result = app.test_cli_runner().invoke(
        args=["criteria", "import", str(path), "--campaign", "khong-co"]
    )
    assert result.exit_code != 0 and "Không có phong trào khong-co." in result.output


def test_the_documented_example_imports(app):
    doc = (Path(__file__).parent.parent / "docs" / "criteria-format.md").read_text("utf-8")
    example = doc.split("```csv\n", 1)[1].split("```", 1)[0]
    campaign = make_campaign()
    report = import_criteria(campaign, "vi-du.csv", example.encode("utf-8"))
    assert report.ok, _errors(report)
    db.session.commit()
    criteria_set = db.session.get(Campaign, campaign.id).criteria_set
    assert [n.code for n in walk(criteria_set.roots)][-2:] == ["TR.1", "TR.2"]
    assert criteria_set.tie_break == ["total", "group:II"]
    assert export_csv(criteria_set).decode("utf-8-sig").replace("\r\n", "\n") == example


def test_import_is_refused_once_units_registered_targets(app):
    from emulation.registrations.models import Registration, RegistrationTarget
    from tests.factories import add_criterion, make_unit

    campaign = make_campaign()
    group = add_criterion(campaign, "1", "Kinh tế", 10)
    leaf = add_criterion(
        campaign, "1.1", "Tăng trưởng GRDP", 10, parent=group, scoring_type="ratio"
    )
    data = export_csv(campaign.criteria_set)
    registration = Registration(campaign=campaign, unit=make_unit(), status="draft")
    registration.targets.append(RegistrationTarget(criterion=leaf, target=9))
    db.session.add(registration)
    db.session.commit()
    with pytest.raises(NotAllowed, match="đã đăng ký chỉ tiêu theo bảng tiêu chí hiện tại"):
        import_criteria(campaign, "bang.csv", data)
    assert registration.targets[0].criterion_id == leaf.id
