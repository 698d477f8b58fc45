"""Exports never hand a spreadsheet a formula that a user typed (CSV / formula injection)."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from clients.tests.factories import CompanyFactory
from core.exports import csv_response, csv_safe, export_response, xlsx_response

HYPERLINK = '=HYPERLINK("http://x","a")'
DANGEROUS = [HYPERLINK, "+51 999", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"]


def _csv_rows(response):
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def _xlsx_cells(response):
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows()]


@pytest.mark.parametrize("value", DANGEROUS)
def test_a_value_that_starts_like_a_formula_is_quoted_in_the_csv(value):
    rows = _csv_rows(csv_response(filename="x", headers=["Name"], rows=[[value]]))
    assert rows[1] == ["'" + value]


@pytest.mark.parametrize("value", DANGEROUS)
def test_a_value_that_starts_like_a_formula_is_a_text_cell_in_the_xlsx(value):
    cells = _xlsx_cells(xlsx_response(filename="x", headers=["Name"], rows=[[value]]))
    assert cells[1][0].data_type == "s"
    # XML itself turns a carriage return into a line feed; the text is otherwise kept as typed.
    assert cells[1][0].value == value.replace("\r", "\n")


def test_numbers_dates_and_plain_text_keep_their_type_in_both_formats():
    row = [Decimal("-12.50"), -3, 0, datetime.date(2026, 1, 2), "Panadería", None]
    cells = _xlsx_cells(xlsx_response(filename="x", headers=list("abcdef"), rows=[row]))[1]
    assert cells[0].value == Decimal("-12.50") or cells[0].value == -12.5
    assert cells[0].data_type == "n"
    assert (cells[1].value, cells[1].data_type) == (-3, "n")
    assert (cells[2].value, cells[2].data_type) == (0, "n")
    assert cells[3].is_date
    assert (cells[4].value, cells[4].data_type) == ("Panadería", "s")
    assert cells[5].value is None
    csv_row = _csv_rows(csv_response(filename="x", headers=list("abcdef"), rows=[row]))[1]
    assert csv_row == ["-12.50", "-3", "0", "2026-01-02", "Panadería", ""]


def test_a_header_that_looks_like_a_formula_is_text_too():
    assert _csv_rows(export_response("csv", filename="x", headers=["=1+1"], rows=[]))[0] == ["'=1+1"]
    assert _xlsx_cells(export_response("xlsx", filename="x", headers=["=1+1"], rows=[]))[0][0].data_type == "s"


def test_csv_safe_leaves_a_negative_number_alone_but_quotes_a_negative_looking_text():
    assert csv_safe(Decimal("-5")) == Decimal("-5")
    assert csv_safe("-5") == "'-5"
    assert csv_safe(None) == ""


def test_a_company_named_like_a_formula_downloads_as_text_from_the_company_list(client_for, promoter, lima):
    CompanyFactory(centre=lima, legal_name=HYPERLINK)
    client = client_for(promoter)
    csv_rows = _csv_rows(client.get(reverse("clients:company_list"), {"export": "csv"}))
    assert csv_rows[1][0] == "'" + HYPERLINK
    cells = _xlsx_cells(client.get(reverse("clients:company_list"), {"export": "xlsx"}))
    assert (cells[1][0].value, cells[1][0].data_type) == (HYPERLINK, "s")
