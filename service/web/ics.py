"""The deadlines as an iCalendar file (RFC 5545), written with the standard library.

One all-day VEVENT per notice deadline (with reminders 30 and 7 days before, DOMAIN.md §3's
alerts) and one per renegotiation window (spanning the window). UIDs are the contract id and
the kind, so importing the file again updates the events instead of duplicating them. Lines
end in CRLF and are folded at 75 octets without splitting a UTF-8 character; text values are
escaped (backslash, semicolon, comma, newline).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

PRODID = "-//payerlens//contract deadlines//EN"
UID_DOMAIN = "payerlens"
MAX_OCTETS = 75
NOTICE_ALARMS_DAYS = (30, 7)


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    start: date
    end: date  # inclusive: the last day of the event
    summary: str
    description: str
    url: str | None = None
    alarms_days_before: tuple[int, ...] = ()
    categories: tuple[str, ...] = ()


def escape_text(value: str) -> str:
    """TEXT value escaping (RFC 5545 §3.3.11)."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """A content line folded at 75 octets (continuations start with one space), never
    inside a UTF-8 sequence; CRLF-terminated."""
    out: list[str] = []
    current = ""
    size = 0
    limit = MAX_OCTETS
    for ch in line:
        width = len(ch.encode("utf-8"))
        if size + width > limit:
            out.append(current)
            current, size = " ", 1  # the leading space counts towards the next line
        current += ch
        size += width
    out.append(current)
    return "\r\n".join(out) + "\r\n"


def _date(value: date) -> str:
    return value.strftime("%Y%m%d")


def _stamp(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def event_lines(event: CalendarEvent, stamp: datetime) -> list[str]:
    lines = [
        "BEGIN:VEVENT",
        f"UID:{escape_text(event.uid)}",
        f"DTSTAMP:{_stamp(stamp)}",
        f"DTSTART;VALUE=DATE:{_date(event.start)}",
        # DTEND of an all-day event is exclusive: the day after the last day.
        f"DTEND;VALUE=DATE:{_date(event.end + timedelta(days=1))}",
        f"SUMMARY:{escape_text(event.summary)}",
        f"DESCRIPTION:{escape_text(event.description)}",
        "TRANSP:TRANSPARENT",
    ]
    if event.categories:
        lines.append("CATEGORIES:" + ",".join(escape_text(c) for c in event.categories))
    if event.url:
        lines.append(f"URL:{event.url}")
    for days in event.alarms_days_before:
        lines += [
            "BEGIN:VALARM",
            "ACTION:DISPLAY",
            f"DESCRIPTION:{escape_text(f'In {days} days: {event.summary}')}",
            f"TRIGGER:-P{days}D",
            "END:VALARM",
        ]
    lines.append("END:VEVENT")
    return lines


def calendar(events: Iterable[CalendarEvent], *, name: str, stamp: datetime) -> str:
    """The whole VCALENDAR; ``stamp`` is every event's DTSTAMP (when the file was made)."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    for event in events:
        lines += event_lines(event, stamp)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) for line in lines)


def uid(contract_id: str, kind: str) -> str:
    return f"{contract_id}-{kind}@{UID_DOMAIN}"
