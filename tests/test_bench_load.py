"""The load test of `make bench` (bench/load.py): reading Locust's CSV files, the rule that fails the bench,
and what the scenario reads from pages. Pure functions: no server, no Locust."""

import importlib.util
from pathlib import Path

import pytest

_spec = importlib.util.spec_from_file_location("bench_load", Path(__file__).resolve().parent.parent / "bench/load.py")
load = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(load)

# As Locust 2.47 writes them (a run against the demo data, shortened).
STATS = """\
Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,Min Response Time,\
Max Response Time,Average Content Size,Requests/s,Failures/s,50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%
GET,companies,10,0,360,359.00,81.79,800.95,31745.0,0.5225476745653977,0.0,360,500,630,740,800,800,800,800,800,800,800
POST,consultation save,13,2,170,180.2,90.1,410.3,0.0,0.68,0.1,170,220,220,250,260,410,410,410,410,410,410
GET,expediente,0,0,0,0,0,0,0,0.0,0.0,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A
,Aggregated,23,2,190,596.69,19.54,7397.36,14059.61,9.876151049286017,0.1,190,270,340,440,720,5700,6500,6900,7400,7400,7400
"""
FAILURES = """\
Method,Name,Error,Occurrences,First Seen,Last Seen
POST,consultation save,CatchResponseError('the consultation was not saved (status 200: Write the question.)'),2,\
2026-12-04T23:28:28Z,2026-12-04T23:28:29Z
"""
EXCEPTIONS = """\
Count,Message,Traceback,Nodes
3,KeyError('results'),"Traceback (most recent call last): ...",local
"""


def _result(**changes) -> dict:
    rows, total = load.parse_stats(STATS)
    for row in [*rows, total]:
        row["failures"] = 0
    return {"users": 12, "spawn_rate": 4, "seconds": 45, "returncode": 0, "rows": rows, "total": total,
            "failures": [], "exceptions": [], **changes}  # fmt: skip


def test_the_stats_csv_gives_one_row_per_page_and_the_total():
    rows, total = load.parse_stats(STATS)
    assert [(r["page"], r["method"]) for r in rows] == [
        ("companies", "GET"),
        ("consultation save", "POST"),
        ("expediente", "GET"),
    ]
    assert rows[0] == {
        "page": "companies", "method": "GET", "requests": 10, "failures": 0, "p50": 360.0, "p95": 800.0, "rps": 0.52,
    }  # fmt: skip
    assert rows[1]["failures"] == 2 and rows[1]["p95"] == 410.0
    # A page with no request yet has no percentiles ("N/A"), not a zero.
    assert rows[2]["p50"] is None and rows[2]["p95"] is None
    assert total["page"] == "Aggregated" and total["requests"] == 23 and total["failures"] == 2
    assert total["p95"] == 5700.0 and total["rps"] == 9.88


def test_the_failures_and_exceptions_csv():
    assert load.parse_failures(FAILURES) == [
        {
            "method": "POST",
            "page": "consultation save",
            "error": "CatchResponseError('the consultation was not saved (status 200: Write the question.)')",
            "occurrences": 2,
        }
    ]
    assert load.parse_exceptions(EXCEPTIONS) == [{"count": 3, "message": "KeyError('results')"}]


def test_a_run_without_failures_passes():
    assert load.problems(_result()) == []


def test_any_failed_request_fails_the_bench_naming_the_page_and_the_error():
    rows, total = load.parse_stats(STATS)
    found = load.problems(_result(rows=rows, total=total, failures=load.parse_failures(FAILURES), returncode=1))
    assert len(found) == 1
    assert "2 of 13 requests to consultation save failed" in found[0]
    assert "Write the question." in found[0] and "(2x)" in found[0]


def test_failures_counted_only_in_the_total_still_fail():
    result = _result()
    result["total"]["failures"] = 1
    assert load.problems(result) == ["load: 1 of 23 requests failed"]


def test_an_exception_in_the_scenario_fails_the_bench():
    found = load.problems(_result(exceptions=load.parse_exceptions(EXCEPTIONS)))
    assert found == ["load: the scenario raised KeyError('results') (3x)"]


def test_no_request_no_statistics_a_timeout_or_a_bad_exit_fail_the_bench():
    result = _result()
    result["total"]["requests"] = 0
    assert load.problems(result) == ["load: no request was made"]
    assert load.problems({"returncode": 2}) == ["load: Locust wrote no statistics (exit status 2)"]
    assert load.problems({"error": "Locust did not stop within 115 s and was killed"}) == [
        "load: Locust did not stop within 115 s and was killed"
    ]
    assert load.problems(_result(returncode=2)) == ["load: Locust exited with status 2"]


def test_the_markdown_records_requests_errors_and_each_pages_p50_and_p95():
    text = "\n".join(load.markdown(_result(), workers=3))
    assert "## Load (Locust)" in text and "12 simulated people" in text and "45 s" in text
    assert "- requests: 23" in text and "- errors: 0" in text
    assert "| companies | GET | 10 | 0 | 360 | 800 | 0.52 |" in text
    assert "| expediente | GET | 0 | 0 | - | - | 0.0 |" in text
    assert "No request failed." in text
    failed = "\n".join(load.markdown({"users": 1, "spawn_rate": 1, "seconds": 5, "error": "cannot start"}, 3))
    assert "Not measured: cannot start." in failed


def test_the_knobs_bound_users_and_time_and_zero_seconds_turns_the_run_off():
    assert load.knobs({}) == {"users": 12, "spawn_rate": 4, "seconds": 45, "workers": 3}
    assert load.knobs({"BENCH_LOAD_USERS": "30", "BENCH_LOAD_SECONDS": "0"})["seconds"] == 0
    assert load.knobs({"BENCH_LOAD_USERS": "0"})["users"] == 1
    with pytest.raises(SystemExit):
        load.knobs({"BENCH_LOAD_USERS": "many"})


def test_locust_runs_headless_bounded_and_is_killed_past_its_time(tmp_path):
    command = load.command(
        host="http://127.0.0.1:8123", csv_prefix=tmp_path / "locust", users=7, spawn_rate=2, seconds=30
    )
    joined = " ".join(command)
    assert "--headless" in command and "--only-summary" in command
    assert "--users 7" in joined and "--spawn-rate 2" in joined and "--run-time 30s" in joined
    assert "--host http://127.0.0.1:8123" in joined and f"--csv {tmp_path / 'locust'}" in joined
    assert f"--stop-timeout {load.STOP_TIMEOUT_S}" in joined
    assert 30 < load.hard_timeout(30) <= 30 + 120
    with pytest.raises(ValueError, match="loopback"):
        load.run(host="http://example.org", out_dir=tmp_path, users=1, spawn_rate=1, seconds=1)


DESK_PAGE = """
<form method="post" action="/accounts/logout/"><input type="hidden" name="csrfmiddlewaretoken" value="tok"></form>
<form method="post" id="desk-form" novalidate>
  <input type="hidden" name="csrfmiddlewaretoken" value="tok">
  <input type="hidden" name="started_at" value="2026-12-04 18:24:31">
  <input type="hidden" name="company" id="id_company">
  <input type="search" name="client_search">
  <select name="topic"><option value="1">Registro sanitario</option><option value="2">Costos</option></select>
  <select name="channel"><option value="phone">Phone</option><option value="visit" selected>Visit</option></select>
  <select name="referral"><option value="" selected>No referral</option><option value="training">Course</option>
  </select>
  <select name="suppliers" multiple><option value="4">Envases SAC</option></select>
  <textarea name="question">
¿Qué pide DIGESA?</textarea>
  <input type="checkbox" name="urgent">
  <input type="checkbox" name="follow_up" checked>
  <input type="text" name="ignored" disabled value="x">
  <button type="submit" name="save">Guardar</button>
</form>
"""


def test_a_form_is_read_as_a_browser_submits_it():
    fields = load.form_fields(DESK_PAGE, form_id="desk-form")
    assert fields == {
        "csrfmiddlewaretoken": ["tok"],
        "started_at": ["2026-12-04 18:24:31"],
        "company": [""],
        "client_search": [""],
        "topic": ["1"],  # no option selected: the first one
        "channel": ["visit"],
        "referral": [""],
        "question": ["¿Qué pide DIGESA?"],
        "follow_up": ["on"],
    }
    login = '<form method="post"><input name="csrfmiddlewaretoken" value="t"><input name="username"></form>'
    assert load.form_fields(login, with_field="username") == {"csrfmiddlewaretoken": ["t"], "username": [""]}
    assert load.form_fields(DESK_PAGE, form_id="no-such-form") is None


def test_linked_ids_and_form_errors():
    page = (
        '<a href="/clients/companies/12/">A</a> <a href="/clients/companies/12/">A again</a> '
        '<a href="/clients/companies/7/">B</a> <a href="/clients/companies/7/edit/">edit</a> '
        '<a href="/clients/diagnoses/3/">diagnosis</a>'
    )
    assert load.linked_ids(page, "/clients/companies/") == [12, 7]
    assert load.linked_ids(page, "/clients/diagnoses/") == [3]
    refused = (
        '<div id="id_question_error" class="invalid-feedback">\n  <p id="error_1_id_question">'
        "<strong>Este campo es requerido.</strong></p></div>"
        '<div class="alert alert-block alert-danger"><ul class="m-0"><li>Say who asked.</li></ul></div>'
    )
    assert load.form_errors(refused) == ["Este campo es requerido.", "Say who asked."]
