"""The workspace's pure parts, one by one: the iCalendar writer, finding texts located in page
texts, the reflow of PDF lines, deadlines as of a day (DOMAIN.md §3), the chart geometry, the
session secret and the upload form's CSRF-first parsing."""

from __future__ import annotations

import re
import stat
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from service.settings import Settings
from service.storage.models import Contract
from service.web import charts, ics
from service.web.data import deadlines_today
from service.web.highlight import Mark, locate_all, normalise, reflow, segments

# ---- iCalendar ---------------------------------------------------------------------------------


def _unfold(text: str) -> list[str]:
    return re.sub(r"\r\n[ \t]", "", text).split("\r\n")


def _unescape(value: str) -> str:
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def test_text_values_are_escaped_and_round_trip() -> None:
    raw = "Notice; 90 days, \\ back\nslash — “Payer”"
    escaped = ics.escape_text(raw)
    assert escaped == "Notice\\; 90 days\\, \\\\ back\\nslash — “Payer”"
    assert _unescape(escaped) == raw


def test_lines_are_folded_at_75_octets_without_splitting_a_character() -> None:
    line = "SUMMARY:" + "Vertragsänderung für Zahlungsfristen ✓ " * 6
    folded = ics.fold(line)
    assert folded.endswith("\r\n")
    physical = folded[:-2].split("\r\n")
    assert len(physical) > 3
    assert all(len(p.encode("utf-8")) <= 75 for p in physical)
    assert all(p.startswith(" ") for p in physical[1:])
    assert "".join([physical[0], *(p[1:] for p in physical[1:])]) == line
    assert ics.fold("SHORT:x") == "SHORT:x\r\n"


def test_a_calendar_parses_back_to_its_events() -> None:
    stamp = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
    events = [
        ics.CalendarEvent(
            uid=ics.uid("c1", "notice"),
            start=date(2026, 12, 17),
            end=date(2026, 12, 17),
            summary="Notice deadline: Acme, Inc. (Payer; West)",
            description="Last day.\nhttps://example/contracts/c1",
            url="https://example/contracts/c1",
            alarms_days_before=(30, 7),
        ),
        ics.CalendarEvent(
            uid=ics.uid("c1", "renegotiation"),
            start=date(2026, 5, 6),
            end=date(2026, 8, 4),
            summary="Renegotiation window: Acme",
            description="9 to 6 months before.",
        ),
    ]
    text = ics.calendar(events, name="deadlines, all", stamp=stamp)
    assert "\n" not in text.replace("\r\n", "")
    lines = _unfold(text)
    assert lines[:2] == ["BEGIN:VCALENDAR", "VERSION:2.0"] and lines[-2:] == ["END:VCALENDAR", ""]
    assert "X-WR-CALNAME:deadlines\\, all" in lines
    assert lines.count("BEGIN:VEVENT") == 2 and lines.count("BEGIN:VALARM") == 2
    assert "UID:c1-notice@payerlens" in lines and "UID:c1-renegotiation@payerlens" in lines
    assert "DTSTART;VALUE=DATE:20261217" in lines and "DTEND;VALUE=DATE:20261218" in lines
    assert "DTSTART;VALUE=DATE:20260506" in lines and "DTEND;VALUE=DATE:20260805" in lines
    assert lines.count("DTSTAMP:20261127T120000Z") == 2
    summary = next(v for v in lines if v.startswith("SUMMARY:Notice"))
    assert _unescape(summary[8:]) == "Notice deadline: Acme, Inc. (Payer; West)"
    assert [v for v in lines if v.startswith("TRIGGER")] == ["TRIGGER:-P30D", "TRIGGER:-P7D"]


# ---- findings in the page text ------------------------------------------------------------------


def test_normalise_keeps_a_map_back_to_the_text() -> None:
    text = "Pay-\nment  due “now”"
    norm, index = normalise(text)
    assert norm == 'Paymentdue"now"'
    assert [text[i] for i in index][:7] == list("Payment")


PAGES = {
    1: "Header line\n1. Payer may\namend this Agree-\nment at any time.\n"
    "Payer shall pay each clean claim within\n",
    2: "Running header\nthirty (30) days of receipt.\n2. Other text.",
    3: None,
}


def test_a_finding_is_found_whitespace_and_hyphens_aside() -> None:
    found = locate_all([Mark("a", 1, "Payer may amend this Agreement at any time.")], PAGES)
    (span,) = found["a"]
    assert PAGES[1] is not None
    assert PAGES[1][span.start : span.end] == "Payer may\namend this Agree-\nment at any time."
    assert span.first


def test_a_clause_over_a_page_break_is_found_in_two_parts() -> None:
    found = locate_all(
        [Mark("b", 1, "Payer shall pay each clean claim within thirty (30) days of receipt.")],
        PAGES,
    )
    first, second = found["b"]
    assert PAGES[1] is not None and PAGES[2] is not None
    assert (first.page, second.page) == (1, 2) and first.first and not second.first
    assert PAGES[1][first.start : first.end] == "Payer shall pay each clean claim within"
    assert PAGES[2][second.start : second.end] == "thirty (30) days of receipt."


def test_a_finding_that_is_not_there_is_left_out() -> None:
    marks = [
        Mark("c", 1, "Nothing like this is on the page at all."),
        Mark("d", 3, "A scanned page has no text."),
        Mark("e", 9, "No such page."),
        Mark("f", 1, ""),
    ]
    assert locate_all(marks, PAGES) == {}


def test_overlapping_findings_cut_the_text_into_segments() -> None:
    text = "aaa BBB ccc DDD eee"
    marks = [Mark("high", 1, "BBB ccc", 0), Mark("low", 1, "ccc DDD", 2)]
    located = locate_all(marks, {1: text})
    spans = [(fid, mark.rank, s) for mark in marks for fid, s in [(mark.id, located[mark.id][0])]]
    parts = segments(text, spans)
    assert "".join(p.text for p in parts) == text
    assert [(p.text, p.marks, p.starts) for p in parts] == [
        ("aaa ", (), ()),
        ("BBB ", ("high",), ("high",)),
        ("ccc", ("high", "low"), ("low",)),
        (" DDD", ("low",), ()),
        (" eee", (), ()),
    ]


def test_reflow_joins_wrapped_lines_and_keeps_offsets() -> None:
    long = "x" * 80
    text = "\n".join(
        [
            "Title",
            long + " the clause runs",
            "on to here.",
            "1. A numbered clause that is long enough to wrap around the margin of the page",
            "(a) its sub-clause starts a line of its own",
            "Article 2: HEADINGS stay",
        ]
    )
    flowed = reflow(text)
    assert len(flowed) == len(text)
    assert flowed.split("\n") == [
        "Title",
        long + " the clause runs on to here.",
        "1. A numbered clause that is long enough to wrap around the margin of the page",
        "(a) its sub-clause starts a line of its own",
        "Article 2: HEADINGS stay",
    ]
    assert reflow("one line") == "one line"


# ---- deadlines as of a day ----------------------------------------------------------------------


def _contract(**terms: object) -> Contract:
    return Contract(org_id="o", **terms)  # type: ignore[arg-type]


def test_deadlines_follow_domain_section_3_and_roll_past_a_missed_notice() -> None:
    """DOMAIN.md §3's worked example: effective 2024-03-01, 36 months, 12-month renewals,
    120 days' notice."""
    c = _contract(
        effective_date=date(2024, 3, 1),
        initial_term_months=36,
        auto_renews=True,
        renewal_term_months=12,
        notice_days=120,
        term_end=date(2027, 2, 28),
    )
    before = deadlines_today(c, date(2026, 1, 1))
    assert before.term_end == date(2027, 2, 28)
    assert before.notice_deadline == date(2026, 10, 31)
    assert (before.renegotiation_start, before.renegotiation_end) == (
        date(2026, 6, 3),
        date(2026, 9, 1),
    )
    assert before.missed_notice is None and not before.rolled_since_analysis
    missed = deadlines_today(c, date(2026, 11, 1))
    assert missed.term_end == date(2027, 2, 28), "the current term still runs"
    assert missed.missed_notice == date(2026, 10, 31)
    assert missed.decision_term_end == date(2028, 2, 29)
    assert missed.notice_deadline == date(2027, 11, 1)
    assert missed.renegotiation_start == date(2027, 6, 4)
    later = deadlines_today(c, date(2027, 3, 1))
    assert later.term_end == date(2028, 2, 29) and later.rolled_since_analysis


def test_a_contract_that_does_not_renew_keeps_its_passed_deadline() -> None:
    c = _contract(
        expiration_date=date(2026, 12, 31), auto_renews=False, notice_days=90, term_end=None
    )
    d = deadlines_today(c, date(2026, 11, 27))
    assert d.notice_deadline == date(2026, 10, 2) and d.missed_notice is None
    assert deadlines_today(_contract(), date(2026, 1, 1)).any is False


# ---- charts ------------------------------------------------------------------------------------


def test_the_matrix_counts_a_contract_in_each_of_its_product_lines() -> None:
    m = charts.matrix(
        [
            ("Acme", ["commercial_ppo", "exchange"], 3),
            ("Acme", ["commercial_ppo"], 2),
            (None, [], 1),
        ]
    )
    assert m.payers == ["(payer not found)", "Acme"]
    assert [line for line, _ in m.columns] == ["", "commercial_ppo", "exchange"]
    assert m.table == [("(payer not found)", [1, 0, 0]), ("Acme", [0, 5, 3])]
    assert m.max_count == 5 and len(m.cells) == 3
    assert charts.heat(0, 5) == "#f3f5f7" and charts.heat(5, 5) == "#8e1021"


def test_the_bar_chart_puts_the_most_high_severity_first() -> None:
    chart = charts.bar_chart({"a": {"low": 9}, "b": {"high": 1, "medium": 1}, "c": {"high": 2}})
    assert [r.category for r in chart.rows] == ["c", "b", "a"]
    assert [s.severity for s in chart.rows[1].segments] == ["high", "medium"]
    assert chart.rows[2].segments[0].width == pytest.approx(chart.bar_width)


def test_the_timeline_spans_its_dates_and_today() -> None:
    item = charts.TimelineItem(
        "c", "A contract", date(2027, 3, 1), (date(2026, 9, 1), date(2026, 12, 1)), date(2027, 6, 1)
    )
    t = charts.timeline([item], date(2026, 11, 27))
    row = t.rows[0]
    assert row.window is not None and row.notice_x is not None and row.term_end_x is not None
    assert t.label_width <= row.window[0] < t.today_x < row.notice_x < row.term_end_x
    assert row.term_end_x <= t.label_width + t.plot_width
    assert t.ticks[0][1] == "Sep 2026"


# ---- the session secret, the way back, the upload form -------------------------------------------


def test_the_session_secret_is_generated_once_and_kept_private(tmp_path: Path) -> None:
    from service.web.session import SECRET_FILE, session_secret

    settings = Settings(data_dir=tmp_path / "data")
    first = session_secret(settings)
    path = settings.data_dir / SECRET_FILE
    assert len(first) == 64 and path.read_text().strip().encode() == first
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert session_secret(Settings(data_dir=tmp_path / "data")) == first
    assert session_secret(settings.with_(session_secret="from-env")) == b"from-env"
    env = Settings.from_env({"PAYERLENS_SESSION_SECRET": "s3", "PAYERLENS_DATA_DIR": "x"})
    assert env.session_secret == "s3" and "s3" not in repr(env)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("/contracts/abc?x=1", "/contracts/abc?x=1"),
        ("//evil.example", "/contracts"),
        ("/\\evil.example", "/contracts"),
        ("https://evil.example/", "/contracts"),
        ("", "/contracts"),
        (None, "/contracts"),
    ],
)
def test_only_a_path_of_this_site_is_a_place_to_return_to(raw: str | None, expected: str) -> None:
    from service.web.routes import safe_next

    assert safe_next(raw) == expected


def _multipart(parts: list[tuple[str, bytes, str | None]], boundary: bytes) -> bytes:
    body = b""
    for name, data, filename in parts:
        disposition = f'form-data; name="{name}"'
        if filename:
            disposition += f'; filename="{filename}"'
        body += b"--" + boundary + b"\r\nContent-Disposition: " + disposition.encode()
        body += b"\r\n\r\n" + data + b"\r\n"
    return body + b"--" + boundary + b"--\r\n"


def test_the_upload_form_wants_its_token_before_the_file(tmp_path: Path) -> None:
    from service.storage.blobs import BlobStore
    from service.web.session import WebError
    from service.web.upload import receive_form

    settings = Settings(data_dir=tmp_path / "data")
    blobs = BlobStore(settings.blob_dir, settings.upload_dir)
    boundary = b"xyz"

    def receive(parts: list[tuple[str, bytes, str | None]], header: bool = False) -> object:
        return receive_form(
            [_multipart(parts, boundary)],
            boundary,
            blobs,
            settings,
            token_ok=lambda t: t == "good",
            header_checked=header,
        )

    file_part = ("file", b"%PDF-1.4 ...", "a.pdf")
    ok = receive([("csrf_token", b"good", None), file_part])
    assert getattr(ok, "filename", None) == "a.pdf"
    for parts in (
        [file_part, ("csrf_token", b"good", None)],  # too late: the file came first
        [("csrf_token", b"bad", None), file_part],
        [file_part],
    ):
        with pytest.raises(WebError) as refused:
            receive(parts)
        assert refused.value.status == 403
    assert getattr(receive([file_part], header=True), "filename", None) == "a.pdf"
    spooled = sorted(p.name for p in settings.upload_dir.rglob("*") if p.is_file())
    assert len(spooled) == 2, "only the accepted uploads were kept in the spool"
