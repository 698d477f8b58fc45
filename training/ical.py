"""The public calendar as an iCalendar feed (RFC 5545), written by hand: one event per session."""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

UTC = datetime.UTC


def _escape(text: str) -> str:
    return (
        str(text)
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space."""
    raw = line.encode("utf-8")
    if len(raw) <= 75:
        return line
    parts, current = [], b""
    for char in line:
        encoded = char.encode("utf-8")
        if len(current) + len(encoded) > (75 if not parts else 74):
            parts.append(current.decode("utf-8"))
            current = b""
        current += encoded
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


def _utc(date: datetime.date, time: datetime.time, zone) -> str:
    moment = datetime.datetime.combine(date, time, tzinfo=zone).astimezone(UTC)
    return moment.strftime("%Y%m%dT%H%M%SZ")


def calendar_feed(sessions, *, host: str) -> str:
    zone = ZoneInfo(settings.TIME_ZONE)
    stamp = timezone.now().astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//CAT//Cursos//ES",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:Cursos CAT",
        f"X-WR-TIMEZONE:{settings.TIME_ZONE}",
    ]
    for session in sessions:
        offering = session.offering
        venue = offering.venue if offering.venue_kind == "outside" else offering.centre.name
        summary = offering.module.name
        if session.topic:
            summary = f"{summary}: {session.topic}"
        lines += [
            "BEGIN:VEVENT",
            f"UID:session-{session.pk}@{host.split(':')[0]}",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{_utc(session.date, session.start_time, zone)}",
            f"DTEND:{_utc(session.date, session.end_time, zone)}",
            f"SUMMARY:{_escape(summary)}",
            f"LOCATION:{_escape(venue)}",
            f"DESCRIPTION:{_escape(f'{offering.code} · {offering.centre.name}')}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
