"""End to end through the real app: upload a sample contract, wait for its job, read the
contract, its analysis, findings and rates, review a finding, upload a new version and
re-analyse (reviews carry over), and read the audit log — on SQLite with the in-process
runner, and on PostgreSQL with a Celery worker process on Redis."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from extractor.serialize import result_to_dict
from service.settings import Settings

API = "/api/v1"


def _get(api: Any, member: Any, path: str, **params: Any) -> Any:
    response = api.client.get(API + path, params=params, headers=member.headers)
    assert response.status_code == 200, response.text
    return response.json()


def _contract_ids(api: Any, member: Any, **params: Any) -> set[str]:
    return {c["id"] for c in _get(api, member, "/contracts", **params)["items"]}


def end_to_end(api: Any, org: Any, sample: Path, expected: dict[str, Any] | None = None) -> None:
    legal, finance, viewer = org["legal"], org["finance"], org["viewer"]
    client = api.client
    content = sample.read_bytes()

    # Upload, and wait for the analysis.
    uploaded = api.upload(legal, content, filename=sample.name)
    assert uploaded.status_code == 202, uploaded.text
    accepted = uploaded.json()
    assert accepted["duplicate"] is False
    job = api.wait_for_job(viewer, accepted["job_id"])
    assert job["status"] == "succeeded", job
    assert job["document_id"] == accepted["document_id"] and job["error"] is None
    contract_id = job["contract_id"]

    # The contract, its schema-v1 analysis, findings and rates.
    contract = _get(api, viewer, f"/contracts/{contract_id}")
    assert [d["id"] for d in contract["documents"]] == [accepted["document_id"]]
    analysis = _get(api, viewer, f"/contracts/{contract_id}/analysis")
    assert analysis["source"]["path"] == sample.name
    if expected is not None:
        assert analysis == expected, "the object `payerlens analyze --json` prints"
    findings = _get(api, viewer, f"/contracts/{contract_id}/findings")["items"]
    assert len(findings) == len(analysis["findings"]) > 0
    assert all(f["page"] >= 1 and f["review_state"] == "open" for f in findings)
    rates = _get(api, viewer, f"/contracts/{contract_id}/rates")
    assert rates["total"] == len(analysis["rates"]) > 0
    as_csv = client.get(
        f"{API}/contracts/{contract_id}/rates", params={"format": "csv"}, headers=viewer.headers
    )
    assert len(list(csv.reader(io.StringIO(as_csv.text)))) == rates["total"] + 1

    # The list finds it by each of its properties (on this database's SQL).
    terms = analysis["contract"]
    assert _contract_ids(api, viewer, payer=terms["payer"][:8].upper()) == {contract_id}
    for product_line in terms["product_lines"]:
        assert _contract_ids(api, viewer, product_line=product_line) == {contract_id}
    first = findings[0]
    assert _contract_ids(
        api, viewer, category=first["category"], severity=first["severity"], review_state="open"
    ) == {contract_id}

    # Review a high-severity finding twice: the history keeps both.
    high = next(f for f in findings if f["severity"] == "high")
    for member, decision in ((legal, "needs_negotiation"), (finance, "accept")):
        review = client.post(
            f"{API}/findings/{high['id']}/reviews",
            headers=member.headers,
            json={"decision": decision, "comment": f"{member.role}: {decision}"},
        )
        assert review.status_code == 201, review.text
    refused = client.post(
        f"{API}/findings/{high['id']}/reviews",
        headers=viewer.headers,
        json={"decision": "dismiss"},
    )
    assert refused.status_code == 403
    history = _get(api, viewer, f"/findings/{high['id']}/reviews")["items"]
    assert [(r["decision"], r["user_id"]) for r in history] == [
        ("needs_negotiation", legal.user_id),
        ("accept", finance.user_id),
    ]
    assert _get(api, viewer, f"/findings/{high['id']}")["review_state"] == "accept"
    assert contract_id in _contract_ids(api, viewer, review_state="accept")
    listed = next(c for c in _get(api, viewer, "/contracts")["items"] if c["id"] == contract_id)
    assert listed["findings"]["by_review_state"]["accept"] == 1

    # The same bytes again: nothing new to analyse.
    again = api.upload(finance, content, filename="copy.pdf").json()
    assert again == {**accepted, "duplicate": True}

    # A new version of the contract: its analysis becomes current, the review carries over.
    revised = api.upload(
        legal, content + b"\n% revised\n", filename="revised.pdf", data={"contract_id": contract_id}
    )
    assert revised.status_code == 202, revised.text
    version_job = api.wait_for_job(viewer, revised.json()["job_id"])
    assert version_job["status"] == "succeeded" and version_job["contract_id"] == contract_id
    contract = _get(api, viewer, f"/contracts/{contract_id}")
    assert [(d["version"], d["current"]) for d in contract["documents"]] == [(1, False), (2, True)]
    assert contract["current_run"]["id"] == version_job["run_id"] != job["run_id"]
    _assert_carried_over(api, viewer, contract_id, high)
    old_text = _get(
        api, viewer, f"/contracts/{contract_id}/text", document_id=accepted["document_id"], page=1
    )
    assert old_text["document_id"] == accepted["document_id"] and old_text["items"][0]["text"]

    # Re-analysis with the current rules.
    again_job = client.post(f"{API}/contracts/{contract_id}/reanalyze", headers=finance.headers)
    assert again_job.status_code == 202, again_job.text
    reanalysed = api.wait_for_job(viewer, again_job.json()["job_id"])
    assert reanalysed["status"] == "succeeded" and reanalysed["contract_id"] == contract_id
    assert (
        _get(api, viewer, f"/contracts/{contract_id}")["current_run"]["id"]
        == (reanalysed["run_id"])
    )
    _assert_carried_over(api, viewer, contract_id, high)
    assert len(_get(api, viewer, "/contracts")["items"]) == 1

    # The audit log tells the story, newest first; viewers cannot read it.
    log = _get(api, legal, "/audit-log", limit=100)["items"]
    actions = [e["action"] for e in reversed(log)]
    for action, times in {
        "document.uploaded": 3,
        "analysis.stored": 3,
        "finding.reviewed": 2,
        "contract.reanalysis_requested": 1,
    }.items():
        assert actions.count(action) == times, (action, actions)
    window = _get(api, legal, "/audit-log", limit=2, offset=1)
    assert window["total"] == len(log) and window["items"] == log[1:3]
    reviewed = [e for e in log if e["action"] == "finding.reviewed"]
    assert [e["user_id"] for e in reviewed] == [finance.user_id, legal.user_id]
    assert reviewed[0]["detail"]["decision"] == "accept"
    assert client.get(f"{API}/audit-log", headers=viewer.headers).status_code == 403


def _assert_carried_over(api: Any, viewer: Any, contract_id: str, reviewed: dict[str, Any]) -> None:
    current = _get(api, viewer, f"/contracts/{contract_id}/findings")["items"]
    same = [
        f for f in current if (f["category"], f["text"]) == (reviewed["category"], reviewed["text"])
    ]
    assert same and same[0]["id"] != reviewed["id"]
    assert same[0]["review_state"] == "accept"
    assert len(_get(api, viewer, f"/findings/{same[0]['id']}/reviews")["items"]) == 2


def test_end_to_end_on_sqlite_with_the_inprocess_runner(
    api_helpers: Any, tmp_path: Path, analyzer: Any
) -> None:
    """With the clause model on, as `payerlens analyze` runs by default, so the stored
    analysis can be compared with the CLI's object (the session's analyzer)."""
    sample = api_helpers.samples / "acute_care_hospital_agreement.pdf"
    expected = json.loads(json.dumps(result_to_dict(analyzer.analyze_path(sample))))
    expected["source"]["path"] = sample.name
    settings = Settings(
        data_dir=tmp_path / "data", use_model=True, ocr=False, rate_limit_per_minute=600
    )
    with api_helpers.harness(settings) as api:
        org = api_helpers.org(api.database, "Acute Care Org")
        end_to_end(api, org, sample, expected)


def test_end_to_end_on_postgres_with_a_celery_worker(
    api_helpers: Any,
    postgres_settings: Settings,
    redis_url: str,
    queue_name: str,
    jobs_processes: Any,
    jobs_redis: Any,
    jobs_helpers: Any,
) -> None:
    # The rate limit is Redis's here (the Celery runner's), with room for the job polling.
    settings = postgres_settings.with_(
        runner="celery", redis_url=redis_url, queue=queue_name, rate_limit_per_minute=600
    )
    sample = api_helpers.samples / "behavioral_health_services_agreement.pdf"
    with api_helpers.harness(settings) as api:  # migrates the database before the worker
        worker = jobs_processes.start(
            ["-m", "service.jobs.worker"], jobs_helpers.env(settings), "worker"
        )
        org = api_helpers.org(api.database, "Postgres Org")
        try:
            end_to_end(api, org, sample)
        finally:
            if worker.poll() is not None:
                print(jobs_processes.log(worker))
        assert worker.poll() is None, jobs_processes.log(worker)
        with api.database.engine.connect() as conn:
            assert conn.dialect.name == "postgresql"


def test_a_failed_analysis_reports_its_error(api_world: Any, tmp_path: Path) -> None:
    """A PDF that passes the upload checks but has no text (a scan, OCR off) fails its job
    with the extractor's code, and makes no contract."""
    from tests.conftest import image_only_pdf

    api, legal = api_world.harness, api_world.a["legal"]
    contracts = _get(api, legal, "/contracts")["total"]
    uploaded = api.upload(legal, image_only_pdf(tmp_path / "scan.pdf").read_bytes())
    assert uploaded.status_code == 202, uploaded.text
    job = api.wait_for_job(legal, uploaded.json()["job_id"])
    assert job["status"] == "failed" and job["contract_id"] is None
    assert job["error"]["code"] == "input.no_text" and job["error"]["message"]
    assert "Traceback" not in job["error"]["message"]
    assert _get(api, legal, "/contracts")["total"] == contracts
