"""``payerlens batch`` sources: a folder's files in order, a zip's members; a zip bomb or a
member escaping the archive refuses the whole source before anything is inflated or stored."""

from __future__ import annotations

import struct
import subprocess
import sys
import warnings
import zipfile
from pathlib import Path

import pytest

from service.batch.runner import BatchRefused, run_batch
from service.batch.sources import FolderSource, ZipLimits, ZipSource, check_zip, open_source
from service.settings import Settings
from tests.conftest import SAMPLES

REPO = Path(__file__).resolve().parents[2]
GOOD = SAMPLES / "behavioral_health_services_agreement.pdf"


def _zip(path: Path, members: dict[str, bytes], **kwargs: object) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data, **kwargs)  # type: ignore[arg-type]
    return path


def _nothing_stored(settings: Settings) -> None:
    """No blob, no spooled file, no database: the source was refused before anything."""
    data = settings.data_dir
    assert not (data / "blobs").exists() and not (data / "uploads").exists()
    assert not (data / "payerlens.db").exists()


def _refused(settings: Settings, source: Path, **options: object) -> BatchRefused:
    with pytest.raises(BatchRefused) as caught:
        run_batch(settings, source, workers=1, **options)  # type: ignore[arg-type]
    _nothing_stored(settings)
    return caught.value


def test_a_folder_lists_every_file_sorted_without_os_litter(tmp_path: Path) -> None:
    root = tmp_path / "archive"
    for name in (
        "b/contract.PDF",
        "a.pdf",
        "b/draft.docx",
        "b/~$draft.docx",  # Word's lock file
        "notes.txt",
        ".DS_Store",
        "b/._a.pdf",  # a macOS resource fork
    ):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(b"x")
    (root / "empty_dir").mkdir()
    (root / "link.pdf").symlink_to(root / "a.pdf")
    (root / "dangling.pdf").symlink_to(root / "missing.pdf")
    source = open_source(root)
    assert isinstance(source, FolderSource)
    paths = [e.path for e in source.entries()]
    assert paths == ["a.pdf", "b/contract.PDF", "b/draft.docx", "link.pdf", "notes.txt"]


def test_a_zip_lists_its_members_and_streams_them(tmp_path: Path) -> None:
    data = GOOD.read_bytes()
    path = _zip(
        tmp_path / "a.zip",
        {"z/second.pdf": data, "first.pdf": data, "__MACOSX/._first.pdf": b"x", "dir/": b""},
    )
    with open_source(path) as source:
        assert isinstance(source, ZipSource)
        entries = source.entries()
        assert [e.path for e in entries] == ["first.pdf", "z/second.pdf"]
        assert b"".join(entries[0].chunks()) == data
        assert entries[1].size == len(data)


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("../outside.pdf", "source.path_traversal"),
        ("docs/../../outside.pdf", "source.path_traversal"),
        ("/etc/contract.pdf", "source.path_traversal"),
        ("C:/contracts/a.pdf", "source.path_traversal"),
        ("..\\windows.pdf", "source.path_traversal"),
    ],
)
def test_members_escaping_the_archive_refuse_it(
    sqlite_settings: Settings, tmp_path: Path, name: str, code: str
) -> None:
    path = _zip(tmp_path / "evil.zip", {"fine.pdf": GOOD.read_bytes(), name: b"%PDF-1.7"})
    assert _refused(sqlite_settings, path).code == code


def test_a_symlink_member_refuses_the_archive(sqlite_settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "link.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("fine.pdf", GOOD.read_bytes())
        link = zipfile.ZipInfo("contract.pdf")
        link.create_system = 3
        link.external_attr = 0o120777 << 16  # a symbolic link to ...
        archive.writestr(link, "/etc/passwd")
    assert _refused(sqlite_settings, path).code == "source.path_traversal"


def test_duplicate_member_names_refuse_the_archive(
    sqlite_settings: Settings, tmp_path: Path
) -> None:
    path = tmp_path / "dup.zip"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns of the duplicate it writes
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("a/contract.pdf", GOOD.read_bytes())
            archive.writestr("a\\contract.pdf", b"%PDF-1.7 another")
    assert _refused(sqlite_settings, path).code == "source.duplicate_member"


def test_a_highly_compressed_member_is_a_zip_bomb(
    sqlite_settings: Settings, tmp_path: Path
) -> None:
    bomb = _zip(tmp_path / "bomb.zip", {"fine.pdf": GOOD.read_bytes(), "big.pdf": bytes(8 << 20)})
    refused = _refused(sqlite_settings, bomb)
    assert refused.code == "source.zip_bomb" and "big.pdf" in refused.message


def test_declared_sizes_are_checked_not_trusted(sqlite_settings: Settings, tmp_path: Path) -> None:
    """A member whose central directory entry claims 4 GiB (compressed in a few bytes) is a
    bomb by its declaration, refused before a byte is inflated."""
    path = _zip(tmp_path / "liar.zip", {"fine.pdf": GOOD.read_bytes(), "x.pdf": b"%PDF-1.7"})
    raw = bytearray(path.read_bytes())
    entry = raw.rfind(b"PK\x01\x02")  # the last central directory entry: x.pdf
    struct.pack_into("<I", raw, entry + 24, 0xFFFFFFF0)  # its uncompressed size
    path.write_bytes(bytes(raw))
    assert _refused(sqlite_settings, path).code == "source.zip_bomb"


def test_member_count_and_total_size_limits(tmp_path: Path) -> None:
    path = _zip(tmp_path / "many.zip", {f"{i}.pdf": b"%PDF-1.7 " + bytes(2000) for i in range(6)})
    with pytest.raises(Exception) as caught:
        check_zip(path, ZipLimits(max_members=5))
    assert getattr(caught.value, "code", None) == "source.zip_bomb"
    with pytest.raises(Exception) as caught:
        check_zip(path, ZipLimits(max_total_ratio=2.0, min_total_bytes=1000))
    assert getattr(caught.value, "code", None) == "source.zip_bomb"
    assert len(check_zip(path, ZipLimits())) == 6


def test_other_sources_are_refused(sqlite_settings: Settings, tmp_path: Path) -> None:
    assert _refused(sqlite_settings, tmp_path / "nope").code == "source.not_found"
    assert _refused(sqlite_settings, GOOD).code == "source.unsupported"
    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    assert _refused(sqlite_settings, broken).code == "source.corrupt"


def test_the_command_refuses_a_bomb_with_exit_code_2(tmp_path: Path) -> None:
    bomb = _zip(tmp_path / "bomb.zip", {"big.pdf": bytes(8 << 20)})
    data = tmp_path / "data"
    done = subprocess.run(
        [sys.executable, "-m", "service.cli", "batch", str(bomb), "--data-dir", str(data)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2, done.stderr
    assert "source.zip_bomb" in done.stderr
    assert not (data / "blobs").exists()
