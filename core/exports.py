"""CSV and XLSX downloads of a list, streamed row by row so a large export does not fill memory."""

import csv
import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class _Echo:
    def write(self, value):
        return value


def csv_response(*, filename: str, headers: Sequence[str], rows: Iterable[Sequence]) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def stream():
        # A BOM so that Excel opens the accents right.
        yield "\ufeff"
        yield writer.writerow([str(h) for h in headers])
        for row in rows:
            yield writer.writerow(["" if v is None else v for v in row])

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}-{timezone.localdate():%Y%m%d}.csv"'
    return response


def xlsx_response(*, filename: str, headers: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=filename[:31])
    sheet.append([str(h) for h in headers])
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}-{timezone.localdate():%Y%m%d}.xlsx"'
    return response


def export_response(fmt: str, *, filename: str, headers: Sequence[str], rows: Iterable[Sequence]):
    if fmt == "xlsx":
        return xlsx_response(filename=filename, headers=headers, rows=rows)
    return csv_response(filename=filename, headers=headers, rows=rows)
