"""``POST /api/v1/documents``: every malformed upload gets its 4xx and stable code with the
database and the blob store unchanged; good uploads are stored once and queued once."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from service.api import uploads
from service.api.errors import ApiError
from service.settings import Settings
from service.storage.blobs import BlobStore
from tests.conftest import build_pdf, minimal_pdf
from tests.test_docx import agreement_docx, compound_file

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

API = "/api/v1"
MAX_BYTES = 120_000
MAX_PAGES = 5
ONE_PAGE = [
    [
        "PROVIDER AGREEMENT",
        "",
        "1.1 Term. This Agreement renews automatically for",
        "successive one (1) year terms unless either party gives ninety (90) days' notice.",
    ]
]


@pytest.fixture(scope="module")
def api(api_helpers: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The app with tight limits and a runner that runs nothing (no analysis needed)."""
    settings = Settings(
        data_dir=tmp_path_factory.mktemp("uploads") / "data",
        use_model=False,
        ocr=False,
        max_upload_bytes=MAX_BYTES,
        max_pages=MAX_PAGES,
        rate_limit_per_minute=0,
    )
    with api_helpers.harness(settings, runner=api_helpers.RecordingRunner()) as harness:
        harness.org = api_helpers.org(harness.database, "Uploads")
        harness.other = api_helpers.org(harness.database, "Elsewhere", roles=("admin",))
        yield harness


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    tmp = tmp_path_factory.mktemp("pdfs")
    good = build_pdf(tmp / "good.pdf", ONE_PAGE).read_bytes()
    return {
        "good": good,
        "encrypted": build_pdf(tmp / "locked.pdf", ONE_PAGE, encrypt="s3cret").read_bytes(),
        "truncated": good[:400],
        "corrupt": b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n%%EOF\n",
        "zero_pages": minimal_pdf(
            [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"]
        ),
        "too_many_pages": build_pdf(tmp / "long.pdf", ONE_PAGE * (MAX_PAGES + 1)).read_bytes(),
        "too_large": good + b"%" + b"x" * MAX_BYTES,
        "docx_bomb": _declared_gigabytes(tmp / "bomb.docx"),
        "legacy_doc": compound_file(["WordDocument", "1Table"]),
    }


def _declared_gigabytes(path: Path) -> bytes:
    """A tiny .docx whose zip headers declare a 4 GB body (as in tests/test_docx.py)."""
    import struct
    import zipfile

    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", b"<w:document/>")
    data = bytearray(path.read_bytes())
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        struct.pack_into("<I", data, data.find(signature) + offset, 4_000_000_000)
    return bytes(data)


def _raw(api: Any, body: bytes, content_type: str) -> Any:
    return api.client.post(
        f"{API}/documents",
        headers={**api.org["legal"].headers, "Content-Type": content_type},
        content=body,
    )


BOUNDARY = "payerlens-test-boundary"


def _multipart(*parts: tuple[str, str | None, str | None, bytes], close: bool = True) -> bytes:
    """A hand-made multipart body: (name, filename, content type, data) per part."""
    out = b""
    for name, filename, kind, data in parts:
        disposition = f'form-data; name="{name}"'
        if filename is not None:
            disposition += f'; filename="{filename}"'
        out += f"--{BOUNDARY}\r\nContent-Disposition: {disposition}\r\n".encode()
        if kind:
            out += f"Content-Type: {kind}\r\n".encode()
        out += b"\r\n" + data + b"\r\n"
    if close:
        out += f"--{BOUNDARY}--\r\n".encode()
    return out


MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"

Case = Callable[[Any, dict[str, bytes]], Any]

# (id, request, status, codes): every way an upload can be wrong.
MALFORMED: list[tuple[str, Case, int, set[str]]] = [
    (
        "not_a_pdf",
        lambda api, p: api.upload(api.org["legal"], b"This is a Word document, honestly."),
        422,
        {"upload.not_pdf"},
    ),
    (
        "too_large_by_content_length",
        lambda api, p: api.upload(api.org["legal"], p["too_large"]),
        413,
        {"upload.too_large"},
    ),
    (
        "too_large_streamed_without_content_length",
        lambda api, p: api.client.post(
            f"{API}/documents",
            headers={**api.org["legal"].headers, "Content-Type": MULTIPART},
            content=iter([_multipart(("file", "big.pdf", "application/pdf", p["too_large"]))]),
        ),
        413,
        {"upload.too_large"},
    ),
    (
        "encrypted",
        lambda api, p: api.upload(api.org["legal"], p["encrypted"]),
        422,
        {"upload.encrypted"},
    ),
    ("empty_file", lambda api, p: api.upload(api.org["legal"], b""), 422, {"upload.empty"}),
    (
        "docx_zip_bomb",
        lambda api, p: api.upload(
            api.org["legal"], p["docx_bomb"], filename="bomb.docx", content_type=DOCX
        ),
        422,
        {"upload.zip_bomb"},
    ),
    (
        "legacy_word_doc",
        lambda api, p: api.upload(
            api.org["legal"], p["legacy_doc"], filename="old.doc", content_type="application/msword"
        ),
        415,
        {"upload.unsupported_type"},
    ),
    (
        "legacy_word_doc_sent_as_octet_stream",
        lambda api, p: api.upload(
            api.org["legal"],
            p["legacy_doc"],
            filename="old.doc",
            content_type="application/octet-stream",
        ),
        415,
        {"upload.unsupported_type"},
    ),
    (
        "zero_page_pdf",
        lambda api, p: api.upload(api.org["legal"], p["zero_pages"]),
        422,
        {"upload.empty"},
    ),
    (
        "truncated",
        lambda api, p: api.upload(api.org["legal"], p["truncated"]),
        422,
        {"upload.truncated"},
    ),
    (
        "corrupt",
        lambda api, p: api.upload(api.org["legal"], p["corrupt"]),
        422,
        {"upload.corrupt", "upload.empty"},
    ),
    (
        "too_many_pages",
        lambda api, p: api.upload(api.org["legal"], p["too_many_pages"]),
        413,
        {"upload.too_many_pages"},
    ),
    (
        "wrong_part_content_type",
        lambda api, p: api.upload(api.org["legal"], p["good"], content_type="image/png"),
        415,
        {"upload.unsupported_type"},
    ),
    (
        "not_multipart",
        lambda api, p: _raw(api, p["good"], "application/pdf"),
        415,
        {"upload.unsupported_type"},
    ),
    (
        "json_body",
        lambda api, p: _raw(api, b'{"file": "x"}', "application/json"),
        415,
        {"upload.unsupported_type"},
    ),
    (
        "missing_file_field",
        lambda api, p: _raw(api, _multipart(("document", "a.pdf", None, p["good"])), MULTIPART),
        422,
        {"upload.missing_file"},
    ),
    (
        "no_parts_at_all",
        lambda api, p: _raw(api, f"--{BOUNDARY}--\r\n".encode(), MULTIPART),
        422,
        {"upload.missing_file"},
    ),
    (
        "two_files",
        lambda api, p: _raw(
            api,
            _multipart(
                ("file", "a.pdf", "application/pdf", p["good"]),
                ("file", "b.pdf", "application/pdf", p["good"]),
            ),
            MULTIPART,
        ),
        422,
        {"upload.multiple_files"},
    ),
    (
        "body_cut_before_closing_boundary",
        lambda api, p: _raw(
            api, _multipart(("file", "a.pdf", "application/pdf", p["good"]), close=False), MULTIPART
        ),
        400,
        {"request.malformed"},
    ),
    (
        "no_boundary",
        lambda api, p: _raw(api, p["good"], "multipart/form-data"),
        400,
        {"request.malformed"},
    ),
    (
        "oversized_form_field",
        lambda api, p: _raw(
            api,
            _multipart(
                ("contract_id", None, None, b"x" * 5000),
                ("file", "a.pdf", "application/pdf", p["good"]),
            ),
            MULTIPART,
        ),
        422,
        {"request.invalid"},
    ),
    (
        "unknown_contract",
        lambda api, p: api.upload(api.org["legal"], p["good"], data={"contract_id": "0" * 32}),
        404,
        {"not_found"},
    ),
    (
        "contract_of_another_org",
        lambda api, p: api.upload(
            api.org["legal"], p["good"], data={"contract_id": api.other_contract}
        ),
        404,
        {"not_found"},
    ),
    (
        "viewer",
        lambda api, p: api.upload(api.org["viewer"], p["good"]),
        403,
        {"auth.forbidden"},
    ),
    (
        "no_key",
        lambda api, p: api.client.post(
            f"{API}/documents", files={"file": ("a.pdf", p["good"], "application/pdf")}
        ),
        401,
        {"auth.missing"},
    ),
]


@pytest.fixture(scope="module")
def other_contract(api: Any) -> str:
    """A contract of another organisation, made directly in the database."""
    from service.storage.models import Contract

    with api.database.transaction() as session:
        contract = Contract(org_id=api.other.id, title="Theirs")
        session.add(contract)
        session.flush()
        api.other_contract = contract.id
        return contract.id


@pytest.mark.parametrize(
    ("request_", "status", "codes"),
    [pytest.param(r, s, c, id=name) for name, r, s, c in MALFORMED],
)
def test_a_malformed_upload_is_refused_and_changes_nothing(
    api: Any,
    pdfs: dict[str, bytes],
    other_contract: str,
    request_: Case,
    status: int,
    codes: set[str],
) -> None:
    before, files, submitted = api.counts(), api.stored_files(), list(api.runner.submitted)
    response = request_(api, pdfs)
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}
    assert body["error"]["code"] in codes
    assert body["error"]["message"] and "Traceback" not in body["error"]["message"]
    assert api.counts() == before, "the database changed"
    assert api.stored_files() == files, "a file was kept"
    assert api.runner.submitted == submitted, "a job was submitted"


def test_the_upload_limits_come_from_the_settings(api: Any, pdfs: dict[str, bytes]) -> None:
    too_large = api.upload(api.org["legal"], pdfs["too_large"]).json()["error"]["message"]
    assert f"{MAX_BYTES:,}" in too_large
    pages = api.upload(api.org["legal"], pdfs["too_many_pages"]).json()["error"]["message"]
    assert f"{MAX_PAGES + 1} pages" in pages and f"limit is {MAX_PAGES}" in pages


def test_a_good_upload_is_stored_once_and_queued(api: Any, tmp_path: Path) -> None:
    content = build_pdf(tmp_path / "fresh.pdf", [["A fresh contract", "1.1 Term."]]).read_bytes()
    sha = hashlib.sha256(content).hexdigest()
    before = api.counts()
    response = api.upload(
        api.org["finance"], content, filename="../../etc/fresh.pdf", content_type="application/pdf"
    )
    assert response.status_code == 202, response.text
    body = response.json()
    assert body["duplicate"] is False
    assert api.runner.submitted[-1] == body["job_id"]
    after = api.counts()
    for table, grew in {"document": 1, "stored_file": 1, "job": 1, "audit_log": 1}.items():
        assert after[table] == before[table] + grew, table
    blob = api.settings.blob_dir / sha[:2] / sha
    assert blob.read_bytes() == content
    assert not list(api.settings.upload_dir.glob("*")), "the spool is left empty"

    document = api.client.get(
        f"{API}/documents/{body['document_id']}", headers=api.org["viewer"].headers
    )
    assert document.status_code == 200
    assert document.json()["filename"] == "fresh.pdf"  # no directory part
    assert document.json()["pages"] == 1 and document.json()["sha256"] == sha
    job = api.client.get(f"{API}/jobs/{body['job_id']}", headers=api.org["viewer"].headers).json()
    assert job["status"] == "queued" and job["document_id"] == body["document_id"]

    # The same bytes again: the same document and job, no new analysis.
    again = api.upload(api.org["legal"], content, content_type="application/octet-stream")
    assert again.status_code == 202
    assert again.json() == {**body, "duplicate": True}
    assert api.runner.submitted.count(body["job_id"]) == 1
    assert api.counts()["job"] == after["job"] and api.counts()["document"] == after["document"]


def test_the_same_bytes_in_another_organisation_are_its_own_document(
    api: Any, pdfs: dict[str, bytes]
) -> None:
    mine = api.upload(api.org["legal"], pdfs["good"])
    theirs = api.upload(api.other["admin"], pdfs["good"])
    assert mine.status_code == theirs.status_code == 202
    assert mine.json()["document_id"] != theirs.json()["document_id"]
    assert theirs.json()["duplicate"] is False


def test_a_failed_document_uploaded_again_is_analysed_again(api: Any, tmp_path: Path) -> None:
    from service.storage.models import Job

    content = build_pdf(tmp_path / "retry.pdf", [["Retry me", "1.1 Term."]]).read_bytes()
    first = api.upload(api.org["legal"], content).json()
    with api.database.transaction() as session:
        job = session.get(Job, first["job_id"])
        job.status, job.error_code = "failed", "job.failed"
        session.add(job)
    again = api.upload(api.org["legal"], content).json()
    assert again["duplicate"] is True and again["document_id"] == first["document_id"]
    assert again["job_id"] != first["job_id"]
    assert api.runner.submitted[-1] == again["job_id"]


# ---- the stream itself --------------------------------------------------------------------


def test_the_body_is_not_read_past_the_limit(tmp_path: Path) -> None:
    """An endless upload is refused after about ``max_upload_bytes``, not read to its end."""
    settings = Settings(data_dir=tmp_path, max_upload_bytes=50_000)
    blobs = BlobStore(tmp_path / "blobs", tmp_path / "spool")
    read = 0

    def endless() -> Iterator[bytes]:
        nonlocal read
        head = f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="x.pdf"'
        yield (head + "\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.7\n").encode()
        while True:
            read += 8192
            yield b"0" * 8192

    with pytest.raises(ApiError) as refused:
        uploads.receive(endless(), BOUNDARY.encode(), blobs, settings)
    assert (refused.value.status, refused.value.code) == (413, "upload.too_large")
    assert read < 50_000 + 2 * 8192
    assert not list((tmp_path / "spool").glob("*")), "the partial file is removed"


def test_an_endless_unknown_field_is_not_read_past_the_limit(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, max_upload_bytes=50_000)
    blobs = BlobStore(tmp_path / "blobs", tmp_path / "spool")
    read = 0

    def endless() -> Iterator[bytes]:
        nonlocal read
        yield f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="x"\r\n\r\n'.encode()
        while True:
            read += 8192
            yield b"0" * 8192

    with pytest.raises(ApiError) as refused:
        uploads.receive(endless(), BOUNDARY.encode(), blobs, settings)
    assert refused.value.code == "upload.too_large" and read < 50_000 + 2 * 8192


def test_fields_before_and_after_the_file_are_read_in_small_chunks(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    blobs = BlobStore(tmp_path / "blobs", tmp_path / "spool")
    body = _multipart(
        ("note", None, None, b"before"),
        ("file", "a.pdf", "application/pdf", b"%PDF-1.7 data"),
        ("contract_id", None, None, b" abc "),
    )
    # Fed in small pieces, as a network delivers it.
    chunks = [body[i : i + 7] for i in range(0, len(body), 7)]
    received = uploads.receive(chunks, BOUNDARY.encode(), blobs, settings)
    assert received.fields == {"contract_id": "abc"}  # an unknown field is read past
    assert received.filename == "a.pdf"
    assert received.spooled.path.read_bytes() == b"%PDF-1.7 data"
    blobs.discard(received.spooled)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("contract.pdf", "contract.pdf"),
        ("C:\\Users\\ann\\contract.pdf", "contract.pdf"),
        ("../../etc/passwd", "passwd"),
        ("bad\x00name\n.pdf", "badname.pdf"),
        ("", "upload.pdf"),
        (None, "upload.pdf"),
        ("x" * 300 + ".pdf", "x" * 200),
    ],
)
def test_filenames_are_cleaned(raw: str | None, clean: str) -> None:
    assert uploads.clean_filename(raw) == clean


def test_a_word_draft_is_stored_as_a_word_document(api: Any, tmp_path: Path) -> None:
    content = agreement_docx(tmp_path / "draft.docx").read_bytes()
    response = api.upload(api.org["legal"], content, filename="draft.docx", content_type=DOCX)
    assert response.status_code == 202, response.text
    from service.storage.models import Document

    with api.database.session() as session:
        document = session.get(Document, response.json()["document_id"])
        assert document is not None
        assert document.media_type == DOCX and document.filename == "draft.docx"
        assert document.pages is not None and document.pages >= 1


def test_the_sandbox_reads_a_word_drafts_text_by_page(tmp_path: Path) -> None:
    from service.api.pdf_sandbox import _inspect, _page_texts

    path = agreement_docx(tmp_path / "draft.docx")
    status, (pages, media), _ = _inspect(str(path), 10, 10_000_000)
    assert status == "ok" and media == DOCX and pages >= 1
    total, texts = _page_texts(str(path), 0, 100)
    assert total == pages and [n for n, _ in texts] == list(range(1, pages + 1))
    assert all(text for _, text in texts)


def test_the_service_names_the_word_media_type_as_the_reader_does() -> None:
    from extractor.docx_reader import DOCX_MEDIA_TYPE as reader_type
    from service.ingest import DOCX_MEDIA_TYPE as service_type

    assert service_type == reader_type == DOCX
