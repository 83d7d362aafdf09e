"""Data flows one way: service -> extractor -> clause_rules. import-linter checks the real tree."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from tests.conftest import REPO


def _lint(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from importlinter.cli import lint_imports_command; "
            "sys.exit(lint_imports_command())",
        ],
        cwd=root,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(root), "PATH": ""},
        check=False,
    )


def test_extractor_never_imports_service_or_frameworks() -> None:
    result = _lint(REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "KEPT" in result.stdout and "BROKEN" not in result.stdout


def test_the_contract_catches_a_violation(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text((REPO / "pyproject.toml").read_text())
    for package in ("extractor", "service", "clause_rules"):
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text("")
    (tmp_path / "extractor" / "leak.py").write_text(
        textwrap.dedent("""
            import fastapi
            from service import cli
        """)
    )
    (tmp_path / "service" / "cli.py").write_text("")
    result = _lint(tmp_path)
    assert result.returncode != 0
    assert "extractor.leak" in result.stdout and "BROKEN" in result.stdout
