"""`payerlens admin …` bootstraps an organisation, a user and a key that the API accepts."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import select
from typer.testing import CliRunner

from service import accounts
from service.cli import app
from service.settings import Settings
from service.storage.db import Database
from service.storage.models import ApiKey, AuditLog, User

runner = CliRunner()


def _run(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_bootstrap_org_user_key(tmp_path: Path) -> None:
    data = ["--data-dir", str(tmp_path / "data")]
    org_id = _run("admin", "create-org", "Acme Health", *data).strip().splitlines()[-1]
    user_id = (
        _run(
            "admin",
            "create-user",
            "ann@acme.test",
            "--org",
            "Acme Health",
            "--role",
            "legal",
            *data,
        )
        .strip()
        .splitlines()[-1]
    )
    key = (
        _run("admin", "create-key", "ann@acme.test", "--org", org_id, *data)
        .strip()
        .splitlines()[-1]
    )
    assert key.startswith("pl_") and " " not in key

    database = Database(Settings(data_dir=tmp_path / "data"))
    with database.session() as session:
        user = session.get(User, user_id)
        assert user is not None and user.role == "legal" and user.org_id == org_id
        stored = session.exec(select(ApiKey)).one()
        assert stored.key_hash != key and key not in stored.key_hash
        found = accounts.authenticate(session, key)
        assert found is not None and found[0].id == user_id
        assert session.exec(select(AuditLog)).all(), "key creation is audited"


def test_duplicate_org_and_bad_role_are_refused(tmp_path: Path) -> None:
    data = ["--data-dir", str(tmp_path / "data")]
    _run("admin", "create-org", "Acme", *data)
    again = runner.invoke(app, ["admin", "create-org", "Acme", *data])
    assert again.exit_code == 1 and "org.exists" in again.output
    bad = runner.invoke(
        app, ["admin", "create-user", "x@acme.test", "--org", "Acme", "--role", "owner", *data]
    )
    assert bad.exit_code == 1 and "role" in bad.output
    missing = runner.invoke(
        app, ["admin", "create-key", "nobody@acme.test", "--org", "Acme", *data]
    )
    assert missing.exit_code == 1 and "not_found" in missing.output
