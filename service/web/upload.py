"""The upload form's body, received by the API's own code (``service.api.uploads``: the same
multipart parser, spool, size limit, accepted types and errors), with the CSRF token checked
before a byte of the file is kept: the ``csrf_token`` field must come first, as the form puts
it, unless the ``X-CSRF-Token`` header carried it."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from service.api.uploads import FORM_FIELDS, ReceivedUpload, receive
from service.settings import Settings
from service.storage.blobs import BlobStore
from service.web.session import CSRF_FIELD, csrf_failed

FIELDS = FORM_FIELDS | {CSRF_FIELD}


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
    checked = header_checked

    def on_field(name: str, value: str) -> None:
        nonlocal checked
        if name == CSRF_FIELD and not checked:
            if not token_ok(value):
                raise csrf_failed()
            checked = True

    def before_data() -> None:
        if not checked:
            raise csrf_failed()

    received = receive(
        chunks,
        boundary,
        blobs,
        settings,
        fields=FIELDS,
        on_field=on_field,
        before_data=before_data,
        missing_file="Choose a file to upload.",
    )
    if not checked:
        blobs.discard(received.spooled)
        raise csrf_failed()
    return received
