"""Content-addressed file store: ``blobs/ab/abcdef…`` under the data directory.

An upload is streamed to a temporary file in the same file system while its SHA-256 is
computed; ``keep`` then moves it into place atomically (or drops it when those bytes are
already stored), so a crash never leaves a half-written blob under its hash.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


class TooLarge(Exception):
    pass


@dataclass(frozen=True)
class Spooled:
    path: Path
    sha256: str
    size: int
    head: bytes  # the first bytes, for sniffing the file type


class BlobStore:
    def __init__(self, root: Path, spool: Path) -> None:
        self.root = root
        self.spool_dir = spool

    def path_for(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def exists(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()

    def spool(self, chunks: Iterable[bytes], max_bytes: int) -> Spooled:
        """Write ``chunks`` to a temporary file, hashing as they come; over ``max_bytes`` the
        file is removed and ``TooLarge`` raised without reading the rest."""
        self.spool_dir.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        size = 0
        head = b""
        fd, name = tempfile.mkstemp(dir=self.spool_dir, suffix=".upload")
        path = Path(name)
        try:
            with os.fdopen(fd, "wb") as fh:
                for chunk in chunks:
                    size += len(chunk)
                    if size > max_bytes:
                        raise TooLarge(f"larger than {max_bytes} bytes")
                    if len(head) < 1024:
                        head += chunk[: 1024 - len(head)]
                    digest.update(chunk)
                    fh.write(chunk)
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        return Spooled(path, digest.hexdigest(), size, head)

    def keep(self, spooled: Spooled) -> Path:
        """Move a spooled upload into the store under its hash (a no-op if already there)."""
        target = self.path_for(spooled.sha256)
        if target.is_file():
            spooled.path.unlink(missing_ok=True)
            return target
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(spooled.path, target)
        return target

    def discard(self, spooled: Spooled) -> None:
        spooled.path.unlink(missing_ok=True)
