"""Audit history pages: who changed what and when, for any model tracked by django-simple-history."""

from django.shortcuts import render


def history_rows(obj, limit: int = 100) -> list[dict]:
    """The last changes of a record, each with the fields that changed from the version before."""
    records = list(obj.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    rows = []
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes = []
        if previous is not None:
            delta = record.diff_against(previous)
            for change in delta.changes:
                field = obj._meta.get_field(change.field)
                changes.append({"field": field.verbose_name, "old": change.old, "new": change.new})
        rows.append({"record": record, "changes": changes})
    return rows


def render_history(request, obj, *, back_url: str, title: str):
    return render(
        request,
        "core/history.html",
        {"object": obj, "rows": history_rows(obj), "back_url": back_url, "title": title},
    )
