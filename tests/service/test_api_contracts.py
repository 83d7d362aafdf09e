"""Reading contracts: the list's filters and pagination, one contract's key terms, deadlines,
documents and counts, its schema-v1 analysis, findings, rates (JSON and the CLI's CSV) and text
with page references. On the shared ``api_world`` (organisation A: anesthesia and
behavioral-health samples)."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta
from typing import Any

import pytest

from service.api.schemas import AnalysisV1
from service.rates_csv import RATE_COLUMNS

API = "/api/v1"


def _get(world: Any, path: str, role: str = "viewer", **params: Any) -> Any:
    response = world.harness.client.get(API + path, params=params, headers=world.a[role].headers)
    assert response.status_code == 200, response.text
    return response.json()


def _ids(world: Any, **params: Any) -> set[str]:
    return {c["id"] for c in _get(world, "/contracts", **params)["items"]}


@pytest.fixture(scope="module")
def anesthesia(api_world: Any) -> dict[str, Any]:
    return _get(api_world, f"/contracts/{api_world.contracts['a.anesthesia']}")


@pytest.fixture(scope="module")
def behavioral(api_world: Any) -> dict[str, Any]:
    return _get(api_world, f"/contracts/{api_world.contracts['a.behavioral']}")


def _findings(world: Any, contract: str, **params: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = _get(world, f"/contracts/{contract}/findings", **params)["items"]
    return items


def test_payer_filter_is_case_insensitive_and_literal(
    api_world: Any, anesthesia: dict[str, Any], behavioral: dict[str, Any]
) -> None:
    both = {anesthesia["id"], behavioral["id"]}
    assert anesthesia["key_terms"]["payer"] == "Great Lakes Mutual Health Company"
    assert _ids(api_world, payer="great LAKES") == {anesthesia["id"]}
    assert _ids(api_world, payer="mutual health") == both
    assert _ids(api_world, payer="%") == set()  # wildcards are literal
    assert _ids(api_world, payer="Great_Lakes") == set()


def test_product_line_filter_matches_whole_values(
    api_world: Any, anesthesia: dict[str, Any], behavioral: dict[str, Any]
) -> None:
    assert "workers_comp" in anesthesia["key_terms"]["product_lines"]
    assert _ids(api_world, product_line="workers_comp") == {anesthesia["id"]}
    assert _ids(api_world, product_line="commercial_ppo") == {anesthesia["id"], behavioral["id"]}
    assert _ids(api_world, product_line="commercial") == set()
    assert _ids(api_world, product_line="commercial_pp_") == set()


def test_finding_filters_select_contracts_with_a_matching_current_finding(
    api_world: Any, anesthesia: dict[str, Any], behavioral: dict[str, Any]
) -> None:
    a_findings = _findings(api_world, anesthesia["id"])
    b_findings = _findings(api_world, behavioral["id"])
    only_a = sorted({f["category"] for f in a_findings} - {f["category"] for f in b_findings})
    assert only_a, "the samples differ in some category"
    assert _ids(api_world, category=only_a[0]) == {anesthesia["id"]}
    severities = {f["severity"] for f in a_findings if f["category"] == only_a[0]}
    absent = ({"high", "medium", "low"} - severities) or None
    if absent:  # category AND severity: one finding must have both
        assert _ids(api_world, category=only_a[0], severity=sorted(absent)[0]) == set()
    for severity in ("high", "medium", "low"):
        expected = {
            c
            for c, found in ((anesthesia["id"], a_findings), (behavioral["id"], b_findings))
            if any(f["severity"] == severity for f in found)
        }
        assert _ids(api_world, severity=severity) == expected


def test_review_state_filter_follows_reviews(
    api_world: Any, anesthesia: dict[str, Any], behavioral: dict[str, Any]
) -> None:
    target = _findings(api_world, behavioral["id"], severity="low")[0]
    response = api_world.harness.client.post(
        f"{API}/findings/{target['id']}/reviews",
        headers=api_world.a["finance"].headers,
        json={"decision": "dismiss"},
    )
    assert response.status_code == 201
    assert behavioral["id"] in _ids(api_world, review_state="dismiss")
    assert behavioral["id"] in _ids(api_world, review_state="dismiss", severity="low")
    for state in ("open", "accept", "dismiss", "needs_negotiation"):
        expected = {
            c
            for c in (anesthesia["id"], behavioral["id"])
            if any(f["review_state"] == state for f in _findings(api_world, c))
        }
        assert _ids(api_world, review_state=state) == expected, state
    dismissed = _findings(api_world, behavioral["id"], review_state="dismiss")
    assert target["id"] in {f["id"] for f in dismissed}


def test_deadline_filters_are_exclusive_dates(
    api_world: Any, anesthesia: dict[str, Any], behavioral: dict[str, Any]
) -> None:
    notice = date.fromisoformat(anesthesia["deadlines"]["notice_deadline"])
    term_end = date.fromisoformat(anesthesia["deadlines"]["term_end"])
    assert behavioral["deadlines"]["notice_deadline"] is None  # never matches a "before"
    day = timedelta(days=1)
    assert _ids(api_world, notice_deadline_before=(notice + day).isoformat()) == {anesthesia["id"]}
    assert _ids(api_world, notice_deadline_before=notice.isoformat()) == set()
    assert _ids(api_world, renewal_before=(term_end + day).isoformat()) == {anesthesia["id"]}
    assert _ids(api_world, renewal_before=term_end.isoformat()) == set()
    assert notice < term_end and anesthesia["key_terms"]["notice_days"] == (term_end - notice).days


def test_pagination_and_sorting(
    api_world: Any, anesthesia: dict[str, Any], behavioral: dict[str, Any]
) -> None:
    pages = [_get(api_world, "/contracts", limit=1, offset=n, sort="payer") for n in (0, 1, 2)]
    assert [p["total"] for p in pages] == [2, 2, 2]
    assert [p["limit"] for p in pages] == [1, 1, 1] and [p["offset"] for p in pages] == [0, 1, 2]
    assert [[c["id"] for c in p["items"]] for p in pages] == [
        [behavioral["id"]],  # Coastal before Great Lakes
        [anesthesia["id"]],
        [],
    ]
    by_notice = _get(api_world, "/contracts", sort="notice_deadline")["items"]
    assert [c["id"] for c in by_notice] == [anesthesia["id"], behavioral["id"]]  # unknown last


def test_list_items_carry_open_high_counts(api_world: Any, anesthesia: dict[str, Any]) -> None:
    item = next(c for c in _get(api_world, "/contracts")["items"] if c["id"] == anesthesia["id"])
    findings = _findings(api_world, anesthesia["id"])
    assert item["findings"]["total"] == len(findings)
    assert item["findings"]["open_high"] == sum(
        f["severity"] == "high" and f["review_state"] == "open" for f in findings
    )
    assert sum(item["findings"]["by_severity"].values()) == len(findings)
    assert item["notice_deadline"] == anesthesia["deadlines"]["notice_deadline"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": 101}, "limit"),
        ({"limit": 0}, "limit"),
        ({"offset": -1}, "offset"),
        ({"severity": "urgent"}, "severity"),
        ({"review_state": "maybe"}, "review_state"),
        ({"notice_deadline_before": "next week"}, "notice_deadline_before"),
        ({"category": "Not A Category"}, "category"),
        ({"sort": "id"}, "sort"),
    ],
)
def test_bad_list_parameters_are_named(api_world: Any, params: dict[str, Any], field: str) -> None:
    response = api_world.harness.client.get(
        f"{API}/contracts", params=params, headers=api_world.a["viewer"].headers
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "request.invalid" and f"query.{field}" in error["message"]


def test_a_contract_has_key_terms_deadlines_documents_and_counts(
    api_world: Any, anesthesia: dict[str, Any]
) -> None:
    analysis = _get(api_world, f"/contracts/{anesthesia['id']}/analysis")
    terms = anesthesia["key_terms"]
    for name in ("title", "payer", "provider", "effective_date", "product_lines"):
        assert terms[name] == analysis["contract"][name], name
    assert terms["auto_renews"] is True and terms["notice_days"] == 45
    deadlines = anesthesia["deadlines"]
    assert deadlines["renegotiation_start"] < deadlines["renegotiation_end"]
    [document] = anesthesia["documents"]
    assert document["id"] == api_world.documents["a.anesthesia"]
    assert document["version"] == 1 and document["current"] is True
    assert document["sha256"] == analysis["source"]["sha256"]
    assert document["pages"] == analysis["source"]["pages"]
    assert anesthesia["findings"]["total"] == len(analysis["findings"])
    assert anesthesia["rates"] == len(analysis["rates"])
    run = anesthesia["current_run"]
    assert run["document_id"] == document["id"] and run["ruleset_version"].startswith("rules-")


def test_renewal_terms_have_page_references(api_world: Any, anesthesia: dict[str, Any]) -> None:
    sources = {s["term"]: s for s in anesthesia["key_terms"]["sources"]}
    assert {"auto_renews", "notice_days"} <= set(sources)
    finding = _get(api_world, f"/findings/{sources['notice_days']['finding_id']}")
    assert finding["category"] == "evergreen_renewal"
    assert finding["fields"]["notice_days"] == anesthesia["key_terms"]["notice_days"]
    assert (finding["page"], finding["section"]) == (
        sources["notice_days"]["page"],
        sources["notice_days"]["section"],
    )


def test_the_analysis_is_the_stored_schema_v1_object(
    api_world: Any, anesthesia: dict[str, Any]
) -> None:
    analysis = _get(api_world, f"/contracts/{anesthesia['id']}/analysis")
    AnalysisV1.model_validate(analysis)
    assert analysis["schema_version"] == 1
    assert analysis["source"]["path"] == "anesthesia_group_agreement.pdf"
    findings = _findings(api_world, anesthesia["id"])
    keys = ("category", "severity", "page", "section", "text", "rule_id", "explanation")
    assert [tuple(f[k] for k in keys) for f in findings] == [
        tuple(f[k] for k in keys) for f in analysis["findings"]
    ], "findings in document order, as the analysis lists them"
    rates = _get(api_world, f"/contracts/{anesthesia['id']}/rates")
    assert rates["total"] == len(analysis["rates"])
    assert [{k: v for k, v in r.items() if k != "id"} for r in rates["items"]] == analysis["rates"]


def test_rates_as_csv_are_the_cli_columns_and_values(
    api_world: Any, behavioral: dict[str, Any], analyzer: Any
) -> None:
    """The same lines `payerlens rates --csv` prints for the file (the CLI's own function,
    on the session's analyzer, which is the CLI's default configuration)."""
    from service.cli import rate_csv_row
    from service.rates_csv import write_csv
    from tests.conftest import SAMPLES

    response = api_world.harness.client.get(
        f"{API}/contracts/{behavioral['id']}/rates",
        params={"format": "csv"},
        headers=api_world.a["viewer"].headers,
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(response.text)))
    assert tuple(rows[0]) == RATE_COLUMNS and len(rows) == behavioral["rates"] + 1
    name = "behavioral_health_services_agreement.pdf"
    result = analyzer.analyze_path(SAMPLES / name)
    assert response.text == write_csv(rate_csv_row(name, r) for r in result.rates)


def _squash(text: str) -> str:
    return re.sub(r"\W+", "", text).lower()


def test_text_is_given_by_page_and_findings_are_on_their_pages(
    api_world: Any, anesthesia: dict[str, Any]
) -> None:
    contract = anesthesia["id"]
    whole = _get(api_world, f"/contracts/{contract}/text", limit=100)
    pages = anesthesia["documents"][0]["pages"]
    assert whole["pages"] == pages and [p["page"] for p in whole["items"]] == list(
        range(1, pages + 1)
    )
    assert whole["document_id"] == anesthesia["documents"][0]["id"]
    assert not any(p["ocr"] for p in whole["items"])
    text = {p["page"]: _squash(p["text"]) for p in whole["items"]}
    for finding in _findings(api_world, contract)[:10]:
        assert _squash(finding["text"])[:60] in text[finding["page"]], finding["text"][:80]

    one = _get(api_world, f"/contracts/{contract}/text", page=2)
    assert [p["page"] for p in one["items"]] == [2] and one["items"][0] == whole["items"][1]
    window = _get(api_world, f"/contracts/{contract}/text", offset=1, limit=2)
    assert [p["page"] for p in window["items"]] == [2, 3]
    beyond = api_world.harness.client.get(
        f"{API}/contracts/{contract}/text",
        params={"page": pages + 1},
        headers=api_world.a["viewer"].headers,
    )
    assert beyond.status_code == 404
