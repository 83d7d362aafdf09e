"""What ``payerlens batch`` reads: a folder (recursively) or a zip archive, as a sorted list of
entries, each a file of the source by its relative path with a way to stream its bytes.

Every file is an entry, whatever its name: the reader is chosen by content (a PDF, a Word
.docx; anything else is reported ``input.not_pdf`` by the batch, a bad file being an item too).
Left out, as not being documents at all: directories, Word's lock files (``~$name.docx``) and
the operating systems' own litter (``.DS_Store``, ``Thumbs.db``, ``desktop.ini``, macOS
``._name`` resource forks and ``__MACOSX/`` folders in zips). A folder's symbolic links to
files are followed; links to directories are not (no loops).

A zip is checked whole, from its central directory, before a single member is inflated; a
source that fails is refused with a stable code and nothing is stored:

=============================  =================================================================
``source.not_found``           no such file or folder
``source.unsupported``         neither a folder nor a ``.zip`` file
``source.corrupt``             the zip's central directory cannot be read
``source.zip_bomb``            more members than ``max_members`` (checked on the end record,
                               before zipfile reads the directory); members declaring more
                               than ``max_total_ratio`` times the archive's size in all (and
                               over ``min_total_bytes``); a member over ``ratio_min_bytes``
                               compressed more than ``max_member_ratio``:1
``source.path_traversal``      a member named by an absolute path or a drive, with a ``..``
                               component or a NUL, or stored as a symbolic link
``source.duplicate_member``    two members with the same name (after normalising separators)
=============================  =================================================================

Members are then streamed one at a time (``Entry.chunks``); zipfile never inflates a member
past its declared size, a member whose data does not match its CRC (or cannot be inflated)
fails as ``input.corrupt``, an encrypted member as ``input.encrypted``, a folder's file that
cannot be read as ``input.unreadable`` (or ``input.not_found`` when it went away),
and the caller's spool caps the bytes actually written (``BlobStore.spool(max_bytes=...)``),
so declared sizes are never trusted for anything but refusing early. Nothing is ever written
under a member's name, so names reach no file system. A zip inside the source is a file like
any other (not opened here: the analyzer reports it).
"""

from __future__ import annotations

import os
import re
import stat
import struct
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

CHUNK_BYTES = 1024 * 1024
# Not documents: left out of a source altogether.
JUNK_NAMES = frozenset({".ds_store", "thumbs.db", "desktop.ini"})
JUNK_PREFIXES = ("~$", "._")
JUNK_DIRS = frozenset({"__MACOSX"})
_DRIVE = re.compile(r"^[A-Za-z]:")


class SourceRefused(Exception):
    """The whole source is refused; ``code`` is stable (see the module docstring)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


class EntryError(Exception):
    """One entry cannot be read (an encrypted or damaged zip member): the item fails with
    ``code`` (the extractor's input codes) and the batch goes on."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


@dataclass(frozen=True)
class ZipLimits:
    max_members: int = 100_000
    # All members together may declare at most this many times the archive's own size ...
    max_total_ratio: float = 50.0
    # ... unless that is less than this.
    min_total_bytes: int = 1024 * 1024 * 1024
    # A member declaring more than ratio_min_bytes may be compressed at most this much.
    max_member_ratio: float = 100.0
    ratio_min_bytes: int = 4 * 1024 * 1024


@dataclass(frozen=True)
class Entry:
    """One file of a source. ``path`` is relative, with ``/`` separators; ``size`` is the
    file's size (a zip member's declared size: a hint, never trusted)."""

    path: str
    size: int
    _source: Source

    @property
    def name(self) -> str:
        return PurePosixPath(self.path).name

    def chunks(self) -> Iterator[bytes]:
        """The bytes, a chunk at a time (``EntryError`` for an unreadable member)."""
        return self._source.chunks(self)


class Source:
    kind: str = ""

    def __init__(self, location: Path) -> None:
        self.location = location

    def entries(self) -> list[Entry]:
        raise NotImplementedError

    def chunks(self, entry: Entry) -> Iterator[bytes]:
        raise NotImplementedError

    def close(self) -> None:
        pass

    def __enter__(self) -> Source:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def is_junk(path: str) -> bool:
    parts = PurePosixPath(path).parts
    if any(part in JUNK_DIRS for part in parts[:-1]):
        return True
    name = parts[-1] if parts else ""
    return name.lower() in JUNK_NAMES or name.startswith(JUNK_PREFIXES)


# ---- folders -------------------------------------------------------------------------------


class FolderSource(Source):
    kind = "folder"

    def entries(self) -> list[Entry]:
        found: list[Entry] = []
        for top, dirs, files in os.walk(self.location, followlinks=False):
            dirs.sort()
            for name in files:
                full = Path(top) / name
                rel = full.relative_to(self.location).as_posix()
                if is_junk(rel):
                    continue
                try:
                    info = full.stat()  # follows a link to a file
                except OSError:
                    continue  # a dangling link
                if not stat.S_ISREG(info.st_mode):
                    continue
                found.append(Entry(rel, info.st_size, self))
        found.sort(key=lambda e: e.path)
        return found

    def chunks(self, entry: Entry) -> Iterator[bytes]:
        try:
            with (self.location / entry.path).open("rb") as fh:
                while chunk := fh.read(CHUNK_BYTES):
                    yield chunk
        except FileNotFoundError:
            raise EntryError(
                "input.not_found", f"{entry.path} disappeared from the folder."
            ) from None
        except OSError as exc:  # permissions, I/O errors
            raise EntryError(
                "input.unreadable", f"{entry.path} cannot be read ({exc.strerror or exc})."
            ) from None


# ---- zip archives --------------------------------------------------------------------------


class ZipSource(Source):
    kind = "zip"

    def __init__(self, location: Path, limits: ZipLimits | None = None) -> None:
        super().__init__(location)
        self.limits = limits or ZipLimits()
        self._members = check_zip(location, self.limits)  # refuses before opening anything
        self._zip = zipfile.ZipFile(location)

    def entries(self) -> list[Entry]:
        found = [
            Entry(name, info.file_size, self)
            for name, info in self._members.items()
            if not info.is_dir() and not is_junk(name)
        ]
        found.sort(key=lambda e: e.path)
        return found

    def chunks(self, entry: Entry) -> Iterator[bytes]:
        info = self._members[entry.path]
        if info.flag_bits & 0x1:
            raise EntryError(
                "input.encrypted",
                f"{entry.path} is encrypted inside the zip (a password-protected member).",
            )
        try:
            with self._zip.open(info) as member:
                while chunk := member.read(CHUNK_BYTES):
                    yield chunk
        except NotImplementedError as exc:  # a compression method zipfile does not have
            raise EntryError("input.corrupt", f"{entry.path}: {exc}") from None
        except Exception as exc:  # CRC, truncation, zlib.error, ...: this member only
            raise EntryError(
                "input.corrupt",
                f"{entry.path} is damaged inside the zip ({' '.join(str(exc).split())}).",
            ) from None

    def close(self) -> None:
        self._zip.close()


def check_zip(path: Path, limits: ZipLimits) -> dict[str, zipfile.ZipInfo]:
    """The members by normalised name, once the whole central directory passed every check
    (``SourceRefused`` otherwise). Nothing is inflated."""
    size = path.stat().st_size
    declared = declared_entries(path)
    if declared is not None and declared > limits.max_members:
        raise SourceRefused(
            "source.zip_bomb",
            f"The zip declares {declared:,} members (the limit is {limits.max_members:,}).",
        )
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise SourceRefused(
            "source.corrupt", f"The zip's directory cannot be read ({exc})."
        ) from None
    if len(infos) > limits.max_members:
        raise SourceRefused(
            "source.zip_bomb",
            f"The zip has {len(infos):,} members (the limit is {limits.max_members:,}).",
        )
    members: dict[str, zipfile.ZipInfo] = {}
    total = 0
    for info in infos:
        name = _member_name(info)
        if name in members:
            raise SourceRefused(
                "source.duplicate_member", f"The zip holds two members named {name!r}."
            )
        members[name] = info
        if info.is_dir():
            continue
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > limits.ratio_min_bytes and ratio > limits.max_member_ratio:
            raise SourceRefused(
                "source.zip_bomb",
                f"The member {name!r} declares {info.file_size:,} bytes compressed "
                f"{ratio:,.0f}:1 (the limit is {limits.max_member_ratio:,.0f}:1).",
            )
    limit = max(limits.max_total_ratio * size, limits.min_total_bytes)
    if total > limit:
        raise SourceRefused(
            "source.zip_bomb",
            f"The zip ({size:,} bytes) declares {total:,} bytes uncompressed "
            f"(the limit is {limit:,.0f}).",
        )
    return members


def _member_name(info: zipfile.ZipInfo) -> str:
    raw = info.orig_filename
    if "\x00" in raw:
        raise SourceRefused("source.path_traversal", f"A member's name holds a NUL: {raw!r}.")
    name = raw.replace("\\", "/")
    if name.startswith("/") or _DRIVE.match(name):
        raise SourceRefused(
            "source.path_traversal", f"The member {raw!r} is named by an absolute path."
        )
    parts = [p for p in name.split("/") if p not in ("", ".")]
    if ".." in parts:
        raise SourceRefused(
            "source.path_traversal", f"The member {raw!r} climbs out of the archive ('..')."
        )
    mode = (info.external_attr >> 16) & 0o170000
    if mode == stat.S_IFLNK:
        raise SourceRefused("source.path_traversal", f"The member {raw!r} is a symbolic link.")
    normalised = "/".join(parts)
    if not normalised:
        raise SourceRefused("source.path_traversal", f"A member has an empty name: {raw!r}.")
    return normalised + ("/" if info.is_dir() else "")


def declared_entries(path: Path) -> int | None:
    """The member count in the zip's end-of-central-directory record (ZIP64's when present),
    read from the file's tail without parsing the directory."""
    size = path.stat().st_size
    with path.open("rb") as fh:
        start = max(0, size - 65_557 - 20)
        fh.seek(start)
        tail = fh.read()
        at = tail.rfind(b"PK\x05\x06")
        if at < 0 or at + 22 > len(tail):
            return None
        (count,) = struct.unpack_from("<H", tail, at + 10)
        if count != 0xFFFF:
            return int(count)
        locator = at - 20
        if locator < 0 or tail[locator : locator + 4] != b"PK\x06\x07":
            return None
        (offset,) = struct.unpack_from("<Q", tail, locator + 8)
        if offset + 56 > size:
            return None
        fh.seek(offset)
        record = fh.read(56)
    if record[:4] != b"PK\x06\x06":
        return None
    (count64,) = struct.unpack_from("<Q", record, 32)
    return int(count64)


# ---- opening a source ----------------------------------------------------------------------


def open_source(path: Path, limits: ZipLimits | None = None) -> Source:
    """A folder or a ``.zip`` file (``SourceRefused`` for anything else, or a bad zip)."""
    location = path.expanduser().resolve()
    if location.is_dir():
        return FolderSource(location)
    if not location.exists():
        raise SourceRefused("source.not_found", f"No such file or folder: {path}")
    if location.is_file() and location.suffix.lower() == ".zip":
        if not zipfile.is_zipfile(location):
            raise SourceRefused("source.corrupt", f"{path} is not a readable zip archive.")
        return ZipSource(location, limits)
    raise SourceRefused(
        "source.unsupported",
        f"{path} is neither a folder nor a .zip archive; to analyse single files use "
        "`payerlens analyze`.",
    )
