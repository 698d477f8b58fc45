"""CSV and XLSX downloads of a list, streamed row by row so a large export does not fill memory.

Every value a user typed may start with a character a spreadsheet reads as the start of a
formula (a company named ``=HYPERLINK("http://x","a")``). Both formats write such values as
text: the CSV prefixes them with a single quote (OWASP's CSV-injection advice), the XLSX stores
them as a string cell. Numbers, dates and money stay what they are, negative ones included.
"""

import csv
import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.functional import Promise

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# What Excel, LibreOffice and Google Sheets take as the start of a formula (OWASP).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value) -> bool:
    """True for a text that a spreadsheet would evaluate instead of showing."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def csv_safe(value):
    """The value as it must go into a CSV cell: formula-like text is quoted, the rest unchanged."""
    if value is None:
        return ""
    if isinstance(value, Promise):
        value = str(value)
    if is_formula_like(value):
        return "'" + value
    return value


def xlsx_cell(sheet, value):
    """The value as it must go into a write-only XLSX row: formula-like text becomes a string cell.

    openpyxl stores any text that starts with "=" as a formula; the cell's type is forced back to
    text so the spreadsheet shows it and never runs it.
    """
    if isinstance(value, Promise):
        value = str(value)
    if not is_formula_like(value):
        # Plain text is already a string cell; only what openpyxl would read as a formula needs help.
        return value
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    return cell


class _Echo:
    def write(self, value):
        return value


def csv_response(*, filename: str, headers: Sequence[str], rows: Iterable[Sequence]) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def stream():
        # A BOM so that Excel opens the accents right.
        yield "\ufeff"
        yield writer.writerow([csv_safe(str(h)) for h in headers])
        for row in rows:
            yield writer.writerow([csv_safe(v) for v in row])

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}-{timezone.localdate():%Y%m%d}.csv"'
    return response


def xlsx_response(*, filename: str, headers: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=filename[:31])
    sheet.append([xlsx_cell(sheet, str(h)) for h in headers])
    for row in rows:
        sheet.append([xlsx_cell(sheet, v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}-{timezone.localdate():%Y%m%d}.xlsx"'
    return response


def export_response(fmt: str, *, filename: str, headers: Sequence[str], rows: Iterable[Sequence]):
    if fmt == "xlsx":
        return xlsx_response(filename=filename, headers=headers, rows=rows)
    return csv_response(filename=filename, headers=headers, rows=rows)
