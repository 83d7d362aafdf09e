"""The command line as a user runs it: JSON Lines in schema v1, readable reports, exit codes,
and no traceback on any input."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO, SAMPLES, build_pdf
from tests.schema_v1 import ResultV1


def _run(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "service.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_analyze_samples_json_is_valid_schema_v1() -> None:
    pdfs = sorted(str(p) for p in SAMPLES.glob("*.pdf"))
    result = _run("analyze", *pdfs, "--json")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == len(pdfs)
    categories = set()
    for line in lines:
        obj = ResultV1.model_validate(json.loads(line))
        assert obj.errors == []
        assert obj.source.pages > 0 and len(obj.source.sha256) == 64
        for finding in obj.findings:
            categories.add(finding.category)
            assert finding.page <= obj.source.pages
            assert finding.text and finding.explanation and finding.rule_id
            assert not set("{}[]") & set(finding.explanation)
    assert {
        "evergreen_renewal",
        "vague_reimbursement",
        "audit_provision",
        "recoupment_offset",
    } <= categories


def test_folder_of_mixed_good_and_bad_files_is_analysed_to_the_end(tmp_path: Path) -> None:
    folder = tmp_path / "archive"
    folder.mkdir()
    shutil.copy(SAMPLES / "behavioral_health_services_agreement.pdf", folder / "a_good.pdf")
    (folder / "b_not_a_pdf.pdf").write_text("hello")
    build_pdf(folder / "c_locked.pdf", [["secret"]], encrypt="pw")
    good = (SAMPLES / "physician_group_ppo_agreement.pdf").read_bytes()
    (folder / "d_truncated.pdf").write_bytes(good[:300])
    shutil.copy(SAMPLES / "physician_group_ppo_agreement.pdf", folder / "e_good.pdf")
    result = _run("analyze", str(folder), "--json")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    objs = [ResultV1.model_validate(json.loads(x)) for x in result.stdout.splitlines()]
    codes = {Path(o.source.path).name: [e.code for e in o.errors] for o in objs}
    assert codes == {
        "a_good.pdf": [],
        "b_not_a_pdf.pdf": ["input.not_pdf"],
        "c_locked.pdf": ["input.encrypted"],
        "d_truncated.pdf": ["input.truncated"],
        "e_good.pdf": [],
    }
    assert all(o.findings == [] for o in objs if o.errors)


def test_exit_code_is_non_zero_only_when_nothing_could_be_analysed(tmp_path: Path) -> None:
    bad = tmp_path / "bad.pdf"
    bad.write_text("not a pdf")
    result = _run("analyze", str(bad), "--json")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert json.loads(result.stdout)["errors"][0]["code"] == "input.not_pdf"
    missing = _run("analyze", str(tmp_path / "empty_folder_that_does_not_exist"))
    assert missing.returncode == 1 and "Traceback" not in missing.stderr


def test_readable_report_lists_findings_and_key_terms() -> None:
    result = _run("analyze", str(SAMPLES / "acute_care_hospital_agreement.pdf"))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "findings" in out and "key terms" in out
    assert "evergreen_renewal" in out and "Participating Hospital Agreement" in out
    assert "Cascadia Summit Health Plan" in out


def test_broken_rules_folder_is_one_clear_error(tmp_path: Path) -> None:
    (tmp_path / "x.yaml").write_text("category: x\n")
    result = _run(
        "analyze", str(SAMPLES / "acute_care_hospital_agreement.pdf"), "--rules", str(tmp_path)
    )
    assert result.returncode == 2
    assert "rules.invalid" in result.stderr and "x.yaml" in result.stderr
    assert "Traceback" not in result.stderr


def test_console_script_is_declared() -> None:
    text = (REPO / "pyproject.toml").read_text()
    assert 'payerlens = "service.cli:main"' in text


def test_rates_csv_has_page_table_and_exact_amounts(tmp_path: Path) -> None:
    import csv
    import io

    result = _run("rates", str(SAMPLES / "physician_group_ppo_agreement.pdf"), "--csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows and set(rows[0]) >= {"file", "page", "table", "row", "code", "amount", "unit"}
    by_code = {r["code"]: r for r in rows}
    assert by_code["99202"]["amount"] == "92.15"
    assert by_code["99202"]["page"] == "5" and by_code["99202"]["table"] != ""
    bad = tmp_path / "x.pdf"
    bad.write_text("nope")
    failed = _run("rates", str(bad), "--csv")
    assert failed.returncode == 1 and "input.not_pdf" in failed.stderr
    assert "Traceback" not in failed.stderr
