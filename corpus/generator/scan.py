"""Turn chosen pages of a PDF into image-only pages that look like an office scan.

    scan_pdf(pdf_bytes, pages=[5, 6], seed="name") -> pdf_bytes

Each chosen page is rendered by pdfium at scanner resolution (200 dpi by default) in grayscale,
then made to look like paper that went through a flatbed or sheet-fed scanner: off-white paper
and grey rather than black toner, uneven illumination, a slight skew (0.5-2 degrees either way)
and shift, soft focus, sensor noise and a few dust specks, optionally the page fed in sideways
or upside down (90/180/270 degrees, which an OCR step has to straighten), and JPEG compression.
The page is replaced by a page holding only that image, so it has no text layer at all; the
other pages are copied unchanged.

Deterministic: every random choice comes from a generator seeded by ``seed`` and the page number,
and the document is written by pdfium without dates or random identifiers, so the same input
gives byte-identical output.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageFilter

POINTS_PER_INCH = 72.0


@dataclass(frozen=True)
class ScanLook:
    """How rough the scan is; the defaults are a decent office scanner at 200 dpi."""

    dpi: int = 200
    skew_degrees: tuple[float, float] = (0.5, 2.0)  # magnitude range; the sign is random
    shift_inches: float = 0.06  # the sheet lies up to this far off on the glass
    blur_radius: float = 0.7  # in pixels, at 200 dpi
    noise_sigma: float = 4.0  # grey levels
    specks: int = 60  # dust and toner specks per page
    jpeg_quality: int = 45


def _rng(seed: str, page: int) -> np.random.Generator:
    digest = hashlib.sha256(f"{seed}:{page}".encode()).digest()
    return np.random.default_rng(int.from_bytes(digest[:8], "big"))


def _illumination(h: int, w: int, rng: np.random.Generator) -> np.ndarray:
    """A smooth brightness falloff: one edge a little darker, as under a scanner lid."""
    ys = np.linspace(0.0, 1.0, h, dtype=np.float32)[:, None]
    xs = np.linspace(0.0, 1.0, w, dtype=np.float32)[None, :]
    ax, ay = rng.uniform(-1.0, 1.0, size=2)
    ramp = ax * (xs - 0.5) + ay * (ys - 0.5)
    ramp = ramp - ramp.max()  # <= 0: darker away from the brightest corner
    return ramp * float(rng.uniform(6.0, 14.0))  # grey levels


def scan_image(page: pdfium.PdfPage, rng: np.random.Generator, look: ScanLook, turn: int = 0):
    """One page as a scanned grayscale PIL image (turned ``turn`` degrees clockwise)."""
    bitmap = page.render(scale=look.dpi / POINTS_PER_INCH, grayscale=True)
    img = bitmap.to_pil().convert("L")
    bitmap.close()
    w, h = img.size

    # Paper and toner: white becomes off-white, black becomes dark grey.
    paper = float(rng.uniform(236.0, 246.0))
    ink = float(rng.uniform(28.0, 48.0))
    lut = [round(ink + (paper - ink) * (v / 255.0) ** 1.15) for v in range(256)]
    img = img.point(lut)

    # The sheet lies slightly crooked and off-centre on the glass.
    lo, hi = look.skew_degrees
    angle = float(rng.uniform(lo, hi)) * (1 if rng.random() < 0.5 else -1)
    max_shift = look.shift_inches * look.dpi
    shift = (
        round(float(rng.uniform(-max_shift, max_shift))),
        round(float(rng.uniform(-max_shift, max_shift))),
    )
    img = img.rotate(
        angle, resample=Image.Resampling.BICUBIC, translate=shift, fillcolor=round(paper)
    )
    img = img.filter(ImageFilter.GaussianBlur(look.blur_radius * look.dpi / 200.0))

    a = np.asarray(img, dtype=np.float32)
    a = a + _illumination(h, w, rng)
    a = a + rng.normal(0.0, look.noise_sigma, size=a.shape).astype(np.float32)
    # Dust and toner specks: small dark blobs scattered over the page.
    for _ in range(look.specks):
        y, x = int(rng.integers(0, h - 3)), int(rng.integers(0, w - 3))
        size = int(rng.integers(1, 4))
        a[y : y + size, x : x + size] = np.minimum(
            a[y : y + size, x : x + size], float(rng.uniform(60.0, 170.0))
        )
    # The edge of the scanner glass: a faint dark line along one side of the image.
    edge = int(rng.integers(0, 4))
    band = max(2, look.dpi // 100)
    if edge == 0:
        a[:band, :] *= 0.55
    elif edge == 1:
        a[-band:, :] *= 0.55
    elif edge == 2:
        a[:, :band] *= 0.55
    else:
        a[:, -band:] *= 0.55
    img = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8))  # 2-D uint8: mode "L"

    if turn % 360:
        img = img.transpose(
            {
                90: Image.Transpose.ROTATE_270,  # PIL turns counter-clockwise
                180: Image.Transpose.ROTATE_180,
                270: Image.Transpose.ROTATE_90,
            }[turn % 360]
        )
    return img


def _jpeg(img, quality: int, dpi: int) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=quality, optimize=False, progressive=False, dpi=(dpi, dpi))
    return buf.getvalue()


def _image_page(doc: pdfium.PdfDocument, jpeg: bytes, width: float, height: float, index: int):
    page = doc.new_page(width, height, index=index)
    image = pdfium.PdfImage.new(doc)
    image.load_jpeg(io.BytesIO(jpeg), inline=True)
    image.set_matrix(pdfium.PdfMatrix().scale(width, height))
    page.insert_obj(image)
    page.gen_content()
    page.close()


def scan_pdf(
    pdf: bytes,
    pages: Iterable[int],
    *,
    seed: str,
    rotate: Mapping[int, int] | None = None,
    look: ScanLook | None = None,
) -> bytes:
    """``pdf`` with the 1-based ``pages`` replaced by scanned images; ``rotate`` maps a page
    to the degrees (clockwise) it was turned when it went through the scanner."""
    look = look or ScanLook()
    rotate = dict(rotate or {})
    src = pdfium.PdfDocument(pdf)
    n = len(src)
    chosen = sorted(set(pages))
    if any(not 1 <= p <= n for p in chosen):
        raise ValueError(f"pages {chosen} outside 1..{n}")
    if set(rotate) - set(chosen):
        raise ValueError("only scanned pages can be turned")
    if any(d % 90 for d in rotate.values()):
        raise ValueError("pages turn by multiples of 90 degrees")
    # The output starts as a copy of the input, so its trailer ID and document information
    # stay those of the input (a new pdfium document would get a creation date and a random ID).
    out = pdfium.PdfDocument(pdf)
    try:
        for number in chosen:
            index = number - 1
            page = src[index]
            width, height = page.get_size()
            turn = rotate.get(number, 0) % 360
            img = scan_image(page, _rng(seed, number), look, turn)
            page.close()
            if turn in (90, 270):
                width, height = height, width
            _blank(out, index)
            out.del_page(index)
            _image_page(out, _jpeg(img, look.jpeg_quality, look.dpi), width, height, index)
        buf = io.BytesIO()
        out.save(buf)
        return _fixed_id(buf.getvalue())
    finally:
        out.close()
        src.close()


_ID = re.compile(rb"/ID\s*\[\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*\]")


def _fixed_id(pdf: bytes) -> bytes:
    """pdfium gives a changed document a random second file identifier; make it a digest of
    the file instead (same length, so no offset moves)."""
    matches = list(_ID.finditer(pdf, max(0, len(pdf) - 4096)))
    if not matches:
        return pdf
    m = matches[-1]
    start, end = m.span(2)
    blanked = pdf[:start] + b"0" * (end - start) + pdf[end:]
    digest = hashlib.sha256(blanked).hexdigest().upper().encode()[: end - start]
    return pdf[:start] + digest + pdf[end:]


def _blank(doc: pdfium.PdfDocument, index: int) -> None:
    """Empty a page's content stream before the page is dropped: pdfium writes every object it
    loaded, so the old text would otherwise stay in the file, unreferenced."""
    page = doc[index]
    for obj in list(page.get_objects(max_depth=1)):
        page.remove_obj(obj)
    page.gen_content()
    page.close()


def text_chars(pdf: bytes) -> list[int]:
    """Characters in the text layer of each page (0 for a scanned page)."""
    doc = pdfium.PdfDocument(pdf)
    try:
        counts = []
        for page in doc:
            tp = page.get_textpage()
            counts.append(tp.count_chars())
            tp.close()
            page.close()
        return counts
    finally:
        doc.close()
