"""The caller (``/me``), and user and key management (admins only)."""

from __future__ import annotations

from typing import NoReturn

from fastapi import APIRouter
from sqlmodel import col, select

from service import accounts
from service.api.auth import Admin, Reader
from service.api.deps import SessionDep
from service.api.errors import AUTHED, ApiError, error_responses, not_found
from service.api.routes.views import key_out, user_out
from service.api.schemas import (
    KeyCreate,
    KeyCreated,
    KeyList,
    KeyOut,
    Me,
    UserCreate,
    UserList,
    UserOut,
    UserUpdate,
)
from service.api.scope import owned
from service.storage.models import ApiKey, Organisation, User

router = APIRouter(tags=["users and keys"])


def _account_error(exc: accounts.AccountError) -> NoReturn:
    if exc.code == "not_found":
        raise not_found() from None
    status = 409 if exc.code in ("user.exists", "user.last_admin", "org.exists") else 422
    raise ApiError(status, exc.code, exc.message) from None


@router.get(
    "/me",
    response_model=Me,
    summary="The caller: user, role, organisation and key",
    responses=error_responses(*AUTHED),
)
def me(principal: Reader, session: SessionDep) -> Me:
    org = session.get(Organisation, principal.org_id)
    assert org is not None
    u = principal.user
    return Me(
        user_id=u.id,
        org_id=org.id,
        org_name=org.name,
        email=u.email,
        name=u.name,
        role=principal.role,
        key_id=principal.key.id,
        key_prefix=principal.key.prefix,
    )


@router.get(
    "/users",
    response_model=UserList,
    summary="The organisation's users (admin)",
    responses=error_responses(*AUTHED, 403),
)
def list_users(principal: Admin, session: SessionDep) -> UserList:
    users = session.exec(
        select(User).where(User.org_id == principal.org_id).order_by(col(User.email))
    ).all()
    return UserList(items=[user_out(u) for u in users])


@router.post(
    "/users",
    status_code=201,
    response_model=UserOut,
    summary="Add a user (admin)",
    responses=error_responses(*AUTHED, 403, 409, 422, s409=("user.exists",)),
)
def create_user(body: UserCreate, principal: Admin, session: SessionDep) -> UserOut:
    try:
        user = accounts.create_user(
            session,
            org_id=principal.org_id,
            email=body.email,
            role=body.role,
            name=body.name,
            actor_id=principal.user_id,
        )
    except accounts.AccountError as exc:
        _account_error(exc)
    session.commit()
    return user_out(user)


@router.patch(
    "/users/{user_id}",
    response_model=UserOut,
    summary="Change a user's role, name, or deactivate them (admin)",
    description="A deactivated user's keys stop working. The organisation's last active "
    "admin cannot be demoted or deactivated (409 `user.last_admin`).",
    responses=error_responses(*AUTHED, 403, 404, 409, 422, s409=("user.last_admin",)),
)
def update_user(user_id: str, body: UserUpdate, principal: Admin, session: SessionDep) -> UserOut:
    user = owned(session, User, user_id, principal.org_id)
    try:
        accounts.update_user(
            session,
            user,
            role=body.role,
            active=body.active,
            name=body.name,
            actor_id=principal.user_id,
        )
    except accounts.AccountError as exc:
        _account_error(exc)
    session.commit()
    return user_out(user)


@router.post(
    "/users/{user_id}/keys",
    status_code=201,
    response_model=KeyCreated,
    summary="Create an API key for a user (admin); the key is shown once",
    responses=error_responses(*AUTHED, 403, 404, 422),
)
def create_key(user_id: str, body: KeyCreate, principal: Admin, session: SessionDep) -> KeyCreated:
    user = owned(session, User, user_id, principal.org_id)
    try:
        row, key = accounts.create_key(
            session, user_id=user.id, label=body.label, actor_id=principal.user_id
        )
    except accounts.AccountError as exc:
        _account_error(exc)
    session.commit()
    return KeyCreated(**key_out(row).model_dump(), key=key)


@router.get(
    "/keys",
    response_model=KeyList,
    summary="The organisation's API keys (admin)",
    responses=error_responses(*AUTHED, 403),
)
def list_keys(principal: Admin, session: SessionDep) -> KeyList:
    keys = session.exec(
        select(ApiKey)
        .where(ApiKey.org_id == principal.org_id)
        .order_by(col(ApiKey.created_at), col(ApiKey.id))
    ).all()
    return KeyList(items=[key_out(k) for k in keys])


@router.post(
    "/keys/{key_id}/revoke",
    response_model=KeyOut,
    summary="Revoke an API key (admin)",
    responses=error_responses(*AUTHED, 403, 404),
)
def revoke_key(key_id: str, principal: Admin, session: SessionDep) -> KeyOut:
    owned(session, ApiKey, key_id, principal.org_id)
    try:
        row = accounts.revoke_key(
            session, key_id=key_id, org_id=principal.org_id, actor_id=principal.user_id
        )
    except accounts.AccountError as exc:
        _account_error(exc)
    session.commit()
    return key_out(row)
