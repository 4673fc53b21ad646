"""Word layout of Vietnamese administrative documents (Nghị định 30/2020/NĐ-CP, Phụ lục I):
A4, margins 2 cm top and bottom, 3 cm left, 2 cm right; Times New Roman 13–14 pt; the
issuing body and the national motto side by side, each with a rule under it; the number
and the place-date line below them; the title in capitals; justified body with a first-line
indent; the signature block on the right, "Nơi nhận" on the left."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from emulation.commendation.documents.inputs import Signature

FONT = "Times New Roman"
BODY_PT = 14
TEXT_WIDTH_CM = 16.0  # 21 cm − 3 cm left − 2 cm right
LEFT_HEADER_CM = 6.0
RIGHT_HEADER_CM = TEXT_WIDTH_CM - LEFT_HEADER_CM
MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO_LINE = "Độc lập - Tự do - Hạnh phúc"

CENTER = WD_ALIGN_PARAGRAPH.CENTER
JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY
LEFT = WD_ALIGN_PARAGRAPH.LEFT
RIGHT = WD_ALIGN_PARAGRAPH.RIGHT

Container = DocxDocument | _Cell


def new_document(title: str, author: str = "") -> DocxDocument:
    """An empty A4 document with the margins and the font of administrative documents."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin = section.bottom_margin = Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(2)
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    properties = normal.element.get_or_add_rPr()
    fonts = properties.get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), FONT)
    language = OxmlElement("w:lang")
    language.set(qn("w:val"), "vi-VN")
    properties.append(language)
    paragraph_format = normal.paragraph_format
    paragraph_format.space_before = Pt(0)
    paragraph_format.space_after = Pt(0)
    paragraph_format.line_spacing = 1.0
    core = doc.core_properties
    core.title, core.author, core.last_modified_by = title, author, author
    core.comments = ""
    core.language = "vi-VN"
    return doc


def to_bytes(doc: DocxDocument) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


# --- paragraphs -----------------------------------------------------------------------------------


def _new_paragraph(container: Container) -> Paragraph:
    """A cell starts with one empty paragraph: use it before adding more."""
    if isinstance(container, _Cell):
        first = container.paragraphs[0]
        if len(container.paragraphs) == 1 and not first.text and not first.runs:
            return first
    return container.add_paragraph()


def add_run(
    paragraph: Paragraph,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    size: float | None = None,
):
    run = paragraph.add_run(text)
    run.bold = bold or None
    run.italic = italic or None
    if size:
        run.font.size = Pt(size)
    return run


def para(
    container: Container,
    text: str = "",
    *,
    bold: bool = False,
    italic: bool = False,
    size: float | None = None,
    align=None,
    indent: bool = False,
    before: float = 0,
    after: float = 0,
    keep_with_next: bool = False,
) -> Paragraph:
    """One paragraph of uniformly formatted text; lines split on "\\n" stay in it."""
    paragraph = _new_paragraph(container)
    lines = text.split("\n") if text else []
    for i, line in enumerate(lines):
        run = add_run(paragraph, line, bold=bold, italic=italic, size=size)
        if i < len(lines) - 1:
            run.add_break()
    fmt = paragraph.paragraph_format
    if align is not None:
        paragraph.alignment = align
    if indent:
        fmt.first_line_indent = Cm(1.27)
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    if keep_with_next:
        fmt.keep_with_next = True
    return paragraph


def body(container: Container, text: str, **kwargs) -> Paragraph:
    """A paragraph of running text: justified, first line indented, 6 pt after."""
    kwargs.setdefault("after", 6)
    return para(container, text, align=JUSTIFY, indent=True, **kwargs)


def labelled(
    container: Container, label: str, value: str, *, strong: bool = False, **kwargs
) -> Paragraph:
    """ "Điện thoại: 0213 3876 543": the label plain, the value after it (bold if strong)."""
    paragraph = body(container, "", **kwargs)
    add_run(paragraph, f"{label}: ")
    add_run(paragraph, value, bold=strong)
    return paragraph


def heading(container: Container, text: str, *, before: float = 6) -> Paragraph:
    """A section heading of the forms ("I. SƠ LƯỢC ĐẶC ĐIỂM, TÌNH HÌNH"): bold, indented."""
    return para(
        container,
        text,
        bold=True,
        align=JUSTIFY,
        indent=True,
        before=before,
        after=6,
        keep_with_next=True,
    )


def rule(container: Container, length_cm: float, within_cm: float) -> Paragraph:
    """A centred horizontal rule `length_cm` long, drawn as the top border of an empty
    one-point line, under a heading of width `within_cm`."""
    paragraph = _new_paragraph(container)
    # The border goes in first: the schema wants w:pBdr before w:spacing, w:ind and w:jc,
    # which python-docx then inserts in their places.
    borders = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "auto")):
        top.set(qn(key), value)
    borders.append(top)
    paragraph._p.get_or_add_pPr().append(borders)
    fmt = paragraph.paragraph_format
    margin = Cm(max(within_cm - length_cm, 0) / 2)
    fmt.left_indent = fmt.right_indent = margin
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(1)
    return paragraph


# --- tables ---------------------------------------------------------------------------------------


def _set_width(cell: _Cell, width_cm: float) -> None:
    cell.width = Cm(width_cm)


def _set_columns(table: Table, widths_cm: Sequence[float]) -> None:
    """Word reads the cell widths, LibreOffice the grid: set both."""
    for column, width in zip(table.columns, widths_cm, strict=True):
        column.width = Cm(width)


def layout_table(container: DocxDocument, widths_cm: Sequence[float], rows: int = 1) -> Table:
    """A borderless table that places blocks side by side (header, signatures)."""
    table = container.add_table(rows=rows, cols=len(widths_cm))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _set_columns(table, widths_cm)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm, strict=True):
            _set_width(cell, width)
    return table


def _repeat_as_header(row) -> None:
    properties = row._tr.get_or_add_trPr()
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    properties.append(marker)


def grid_table(
    container: DocxDocument,
    headers: Sequence[str],
    rows: Iterable[Sequence[str]],
    widths_cm: Sequence[float],
    *,
    size: float = 13,
    align: Sequence | None = None,
) -> Table:
    """A bordered data table: bold centred header repeated on every page, then the rows.

    A row given as a single string spans the whole table in bold (a group title)."""
    align = list(align) if align is not None else [LEFT] * len(headers)
    table = container.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _set_columns(table, widths_cm)
    for cell, text, width in zip(table.rows[0].cells, headers, widths_cm, strict=True):
        _set_width(cell, width)
        para(cell, text, bold=True, size=size, align=CENTER)
    _repeat_as_header(table.rows[0])
    for values in rows:
        cells = table.add_row().cells
        for cell, width in zip(cells, widths_cm, strict=True):
            _set_width(cell, width)
        if isinstance(values, str):
            merged = cells[0].merge(cells[-1])
            para(merged, values, bold=True, size=size, align=LEFT)
            continue
        for cell, text, how in zip(cells, values, align, strict=True):
            para(cell, text, size=size, align=how)
    return table


# --- the blocks of an administrative document -------------------------------------------------


def _body_lines(cell: _Cell, parent_body: str, issuing_body: str) -> None:
    if parent_body:
        para(cell, parent_body.upper(), size=13, align=CENTER)
    para(cell, issuing_body.upper(), bold=True, size=13, align=CENTER)
    rule(cell, 2.5, LEFT_HEADER_CM)


def _motto_lines(container: Container, within_cm: float) -> None:
    para(container, MOTTO, bold=True, size=13, align=CENTER)
    para(container, MOTTO_LINE, bold=True, size=14, align=CENTER)
    rule(container, 6.0, within_cm)


def national_header(
    doc: DocxDocument,
    *,
    issuing_body: str,
    parent_body: str = "",
    number: str | None = None,
    place_date: str = "",
) -> Table:
    """Issuing body on the left, national motto on the right; number and place-date below.

    `number` None leaves the number line out (forms that carry none); "" leaves it blank."""
    table = layout_table(doc, (LEFT_HEADER_CM, RIGHT_HEADER_CM), rows=2)
    top, bottom = table.rows
    _body_lines(top.cells[0], parent_body, issuing_body)
    _motto_lines(top.cells[1], RIGHT_HEADER_CM)
    if number is not None:
        para(bottom.cells[0], f"Số: {number or '        /'}", size=13, align=CENTER, before=6)
    para(bottom.cells[1], place_date, italic=True, size=14, align=CENTER, before=6)
    return table


def motto_header(doc: DocxDocument, place_date: str) -> None:
    """The national motto alone, centred across the page (forms a person signs)."""
    _motto_lines(doc, TEXT_WIDTH_CM)
    para(doc, place_date, italic=True, size=14, align=RIGHT, before=6)


def title(doc: DocxDocument, name: str, *subject: str, note: str = "") -> None:
    """ "TỜ TRÌNH" and its subject lines, bold and centred, a short rule under them."""
    para(doc, name.upper(), bold=True, size=14, align=CENTER, before=18)
    for line in subject:
        if line:
            para(doc, line, bold=True, size=14, align=CENTER)
    if note:
        para(doc, note, italic=True, size=13, align=CENTER)
    rule(doc, 3.0, TEXT_WIDTH_CM)
    para(doc, "", after=6)


def _signature_lines(cell: _Cell, signature: Signature) -> None:
    if signature.on_behalf:
        para(cell, signature.on_behalf.upper(), bold=True, size=14, align=CENTER)
    para(cell, signature.title.upper(), bold=True, size=14, align=CENTER)
    if signature.note:
        para(cell, signature.note, italic=True, size=13, align=CENTER)
    for _ in range(4):
        para(cell, "")
    if signature.name:
        para(cell, signature.name, bold=True, size=14, align=CENTER)


def signatures(doc: DocxDocument, left: Signature | None, right: Signature) -> Table:
    """Two signature blocks side by side (or one on the right)."""
    para(doc, "", after=6)
    table = layout_table(doc, (TEXT_WIDTH_CM / 2, TEXT_WIDTH_CM / 2))
    if left is not None:
        _signature_lines(table.rows[0].cells[0], left)
    _signature_lines(table.rows[0].cells[1], right)
    return table


def recipients_and_signature(doc: DocxDocument, copies_to: Sequence[str], signature: Signature):
    """ "Nơi nhận:" on the left (12 pt bold italic, its lines 11 pt), the signature right."""
    table = layout_table(doc, (LEFT_HEADER_CM + 1, RIGHT_HEADER_CM - 1))
    left, right = table.rows[0].cells
    para(left, "Nơi nhận:", bold=True, italic=True, size=12, before=6)
    for line in copies_to:
        para(left, f"- {line}", size=11)
    _signature_lines(right, signature)
    return table
