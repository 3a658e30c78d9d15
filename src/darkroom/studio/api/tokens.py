"""API endpoints for API tokens: list, make and revoke them.

Everyone with a role manages their own tokens (read-only people too: an integrator's read-only
token is what that role is most often for); managers see and revoke anyone's. Someone else's
token answers 404 to a non-manager, as if it did not exist.

A token can't make tokens: ``POST /tokens`` needs a logged-in browser session. Otherwise a
leaked token could make itself a successor, and revoking it would not cut the holder off.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any, Literal

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict

from darkroom.api.answers import NamedRef, person_ref
from darkroom.api.auth import SessionAuth
from darkroom.api.errors import error_responses
from darkroom.api.fields import Id, Text
from darkroom.api.lists import PageQuery, keyset_page, list_of
from darkroom.database_limits import LARGEST_ID
from darkroom.studio.models import ApiToken
from darkroom.studio.roles import request_role
from darkroom.studio.selectors import api_tokens_of, may_manage_tokens, studio_preferences
from darkroom.studio.services import (
    TOKEN_NAME_LENGTH,
    api_token_issue,
    api_token_revoke,
    api_token_user,
)

router = Router(tags=["tokens"])

StateName = Literal["active", "expired", "revoked"]


class TokenOut(Schema):
    """An API token as its owner and managers see it: never the secret, only how it starts."""

    id: int
    name: str
    key_prefix: str = Field(
        ..., description="The token's first characters, to tell tokens apart ('' if unknown)"
    )
    user: NamedRef = Field(..., description="Whose token it is")
    created_at: dt.datetime
    last_used_at: dt.datetime | None = Field(..., description="Noted at most once a minute")
    expires_at: dt.datetime | None = Field(..., description="None: works until revoked")
    revoked_at: dt.datetime | None
    revoked_by: NamedRef | None = Field(
        ..., description="None if not revoked, or revoked with the darkroom command"
    )
    state: StateName = Field(..., description="Only an active token opens the API")


class TokenCreated(TokenOut):
    """A new token, with its secret: shown this once, Darkroom keeps only a hash."""

    token: str = Field(..., description="Send as 'Authorization: Bearer <token>'; shown once")


TokensPage = list_of(TokenOut)


class TokensParams(PageQuery):
    user: Id | None = Field(None, description="Whose tokens (managers); default: your own")
    state: StateName | None = Field(None, description="Only tokens in this state")


class TokenIn(Schema):
    """A new token for yourself: what it is for, and when it stops working (optional)."""

    model_config = ConfigDict(extra="forbid")

    name: Text = Field(..., max_length=TOKEN_NAME_LENGTH, description="e.g. 'Lab sync'")
    expires_at: dt.datetime | None = Field(
        None,
        description="When it stops working; without a UTC offset it is read in the studio's "
        "time zone, and a date alone means the start of that day. None: until revoked.",
    )


def no_token_makes_tokens(request: HttpRequest) -> None:
    """Refuses a valid Bearer token on the endpoint that makes tokens, with a reason (403); an
    unknown one goes on to the usual 401. A plain callable, not a security scheme, so the
    OpenAPI schema lists only the session for this endpoint."""
    header = request.headers.get("Authorization", "")
    scheme, _, key = header.partition(" ")
    if scheme.lower() == "bearer" and api_token_user(key.strip()) is not None:
        raise PermissionDenied(
            "A token can't make tokens: log in to Darkroom and make one on the API tokens "
            "page, or ask a manager to run `darkroom token`."
        )


def token_answer(token: ApiToken, now: dt.datetime | None = None) -> dict[str, Any]:
    return {
        "id": token.pk,
        "name": token.name,
        "key_prefix": token.key_prefix,
        "user": person_ref(token.user),
        "created_at": token.created_at,
        "last_used_at": token.last_used_at,
        "expires_at": token.expires_at,
        "revoked_at": token.revoked_at,
        "revoked_by": person_ref(token.revoked_by),
        "state": token.state(now).value,
    }


def _has_a_role(request: HttpRequest) -> None:
    """Someone without a role can't use the API at all, their tokens included."""
    if request_role(request) is None:
        raise PermissionDenied("Your role does not allow this.")


def _aware(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None:
        return moment.replace(tzinfo=zoneinfo.ZoneInfo(studio_preferences().time_zone))
    return moment


@router.get(
    "/tokens",
    operation_id="tokens_list",
    summary="API tokens: your own, or a person's (managers)",
    response={200: TokensPage, **error_responses(401, 403, 404, 422)},
)
def tokens_list(request: HttpRequest, params: Query[TokensParams]) -> Any:
    _has_a_role(request)
    owner = request.user
    if params.user is not None and params.user != request.user.pk:
        owner = get_user_model()._default_manager.filter(pk=params.user).first()
        if owner is None:
            raise Http404
    if not may_manage_tokens(actor=request.user, owner=owner):
        raise PermissionDenied("Only a manager can see other people's tokens.")
    tokens = api_tokens_of(user=owner, state=params.state)
    return keyset_page(tokens, cursor=params.cursor, limit=params.limit, answer=token_answer)


@router.post(
    "/tokens",
    operation_id="tokens_create",
    summary="Make yourself a new API token (logged in; not with a token)",
    description="The answer carries the secret `token`, shown this once.",
    response={201: TokenCreated, **error_responses(401, 403, 422)},
    auth=[no_token_makes_tokens, SessionAuth()],
)
def tokens_create(request: HttpRequest, payload: TokenIn) -> Any:
    _has_a_role(request)
    expires_at = _aware(payload.expires_at) if payload.expires_at is not None else None
    token, secret = api_token_issue(user=request.user, name=payload.name, expires_at=expires_at)
    return Status(201, {**token_answer(token), "token": secret})


@router.delete(
    "/tokens/{id}",
    operation_id="tokens_revoke",
    summary="Revoke an API token: yours, or anyone's (managers)",
    description="It stops working at once and for good; revoking it again changes nothing.",
    response={204: None, **error_responses(401, 403, 404, 422)},
)
def tokens_revoke(request: HttpRequest, id: int) -> Any:
    _has_a_role(request)
    if not 0 < id <= LARGEST_ID:
        raise Http404
    token = ApiToken.objects.select_related("user").filter(pk=id).first()
    if token is None or not may_manage_tokens(actor=request.user, owner=token.user):
        raise Http404  # someone else's token is none of a non-manager's business
    api_token_revoke(token=token, by=request.user)
    return Status(204, None)
