"""Who is calling: ``Authorization: Bearer <key>`` → the key's user, then the per-key rate
limit, then the role check.

Roles (``service.storage.models.Role``):

* ``viewer`` — reads the organisation's contracts, findings, rates, text, jobs and reviews.
* ``legal``, ``finance`` — also upload documents, review findings, request re-analysis and
  read the audit log.
* ``admin`` — everything, and alone manages users and API keys.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import HTTPBearer

from service import accounts
from service.api.deps import ServicesDep, SessionDep
from service.api.errors import ApiError, forbidden
from service.storage.models import ApiKey, Role, User

bearer = HTTPBearer(
    auto_error=False,
    scheme_name="ApiKey",
    description="An API key (`payerlens admin create-key`), sent as `Authorization: Bearer pl_…`.",
)

WRITERS = (Role.ADMIN, Role.LEGAL, Role.FINANCE)
AUDITORS = (Role.ADMIN, Role.LEGAL, Role.FINANCE)


@dataclass(frozen=True)
class Principal:
    user: User
    key: ApiKey

    @property
    def org_id(self) -> str:
        return self.user.org_id

    @property
    def user_id(self) -> str:
        return self.user.id

    @property
    def role(self) -> Role:
        return Role(self.user.role)


def _unauthorized(code: str, message: str) -> ApiError:
    challenge = 'Bearer realm="payerlens"'
    if code == "auth.invalid":
        challenge += ', error="invalid_token"'
    return ApiError(401, code, message, headers={"WWW-Authenticate": challenge})


def current_principal(
    request: Request,
    session: SessionDep,
    services: ServicesDep,
    _scheme: Annotated[object, Security(bearer)] = None,
) -> Principal:
    header = request.headers.get("authorization")
    if not header:
        raise _unauthorized("auth.missing", "Send an API key: Authorization: Bearer <key>.")
    scheme, _, key = header.partition(" ")
    if scheme.lower() != "bearer" or not key.strip():
        raise _unauthorized("auth.invalid", "Use the Bearer scheme: Authorization: Bearer <key>.")
    found = accounts.authenticate(session, key.strip())
    if found is None:
        raise _unauthorized("auth.invalid", "The API key is not valid, or has been revoked.")
    if session.dirty:
        session.commit()  # last_used_at, written at most once a minute
    user, row = found
    decision = services.limiter.hit(row.id)
    if not decision.allowed:
        raise ApiError(
            429,
            "rate_limited",
            f"Too many requests for this key; retry in {decision.retry_after} s.",
            headers={"Retry-After": str(decision.retry_after)},
        )
    return Principal(user, row)


def require(*roles: Role) -> Callable[..., Principal]:
    allowed = frozenset(roles)

    def check(principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
        if principal.role not in allowed:
            names = ", ".join(sorted(r.value for r in allowed))
            raise forbidden(f"This needs one of the roles {names}; yours is {principal.role}.")
        return principal

    return check


Reader = Annotated[Principal, Depends(current_principal)]
Writer = Annotated[Principal, Depends(require(*WRITERS))]
Auditor = Annotated[Principal, Depends(require(*AUDITORS))]
Admin = Annotated[Principal, Depends(require(Role.ADMIN))]
