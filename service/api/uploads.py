"""Receiving an upload: the multipart body streamed to the spool (never held in memory, refused
as soon as it passes the size limit), the file checked as a PDF or Word .docx the analyzer would
read, then stored and queued. The API and the workspace's upload form share it all.

Error codes (stable; the extractor's code with ``upload.`` in place of ``input.``/``limits.``):

=============================  ======  ==========================================================
``upload.too_large``           413     over ``max_upload_bytes`` (by Content-Length or streamed)
``upload.too_many_pages``      413     over ``max_pages``
``upload.unsupported_type``    415     the request is not multipart/form-data, the file part's type
                                       is not PDF, .docx or ``application/octet-stream``, or a
                                       .docx-like zip is not a Word document
``upload.missing_file``        422     no ``file`` field
``upload.multiple_files``      422     more than one ``file`` field
``upload.empty``               422     zero bytes, or a PDF without pages
``upload.not_pdf``             422     no ``%PDF`` header
``upload.encrypted``           422     password-protected
``upload.truncated``           422     cut short beyond repair
``upload.corrupt``             422     damaged beyond reading (or it crashed or hung the reader)
``upload.zip_bomb``            422     a .docx that would unpack to far more than its size
``request.malformed``          400     the multipart body itself is broken
``request.invalid``            422     a form field is too long
=============================  ======  ==========================================================

Nothing is written — no row, no blob, no audit record — unless every check passes.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import anyio.from_thread
from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session
from starlette.requests import ClientDisconnect, Request

from service.api.errors import ApiError
from service.api.pdf_sandbox import DOCX_MEDIA_TYPE, PdfProblem, PdfSandbox
from service.api.scope import owned
from service.ingest import PDF_MEDIA_TYPE, Stored, store_document
from service.ingest import latest_job as latest_job  # re-exported: part of this module's API
from service.settings import Settings
from service.storage.blobs import BlobStore, Spooled, TooLarge
from service.storage.models import Contract

if TYPE_CHECKING:
    from service.api.deps import Services

log = logging.getLogger(__name__)

FILE_FIELD = "file"
# The other fields an upload may carry (small; unknown ones are read past and ignored).
FORM_FIELDS = frozenset({"contract_id"})
ACCEPTED_TYPES = frozenset(
    {PDF_MEDIA_TYPE, DOCX_MEDIA_TYPE, "application/octet-stream", "application/x-pdf"}
)
# Room for the multipart framing and the small fields around a file at the size limit.
FORM_OVERHEAD_BYTES = 64 * 1024
MAX_FIELD_BYTES = 1024
MAX_PARTS = 16

_EXTRACTOR_CODES: dict[str, tuple[int, str]] = {
    "input.not_pdf": (422, "upload.not_pdf"),
    "input.encrypted": (422, "upload.encrypted"),
    "input.empty": (422, "upload.empty"),
    "input.truncated": (422, "upload.truncated"),
    "input.corrupt": (422, "upload.corrupt"),
    "input.unsupported_type": (415, "upload.unsupported_type"),
    "input.zip_bomb": (422, "upload.zip_bomb"),
    "limits.too_many_pages": (413, "upload.too_many_pages"),
    "limits.too_many_bytes": (413, "upload.too_large"),
    "sandbox.crashed": (422, "upload.corrupt"),
    "sandbox.timeout": (422, "upload.corrupt"),
}

UPLOAD_ERROR_CODES = {
    "s400": ("request.malformed",),
    "s413": ("upload.too_large", "upload.too_many_pages"),
    "s415": ("upload.unsupported_type",),
    "s422": (
        "upload.missing_file",
        "upload.multiple_files",
        "upload.empty",
        "upload.not_pdf",
        "upload.encrypted",
        "upload.truncated",
        "upload.corrupt",
        "upload.zip_bomb",
        "request.invalid",
    ),
}


def too_large(settings: Settings) -> ApiError:
    return ApiError(
        413,
        "upload.too_large",
        f"The file is larger than the limit of {settings.max_upload_bytes:,} bytes.",
    )


def malformed(message: str = "The multipart body is malformed.") -> ApiError:
    return ApiError(400, "request.malformed", message)


# ---- the request body as a stream of multipart events ----------------------------------------


def request_chunks(request: Request) -> Iterator[bytes]:
    """The request body, chunk by chunk as it arrives, for code running in a worker thread
    (a sync route): each chunk is awaited on the event loop."""
    stream = request.stream()

    async def next_chunk() -> bytes | None:
        try:
            return await stream.__anext__()
        except StopAsyncIteration:
            return None

    try:
        while (chunk := anyio.from_thread.run(next_chunk)) is not None:
            if chunk:
                yield chunk
    except ClientDisconnect:
        raise malformed("The client went away during the upload.") from None
    finally:
        anyio.from_thread.run(stream.aclose)


@dataclass(frozen=True)
class PartStart:
    name: str
    filename: str | None
    content_type: str | None


PART_END = object()
Event = PartStart | bytes | object


def multipart_events(chunks: Iterable[bytes], boundary: bytes) -> Generator[Event, None, None]:
    """``PartStart``, the part's data as ``bytes`` chunks, ``PART_END``; for each part, as the
    body arrives. A body that stops before its closing boundary is malformed."""
    events: list[Event] = []
    headers: dict[bytes, bytes] = {}
    name_buf = bytearray()
    value_buf = bytearray()
    finished = False

    def on_part_begin() -> None:
        headers.clear()

    def on_header_field(data: bytes, start: int, end: int) -> None:
        name_buf.extend(data[start:end])

    def on_header_value(data: bytes, start: int, end: int) -> None:
        value_buf.extend(data[start:end])

    def on_header_end() -> None:
        headers[bytes(name_buf).lower()] = bytes(value_buf)
        name_buf.clear()
        value_buf.clear()

    def on_headers_finished() -> None:
        _, options = parse_options_header(headers.get(b"content-disposition", b""))
        if b"name" not in options:
            raise malformed("A multipart part has no name.")
        kind = headers.get(b"content-type")
        events.append(
            PartStart(
                name=options[b"name"].decode("utf-8", "replace"),
                filename=(
                    options[b"filename"].decode("utf-8", "replace")
                    if b"filename" in options
                    else None
                ),
                content_type=(
                    parse_options_header(kind)[0].decode("latin-1").lower() if kind else None
                ),
            )
        )

    def on_part_data(data: bytes, start: int, end: int) -> None:
        if end > start:
            events.append(bytes(data[start:end]))

    def on_part_end() -> None:
        events.append(PART_END)

    def on_end() -> None:
        nonlocal finished
        finished = True

    callbacks: Any = {
        "on_part_begin": on_part_begin,
        "on_header_field": on_header_field,
        "on_header_value": on_header_value,
        "on_header_end": on_header_end,
        "on_headers_finished": on_headers_finished,
        "on_part_data": on_part_data,
        "on_part_end": on_part_end,
        "on_end": on_end,
    }
    try:
        parser = MultipartParser(boundary, callbacks)
        for chunk in chunks:
            parser.write(chunk)
            yield from events
            events.clear()
        parser.finalize()
    except FormParserError:
        raise malformed() from None
    yield from events
    if not finished:
        raise malformed("The multipart body ended before its closing boundary.")


def _part_data(events: Iterator[Event]) -> Iterator[bytes]:
    for event in events:
        if event is PART_END:
            return
        if not isinstance(event, bytes):
            raise malformed()
        yield event
    raise malformed("The multipart body ended inside a part.")


def _drain(events: Iterator[Event], budget: int, settings: Settings) -> int:
    """Read past a part; its size, refused as soon as it passes ``budget``."""
    size = 0
    for chunk in _part_data(events):
        size += len(chunk)
        if size > budget:
            raise too_large(settings)
    return size


def _field_value(events: Iterator[Event], name: str) -> str:
    data = bytearray()
    for chunk in _part_data(events):
        data.extend(chunk)
        if len(data) > MAX_FIELD_BYTES:
            raise ApiError(422, "request.invalid", f"{name}: longer than {MAX_FIELD_BYTES} bytes.")
    return data.decode("utf-8", "replace").strip()


@dataclass
class ReceivedUpload:
    spooled: Spooled
    filename: str
    fields: dict[str, str] = field(default_factory=dict)
    pages: int = 0
    media_type: str = PDF_MEDIA_TYPE


def check_request(request: Request, settings: Settings) -> bytes:
    """Before reading the body: the declared length and the content type; the boundary."""
    length = request.headers.get("content-length")
    if (
        length
        and length.isdigit()
        and int(length) > settings.max_upload_bytes + FORM_OVERHEAD_BYTES
    ):
        raise too_large(settings)
    kind, options = parse_options_header(request.headers.get("content-type", ""))
    if kind.lower() != b"multipart/form-data":
        raise ApiError(
            415,
            "upload.unsupported_type",
            "Send the file as multipart/form-data in a field named 'file'.",
        )
    boundary = options.get(b"boundary")
    if not boundary:
        raise malformed("The multipart Content-Type has no boundary.")
    return boundary


def receive(
    chunks: Iterable[bytes],
    boundary: bytes,
    blobs: BlobStore,
    settings: Settings,
    *,
    fields: frozenset[str] = FORM_FIELDS,
    on_field: Callable[[str, str], None] | None = None,
    before_data: Callable[[], None] | None = None,
    missing_file: str = "No file: send it in a field named 'file'.",
) -> ReceivedUpload:
    """Stream the form: the file part into the spool, the small ``fields`` into memory (each
    handed to ``on_field`` as it is read), any other part read past within the size limit.
    ``before_data`` runs before the first byte of a file or unknown part is read (the
    workspace checks its CSRF token there). On any error the spooled file is removed."""
    spooled: Spooled | None = None
    filename = ""
    values: dict[str, str] = {}
    parts = ignored = 0
    events = multipart_events(chunks, boundary)
    try:
        for event in events:
            if not isinstance(event, PartStart):
                raise malformed()
            parts += 1
            if parts > MAX_PARTS:
                raise malformed(f"More than {MAX_PARTS} form fields.")
            if event.name in fields:
                values[event.name] = _field_value(events, event.name)
                if on_field is not None:
                    on_field(event.name, values[event.name])
                continue
            if before_data is not None:
                before_data()
            if event.name != FILE_FIELD:
                # A field we do not know: read past it, within the upload's size limit.
                ignored += _drain(events, settings.max_upload_bytes - ignored, settings)
                continue
            if spooled is not None:
                raise ApiError(422, "upload.multiple_files", "Send one file per upload.")
            if event.content_type and event.content_type not in ACCEPTED_TYPES:
                raise ApiError(
                    415,
                    "upload.unsupported_type",
                    f"The file's type is {event.content_type}; send a PDF or a Word .docx.",
                )
            filename = clean_filename(event.filename)
            try:
                spooled = blobs.spool(_part_data(events), settings.max_upload_bytes)
            except TooLarge:
                raise too_large(settings) from None
    except BaseException:
        if spooled is not None:
            blobs.discard(spooled)
        raise
    finally:
        # Stop reading the request here, in this thread, not whenever the garbage collector
        # gets to the generators.
        events.close()
        close = getattr(chunks, "close", None)
        if close is not None:
            close()
    if spooled is None:
        raise ApiError(422, "upload.missing_file", missing_file)
    return ReceivedUpload(spooled, filename, values)


_UNSAFE = re.compile(r"[\x00-\x1f\x7f]")


def clean_filename(raw: str | None) -> str:
    """The name without any directory part or control characters, at most 200 characters."""
    name = _UNSAFE.sub("", (raw or "").replace("\\", "/").rsplit("/", 1)[-1]).strip()
    return name[:200] or "upload.pdf"


def check_document(upload: ReceivedUpload, sandbox: PdfSandbox, settings: Settings) -> None:
    """Set the upload's page count and media type, or raise an ``ApiError`` with the upload
    code for the extractor's verdict."""
    if upload.spooled.size == 0:
        raise ApiError(422, "upload.empty", "The file is empty.")
    try:
        upload.pages, upload.media_type = sandbox.inspect(
            upload.spooled.path,
            max_pages=settings.max_pages,
            max_bytes=max(1, settings.max_upload_bytes),
        )
    except PdfProblem as problem:
        raise refused(problem) from None


def refused(problem: PdfProblem) -> ApiError:
    """The upload error for the extractor's (or the sandbox's) verdict on a file."""
    status, code = _EXTRACTOR_CODES.get(problem.code, (422, "upload.corrupt"))
    return ApiError(status, code, problem.message)


# ---- storing ---------------------------------------------------------------------------------


def accept(
    session: Session,
    upload: ReceivedUpload,
    services: Services,
    *,
    org_id: str,
    user_id: str,
    **audit_detail: Any,
) -> Stored:
    """A received upload checked (the file, and the contract it is a new version of, which
    must be this organisation's), then stored and its analysis queued. On a refusal
    (``ApiError``) or any other error the spooled file is removed and nothing is stored."""
    blobs, settings = services.blobs, services.settings
    contract_id = upload.fields.get("contract_id") or None
    try:
        if contract_id is not None:
            owned(session, Contract, contract_id, org_id)
        check_document(upload, services.sandbox, settings)
    except BaseException:
        blobs.discard(upload.spooled)
        raise
    blobs.keep(upload.spooled)
    stored = store(
        session,
        upload=upload,
        org_id=org_id,
        user_id=user_id,
        target_contract_id=contract_id,
        settings=settings,
        **audit_detail,
    )
    if stored.new_job:
        services.runner.submit(stored.job.id)
    return stored


def store(
    session: Session,
    *,
    upload: ReceivedUpload,
    org_id: str,
    user_id: str,
    target_contract_id: str | None,
    settings: Settings,
    **audit_detail: Any,
) -> Stored:
    """One transaction: the stored file (if new), the document (unless this organisation has
    these bytes already), a queued job (unless the existing document's latest job has not
    failed) and the audit record (``audit_detail`` adds to it). Retried once when a
    concurrent upload of the same bytes wins a unique constraint."""
    spooled = upload.spooled
    for attempt in (1, 2):
        try:
            stored = store_document(
                session,
                sha256=spooled.sha256,
                size=spooled.size,
                pages=upload.pages,
                filename=upload.filename,
                org_id=org_id,
                user_id=user_id,
                target_contract_id=target_contract_id,
                max_attempts=settings.job_max_attempts,
                media_type=upload.media_type,
                **audit_detail,
            )
            session.commit()
            return stored
        except IntegrityError:
            session.rollback()
            if attempt == 2:
                raise
    raise AssertionError("unreachable")
