"""Workbooks made from a document's context: the kinds that are tables (a ``Kind`` with
``"xlsx"`` in its formats names its ``sheet`` here).

A workbook says what the PDF says, from the same context: the texts as the document
writes them (digits in the LAO's style), the amounts as numbers (``values``: Decimal),
formatted with two decimals, so that a clerk can add them up. Every text cell is
written as text, never as a formula, whatever a clerk typed.
"""

from __future__ import annotations

import datetime as _dt
import io
from decimal import Decimal

MONEY = "#,##0.00"


def _text(sheet, row: int, column: int, value: str, bold: bool = False):
    from openpyxl.styles import Alignment, Font

    cell = sheet.cell(row=row, column=column)
    cell.value = value
    cell.data_type = "s"  # text, never a formula
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    if bold:
        cell.font = Font(bold=True)
    return cell


def _amount(sheet, row: int, column: int, value: Decimal | None, bold: bool = False):
    from openpyxl.styles import Alignment, Font

    cell = sheet.cell(row=row, column=column)
    if value is None:
        cell.value = "-"
        cell.alignment = Alignment(horizontal="right", vertical="top")
    else:
        cell.value = float(value)  # satang-exact amounts of at most a trillion baht: exact as a double
        cell.number_format = MONEY
        cell.alignment = Alignment(vertical="top")
    if bold:
        cell.font = Font(bold=True)
    return cell


def plan_projects(context: dict) -> bytes:
    """แบบ ผ.02 as a sheet: the titles, the header, then per plan area its heading rows,
    its projects and its total; the grand total last. Landscape A4, the header repeated
    on every printed page."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    columns = context["columns"]
    header = [columns[k] for k in ("no", "name", "objective", "target")]
    header += list(columns["years"]) + [columns[k] for k in ("kpi", "result", "unit")]
    width = len(header)
    years = len(columns["years"])
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "ผ.02"
    row = 1
    _text(sheet, row, width, context["form"])
    for key in ("heading", "plan", "issuer", "subheading"):
        row += 1
        _text(sheet, row, 1, context[key], bold=key == "heading")
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    row += 2
    header_row = row
    for column, text in enumerate(header, 1):
        _text(sheet, row, column, text, bold=True)
    if context["empty"]:
        row += 1
        _text(sheet, row, 2, context["empty"])

    def total(label: str, values: list) -> None:
        nonlocal row
        row += 1
        _text(sheet, row, 2, label, bold=True)
        for i, value in enumerate(values):
            _amount(sheet, row, 5 + i, value, bold=True)

    for group in context["groups"]:
        for key in ("strategy", "area"):
            if group[key]:
                row += 1
                _text(sheet, row, 1, group[key], bold=True)
                sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        for project in group["rows"]:
            row += 1
            texts = [project[k] for k in ("no", "name", "objective", "target")]
            for column, text in enumerate(texts, 1):
                _text(sheet, row, column, text)
            for i, value in enumerate(project["values"]):
                _amount(sheet, row, 5 + i, value)
            for column, key in enumerate(("kpi", "result", "unit"), 5 + years):
                _text(sheet, row, column, project[key])
        total(group["total"]["label"], group["total"]["values"])
    total(context["total"]["label"], context["total"]["values"])
    for column, size in enumerate((6, 36, 30, 30, *(16,) * years, 24, 30, 20), 1):
        sheet.column_dimensions[get_column_letter(column)].width = size
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    workbook.properties.creator = context.get("doc_author", "")
    workbook.properties.title = context["heading"]
    if context.get("doc_date"):  # the document's own date, on the service's clock
        workbook.properties.created = _dt.datetime.combine(context["doc_date"], _dt.time())
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
