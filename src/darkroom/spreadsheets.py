"""Excel files (.xlsx): the one writer every export goes through.

A list's text comes from people — a client's name, a note, a vendor's name — so the writer
treats every text as text and nothing else:

- Text that Excel would read as a formula (``=HYPERLINK(...)``) or as the start of one (``+``,
  ``-``, ``@``, a tab or a carriage return) is written as a text cell with Excel's "quote
  prefix", the same as typing an apostrophe before it: it shows as typed and stays text even
  when someone edits the cell. openpyxl alone would store ``=...`` as a live formula that runs
  in whoever opens the file.
- Characters a spreadsheet cannot hold (control characters other than tab, line feed and
  carriage return) are removed, and text is cut at Excel's limit for a cell, so no record's
  content can make an export fail.
- Numbers stay numbers, dates stay dates (without a time zone, which Excel lacks), yes/no stays
  yes/no. Dates show as the studio writes them and amounts (``Money``) as numbers in the
  studio's currency, through Excel's number formats (``darkroom/formats.py``): a sum or a sort
  in the sheet still works.

Sheets are written in openpyxl's write-only mode so big lists stream from the database.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import tempfile
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.http import FileResponse, HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from darkroom.formats import (
    StudioFormats,
    current_formats,
    excel_date_format,
    excel_money_format,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

LONGEST_TEXT = 32_767  # Excel's limit for one cell
# What a spreadsheet takes as the start of a formula (OWASP's list for CSV and Excel injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Lone surrogates can't be written as UTF-8 at all.
_SURROGATES = re.compile("[\ud800-\udfff]")
# Excel refuses these in a sheet's name; people's names for things may hold them.
_SHEET_TITLE_REFUSES = re.compile(r"[\\/?*\[\]:]")
LONGEST_SHEET_TITLE = 31


class Money(Decimal):
    """An amount of the studio's currency: written as a number with the currency's format."""

    __slots__ = ()


def spreadsheet_text(value: str) -> str:
    """``value`` without the characters a spreadsheet cannot hold, at most as long as a cell."""
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    value = _SURROGATES.sub("\N{REPLACEMENT CHARACTER}", value)
    return value[:LONGEST_TEXT]


def sheet_title(title: str, *, otherwise: str = "Sheet") -> str:
    """A name Excel accepts for a sheet: no ``\\ / ? * [ ] :``, at most 31 characters."""
    title = _SHEET_TITLE_REFUSES.sub(" ", spreadsheet_text(title)).strip()
    return title[:LONGEST_SHEET_TITLE].strip() or otherwise


def _cell(sheet: WriteOnlyWorksheet, value: Any, formats: StudioFormats) -> WriteOnlyCell:
    if isinstance(value, bool) or value is None:
        return WriteOnlyCell(sheet, value=value)
    if isinstance(value, int):
        return WriteOnlyCell(sheet, value=value)
    if isinstance(value, (float, Decimal)):
        finite = value.is_finite() if isinstance(value, Decimal) else math.isfinite(value)
        # Excel has no "not a number" or infinity: say what it is in words.
        if not finite:
            return _text_cell(sheet, str(value))
        cell = WriteOnlyCell(sheet, value=Decimal(value) if isinstance(value, Money) else value)
        if isinstance(value, Money):
            cell.number_format = excel_money_format(formats)
        return cell
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = timezone.localtime(value)  # the studio's clock, as on its pages
        cell = WriteOnlyCell(sheet, value=value.replace(tzinfo=None))  # Excel has no time zones
        cell.number_format = f"{excel_date_format(formats)} hh:mm"
        return cell
    if isinstance(value, dt.date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = excel_date_format(formats)
        return cell
    if isinstance(value, dt.time):
        return WriteOnlyCell(sheet, value=value)
    return _text_cell(sheet, str(value))


def _text_cell(sheet: WriteOnlyWorksheet, text: str) -> WriteOnlyCell:
    text = spreadsheet_text(text)
    cell = WriteOnlyCell(sheet, value=text)
    cell.data_type = "s"  # openpyxl would make "=..." a formula and "#N/A" an error
    if text.startswith(FORMULA_STARTS):
        cell.quotePrefix = True
    return cell


Sheet = tuple[str, Sequence[str], Iterable[Sequence[Any]]]  # title, headers, rows


def _write(target: Any, title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """One sheet named after ``title`` into ``target`` (a file): a bold header row, then the
    rows, one at a time (write-only: openpyxl keeps none of them)."""
    _write_sheets(target, [(title, headers, rows)])


def _write_sheets(target: Any, sheets: Sequence[Sheet]) -> None:
    """Each (title, headers, rows) as a sheet of its own, in order, into ``target``."""
    workbook = Workbook(write_only=True)
    # Once per file: outside a request (a command, a benchmark) each look-up is a query, and a
    # file of 50,000 rows has 100,000 dates and amounts.
    formats = current_formats()
    for title, headers, rows in sheets:
        sheet = workbook.create_sheet(title=sheet_title(title))
        header_cells = []
        for header in headers:
            cell = _text_cell(sheet, header)
            cell.font = Font(bold=True)
            header_cells.append(cell)
        sheet.append(header_cells)
        for row in rows:
            sheet.append([_cell(sheet, value, formats) for value in row])
    workbook.save(target)


def xlsx_bytes(title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """One sheet named after ``title``: a bold header row, then the rows."""
    buffer = io.BytesIO()
    _write(buffer, title, headers, rows)
    return buffer.getvalue()


def xlsx_response(
    filename: str, title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]
) -> HttpResponse:
    """The rows as an .xlsx download named ``filename.xlsx``."""
    response = HttpResponse(xlsx_bytes(title, headers, rows), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def xlsx_file_response(
    filename: str, title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]
) -> FileResponse:
    """The rows as an .xlsx download, for lists of any length: the rows are read one at a
    time (give an iterator) and the file is written to a temporary file on disk, then sent
    from it in blocks, so memory stays flat however many rows there are."""
    spool = tempfile.TemporaryFile()  # noqa: SIM115 (the response closes it once sent)
    _write(spool, title, headers, rows)
    spool.seek(0)
    return FileResponse(spool, as_attachment=True, filename=f"{filename}.xlsx", content_type=XLSX)


def xlsx_sheets_response(filename: str, sheets: Sequence[Sheet]) -> FileResponse:
    """Several tables as one .xlsx download, a sheet each (title, headers, rows), written as
    ``xlsx_file_response`` writes one: through a temporary file, the rows read one at a time."""
    spool = tempfile.TemporaryFile()  # noqa: SIM115 (the response closes it once sent)
    _write_sheets(spool, sheets)
    spool.seek(0)
    return FileResponse(spool, as_attachment=True, filename=f"{filename}.xlsx", content_type=XLSX)
