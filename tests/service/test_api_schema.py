"""The OpenAPI schema documents every route and its errors; every error, expected or not,
has the one shape ``{"error": {"code", "message"}}``."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import create_engine

API = "/api/v1"

ROUTES = {
    ("GET", "/health"),
    ("POST", f"{API}/documents"),
    ("GET", f"{API}/documents/{{document_id}}"),
    ("GET", f"{API}/jobs/{{job_id}}"),
    ("GET", f"{API}/contracts"),
    ("GET", f"{API}/contracts/{{contract_id}}"),
    ("GET", f"{API}/contracts/{{contract_id}}/analysis"),
    ("GET", f"{API}/contracts/{{contract_id}}/findings"),
    ("GET", f"{API}/contracts/{{contract_id}}/rates"),
    ("GET", f"{API}/contracts/{{contract_id}}/text"),
    ("POST", f"{API}/contracts/{{contract_id}}/reanalyze"),
    ("GET", f"{API}/findings/{{finding_id}}"),
    ("GET", f"{API}/findings/{{finding_id}}/reviews"),
    ("POST", f"{API}/findings/{{finding_id}}/reviews"),
    ("GET", f"{API}/audit-log"),
    ("GET", f"{API}/me"),
    ("GET", f"{API}/users"),
    ("POST", f"{API}/users"),
    ("PATCH", f"{API}/users/{{user_id}}"),
    ("POST", f"{API}/users/{{user_id}}/keys"),
    ("GET", f"{API}/keys"),
    ("POST", f"{API}/keys/{{key_id}}/revoke"),
}
ERROR_REF = "#/components/schemas/ErrorResponse"


@pytest.fixture(scope="module")
def schema(api_world: Any) -> dict[str, Any]:
    response = api_world.harness.client.get("/openapi.json")
    assert response.status_code == 200
    document: dict[str, Any] = response.json()
    return document


def _operations(schema: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {
        (method.upper(), path): operation
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
    }


def test_every_route_is_documented(schema: dict[str, Any]) -> None:
    assert set(_operations(schema)) == ROUTES
    for key, operation in _operations(schema).items():
        assert operation.get("summary"), key


def test_every_route_documents_its_errors_with_the_error_model(schema: dict[str, Any]) -> None:
    for key, operation in _operations(schema).items():
        responses = operation["responses"]
        assert "500" in responses, key
        if key != ("GET", "/health"):
            assert {"401", "429"} <= set(responses), key
            assert operation["security"] == [{"ApiKey": []}], key
        for status, response in responses.items():
            if status.startswith("2"):
                continue
            ref = response["content"]["application/json"]["schema"]["$ref"]
            assert ref == ERROR_REF, (key, status)
            assert "`" in response["description"], "the codes are listed"
    components = schema["components"]
    assert "HTTPValidationError" not in components["schemas"], "422 is our error model too"
    assert components["schemas"]["ErrorResponse"]["required"] == ["error"]
    assert components["securitySchemes"]["ApiKey"] == {
        "type": "http",
        "scheme": "bearer",
        "description": components["securitySchemes"]["ApiKey"]["description"],
    }


def test_the_upload_and_csv_bodies_are_documented(schema: dict[str, Any]) -> None:
    operations = _operations(schema)
    upload = operations[("POST", f"{API}/documents")]
    body = upload["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert body["required"] == ["file"] and body["properties"]["file"]["format"] == "binary"
    codes = " ".join(r["description"] for r in upload["responses"].values())
    for code in ("upload.too_large", "upload.encrypted", "upload.unsupported_type"):
        assert code in codes
    rates = operations[("GET", f"{API}/contracts/{{contract_id}}/rates")]
    assert "text/csv" in rates["responses"]["200"]["content"]
    analysis = operations[("GET", f"{API}/contracts/{{contract_id}}/analysis")]
    assert analysis["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/AnalysisV1"
    )


def test_the_docs_pages_are_served(api_world: Any) -> None:
    client = api_world.harness.client
    docs = client.get("/docs")
    assert docs.status_code == 200 and "swagger" in docs.text.lower()
    assert client.get("/redoc").status_code == 200


def test_unknown_routes_and_methods_have_the_error_shape(api_world: Any) -> None:
    client, headers = api_world.harness.client, api_world.a["viewer"].headers
    missing = client.get(f"{API}/nothing-here", headers=headers)
    assert missing.status_code == 404
    assert missing.json() == {"error": {"code": "not_found", "message": "Not found."}}
    wrong = client.delete(f"{API}/contracts", headers=headers)
    assert wrong.status_code == 405 and wrong.json()["error"]["code"] == "method_not_allowed"
    broken = client.post(
        f"{API}/findings/{'0' * 32}/reviews",
        headers={**headers, "Content-Type": "application/json"},
        content=b"{not json",
    )
    assert broken.status_code == 422 and broken.json()["error"]["code"] == "request.invalid"


def test_an_unexpected_error_is_500_internal_without_details(
    api_world: Any, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from service.api.routes import jobs

    def explode(*_: Any) -> Any:
        raise RuntimeError("secret detail: password=hunter2")

    monkeypatch.setattr(jobs, "owned", explode)
    response = api_world.harness.client.get(
        f"{API}/jobs/{api_world.jobs['a.anesthesia']}", headers=api_world.a["viewer"].headers
    )
    assert response.status_code == 500
    assert response.json() == {"error": {"code": "internal", "message": "Internal server error."}}
    assert "hunter2" not in response.text
    assert "hunter2" in caplog.text, "the traceback is logged on the server"


def test_health_says_when_the_database_is_away(
    api_world: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    services = api_world.harness.client.app.state.services
    away = create_engine(f"sqlite:///{tmp_path}/no/such/dir/x.db")
    monkeypatch.setattr(services.database, "engine", away)
    response = api_world.harness.client.get("/health")
    assert response.status_code == 503 and response.json()["error"]["code"] == "unavailable"
    away.dispose()
