"""Organisations, users and API keys: the functions the API and ``payerlens admin`` share.

A key is ``pl_<8 hex chars>_<43 url-safe chars>`` (256 random bits after the prefix). Only its
SHA-256 is stored (``ApiKey.key_hash``), with ``pl_<8 hex chars>`` as ``ApiKey.prefix`` to
recognise it; the plaintext is returned once, by ``create_key``. A fast hash is enough: the
secret part is random, so there is nothing to brute-force.

None of these functions commits: the caller's transaction holds the change and its audit
record together.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import timedelta

from sqlmodel import Session, col, func, select

from service.storage import audit
from service.storage.models import ApiKey, Organisation, Role, User, utcnow

KEY_SCHEME = "pl"
_KEY_RE = re.compile(r"^pl_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$")
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+$")
# ``last_used_at`` is written at most this often per key (not a write per request).
LAST_USED_RESOLUTION = timedelta(minutes=1)


class AccountError(Exception):
    """A request the account functions refuse; ``code`` is stable (``org.exists``, …)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def generate_key() -> tuple[str, str]:
    """A new key and its public prefix."""
    prefix = f"{KEY_SCHEME}_{secrets.token_hex(4)}"
    return f"{prefix}_{secrets.token_urlsafe(32)}", prefix


def create_org(session: Session, name: str) -> Organisation:
    name = name.strip()
    if not name or len(name) > 200:
        raise AccountError("org.bad_name", "An organisation name is 1 to 200 characters.")
    if session.exec(select(Organisation).where(Organisation.name == name)).first():
        raise AccountError("org.exists", f"An organisation named {name!r} already exists.")
    org = Organisation(name=name)
    session.add(org)
    session.flush()
    return org


def find_org(session: Session, name_or_id: str) -> Organisation | None:
    """By id, or else by exact name (for the command line)."""
    org = session.get(Organisation, name_or_id)
    if org is None:
        org = session.exec(select(Organisation).where(Organisation.name == name_or_id)).first()
    return org


def create_user(
    session: Session,
    *,
    org_id: str,
    email: str,
    role: Role | str,
    name: str | None = None,
    actor_id: str | None = None,
) -> User:
    try:
        role = Role(role)
    except ValueError:
        roles = ", ".join(r.value for r in Role)
        raise AccountError("user.bad_role", f"Role must be one of {roles}.") from None
    email = email.strip().lower()
    if not _EMAIL_RE.match(email) or len(email) > 320:
        raise AccountError("user.bad_email", f"{email!r} is not an e-mail address.")
    if session.get(Organisation, org_id) is None:
        raise AccountError("not_found", "No such organisation.")
    taken = session.exec(select(User).where(User.org_id == org_id, User.email == email)).first()
    if taken:
        raise AccountError("user.exists", f"A user {email} already exists in this organisation.")
    user = User(org_id=org_id, email=email, name=name, role=role.value)
    session.add(user)
    session.flush()
    audit.record(
        session,
        org_id=org_id,
        user_id=actor_id,
        action="user.created",
        target_type="user",
        target_id=user.id,
        email=email,
        role=role.value,
    )
    return user


def find_user(session: Session, *, org_id: str, email_or_id: str) -> User | None:
    user = session.get(User, email_or_id)
    if user is not None and user.org_id == org_id:
        return user
    email = email_or_id.strip().lower()
    return session.exec(select(User).where(User.org_id == org_id, User.email == email)).first()


def update_user(
    session: Session,
    user: User,
    *,
    role: Role | None = None,
    active: bool | None = None,
    name: str | None = None,
    actor_id: str | None = None,
) -> User:
    """Change a user's role, name or whether they may sign in; an organisation always keeps
    one active admin (``user.last_admin``)."""
    changes: dict[str, object] = {}
    if role is not None and role.value != user.role:
        changes["role"] = role.value
    if active is not None and active != user.active:
        changes["active"] = active
    if name is not None and name != user.name:
        changes["name"] = name
    if not changes:
        return user
    stays_admin = changes.get("role", user.role) == Role.ADMIN and changes.get("active", True)
    if user.role == Role.ADMIN and user.active and not stays_admin:
        admins = session.exec(
            select(func.count())
            .select_from(User)
            .where(
                User.org_id == user.org_id,
                User.role == Role.ADMIN.value,
                col(User.active).is_(True),
            )
        ).one()
        if admins <= 1:
            raise AccountError(
                "user.last_admin", "The organisation's last active admin cannot be removed."
            )
    for field, value in changes.items():
        setattr(user, field, value)
    session.add(user)
    audit.record(
        session,
        org_id=user.org_id,
        user_id=actor_id,
        action="user.updated",
        target_type="user",
        target_id=user.id,
        **changes,
    )
    return user


def create_key(
    session: Session, *, user_id: str, label: str | None = None, actor_id: str | None = None
) -> tuple[ApiKey, str]:
    """A new key for ``user_id``: the stored row and the plaintext key (shown once)."""
    user = session.get(User, user_id)
    if user is None:
        raise AccountError("not_found", "No such user.")
    key, prefix = generate_key()
    row = ApiKey(
        org_id=user.org_id, user_id=user.id, prefix=prefix, key_hash=hash_key(key), label=label
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        org_id=user.org_id,
        user_id=actor_id,
        action="api_key.created",
        target_type="api_key",
        target_id=row.id,
        prefix=prefix,
        for_user=user.id,
        label=label,
    )
    return row, key


def revoke_key(
    session: Session, *, key_id: str, org_id: str, actor_id: str | None = None
) -> ApiKey:
    """Revoke a key of ``org_id`` (idempotent: a revoked key keeps its first revocation time)."""
    row = session.get(ApiKey, key_id)
    if row is None or row.org_id != org_id:
        raise AccountError("not_found", "No such key.")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        session.add(row)
        audit.record(
            session,
            org_id=org_id,
            user_id=actor_id,
            action="api_key.revoked",
            target_type="api_key",
            target_id=row.id,
            prefix=row.prefix,
        )
    return row


def authenticate(session: Session, key: str) -> tuple[User, ApiKey] | None:
    """The active user and live key for a presented key, or None. Records ``last_used_at``
    (at most once a minute) in the caller's session, uncommitted."""
    if not _KEY_RE.match(key):
        return None
    digest = hash_key(key)
    row = session.exec(select(ApiKey).where(ApiKey.key_hash == digest)).first()
    if row is None or not hmac.compare_digest(row.key_hash, digest) or row.revoked_at:
        return None
    user = session.get(User, row.user_id)
    if user is None or not user.active or user.org_id != row.org_id:
        return None
    now = utcnow()
    if row.last_used_at is None or now - row.last_used_at >= LAST_USED_RESOLUTION:
        row.last_used_at = now
        session.add(row)
    return user, row
