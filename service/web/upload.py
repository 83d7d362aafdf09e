"""The upload form's body, streamed as the API streams its uploads (``service.api.uploads``:
the same multipart parser, spool, size limit and errors), with two differences: the CSRF
token is checked before a byte of the file is kept (the ``csrf_token`` field must come first,
as the form puts it, unless the ``X-CSRF-Token`` header carried it), and Word .docx files are
accepted besides PDFs (the analyzer reads both)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from service.api.errors import ApiError
from service.api.uploads import (
    MAX_FIELD_BYTES,
    MAX_PARTS,
    PART_END,
    Event,
    PartStart,
    ReceivedUpload,
    clean_filename,
    malformed,
    multipart_events,
    too_large,
)
from service.settings import Settings
from service.storage.blobs import BlobStore, Spooled, TooLarge
from service.web.documents import DOCX_MEDIA_TYPE, PDF_MEDIA_TYPE
from service.web.session import CSRF_FIELD, csrf_failed

FILE_FIELD = "file"
FIELDS = frozenset({CSRF_FIELD, "contract_id"})
ACCEPTED_TYPES = frozenset(
    {PDF_MEDIA_TYPE, DOCX_MEDIA_TYPE, "application/octet-stream", "application/x-pdf"}
)


def _part_data(events: Iterator[Event]) -> Iterator[bytes]:
    for event in events:
        if event is PART_END:
            return
        if not isinstance(event, bytes):
            raise malformed()
        yield event
    raise malformed("The multipart body ended inside a part.")


def _field(events: Iterator[Event], name: str) -> str:
    data = bytearray()
    for chunk in _part_data(events):
        data.extend(chunk)
        if len(data) > MAX_FIELD_BYTES:
            raise ApiError(422, "request.invalid", f"{name}: longer than {MAX_FIELD_BYTES} bytes.")
    return data.decode("utf-8", "replace").strip()


def receive_form(
    chunks: Iterable[bytes],
    boundary: bytes,
    blobs: BlobStore,
    settings: Settings,
    *,
    token_ok: Callable[[str], bool],
    header_checked: bool,
) -> ReceivedUpload:
    """The file spooled and the small fields read; ``csrf_failed`` when the token is wrong or
    missing before the file. On any error the spooled file is removed."""
    spooled: Spooled | None = None
    fields: dict[str, str] = {}
    filename = ""
    checked = header_checked
    parts = 0
    events = multipart_events(chunks, boundary)
    try:
        for event in events:
            if not isinstance(event, PartStart):
                raise malformed()
            parts += 1
            if parts > MAX_PARTS:
                raise malformed(f"More than {MAX_PARTS} form fields.")
            if event.name in FIELDS:
                fields[event.name] = _field(events, event.name)
                if event.name == CSRF_FIELD and not checked:
                    if not token_ok(fields[CSRF_FIELD]):
                        raise csrf_failed()
                    checked = True
                continue
            if not checked:
                raise csrf_failed()
            if event.name != FILE_FIELD:
                _field(events, event.name)  # an unknown field: read past it (small only)
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
        events.close()
        close = getattr(chunks, "close", None)
        if close is not None:
            close()
    if not checked:
        raise csrf_failed()
    if spooled is None:
        raise ApiError(422, "upload.missing_file", "Choose a file to upload.")
    return ReceivedUpload(spooled, filename, fields)
