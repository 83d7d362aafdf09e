"""One exception family with stable dotted codes, mapped to messages by the CLI (and the API)."""

from __future__ import annotations


class PayerlensError(Exception):
    """An input or configuration problem the user can act on; ``code`` is stable across releases."""

    code = "payerlens.error"

    def __init__(self, message: str, *, code: str | None = None, page: int | None = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code
        self.message = message
        self.page = page


class InputError(PayerlensError):
    code = "input.invalid"


class LimitError(PayerlensError):
    code = "limits.exceeded"


class RulesError(PayerlensError):
    code = "rules.invalid"


# The stable codes, in one place so tests and docs can list them.
INPUT_NOT_FOUND = "input.not_found"
INPUT_NOT_PDF = "input.not_pdf"
INPUT_ENCRYPTED = "input.encrypted"
INPUT_TRUNCATED = "input.truncated"
INPUT_CORRUPT = "input.corrupt"
INPUT_EMPTY = "input.empty"
INPUT_NO_TEXT = "input.no_text"
# A format payerlens recognises but does not read: a legacy Word .doc, a macro-enabled document
# or template, an Office file that is not a Word document.
INPUT_UNSUPPORTED_TYPE = "input.unsupported_type"
# A .docx whose ZIP members declare far more than a document holds (checked before inflating).
INPUT_ZIP_BOMB = "input.zip_bomb"
PAGE_NO_TEXT_LAYER = "page.no_text_layer"
PAGE_TABLES_FAILED = "page.tables_failed"
LIMIT_TOO_MANY_BYTES = "limits.too_many_bytes"
LIMIT_TOO_MANY_PAGES = "limits.too_many_pages"
RULES_INVALID = "rules.invalid"
OCR_UNAVAILABLE = "ocr.unavailable"
OCR_FAILED = "ocr.failed"
OCR_LOW_CONFIDENCE = "ocr.low_confidence"
