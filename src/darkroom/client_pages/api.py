"""API endpoints for an invoice's status-page links: list them, make one, revoke one.

Whoever may see the invoice sees its links (and the working link's address, which is derived,
not stored: ``clients.models.StatusLink``); whoever may change the invoice makes and revokes
them. Revoking is a DELETE, as for calendar feeds: the link is kept on record, revoked.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from darkroom.api.answers import NamedRef, person_ref
from darkroom.api.auth import permitted
from darkroom.api.errors import READ_ERRORS, WRITE_ERRORS
from darkroom.api.fields import Day
from darkroom.api.lists import list_of, whole_list
from darkroom.api.lookups import path_id
from darkroom.clients.models import Invoice, StatusLink
from darkroom.clients.status_links import (
    status_link_issue,
    status_link_key_of,
    status_link_path,
    status_link_revoke,
    status_links_of,
)
from darkroom.studio.selectors import studio_preferences
from darkroom.studio.services import api_token_expiry

router = Router(tags=["client status pages"])

VIEW = "clients.view_invoice"
CHANGE = "clients.change_invoice"


class StatusLinkOut(Schema):
    """A link to the client's status page of an invoice."""

    id: int
    invoice: int
    key_prefix: str = Field(..., description="The address's secret's first characters")
    works: bool = Field(..., description="Not revoked and not expired: the page opens")
    url: str | None = Field(
        ..., description="The page's address, while the link works (null otherwise)"
    )
    created_at: dt.datetime
    created_by: NamedRef | None = Field(..., description="Null when a message made it")
    expires_at: dt.datetime | None = Field(..., description="When it stops working by itself")
    last_opened_at: dt.datetime | None = Field(
        ..., description="When the page was last opened (noted every few minutes)"
    )
    revoked_at: dt.datetime | None
    revoked_by: NamedRef | None


class StatusLinkIn(Schema):
    """A new link; the invoice's working link, if any, is revoked: this replaces it."""

    model_config = ConfigDict(extra="forbid")

    expires_on: Day | None = Field(
        None, description="The day it stops working (studio time), after today; null = never"
    )


def _answer(request: HttpRequest, link: StatusLink, now: dt.datetime) -> dict[str, Any]:
    works = link.works_at(now)
    key = status_link_key_of(link) if works else None
    return {
        "id": link.pk,
        "invoice": link.invoice_id,
        "key_prefix": link.key_prefix,
        "works": works,
        "url": request.build_absolute_uri(status_link_path(key)) if key else None,
        "created_at": link.created_at,
        "created_by": person_ref(link.created_by),
        "expires_at": link.expires_at,
        "last_opened_at": link.last_opened_at,
        "revoked_at": link.revoked_at,
        "revoked_by": person_ref(link.revoked_by),
    }


def _invoice(invoice_id: int) -> Invoice:
    return Invoice.objects.get(pk=path_id(invoice_id))


@router.get(
    "/invoices/{invoice_id}/status-links",
    operation_id="invoice_status_links_list",
    summary="An invoice's links to the client's status page, newest first",
    response={200: list_of(StatusLinkOut), **READ_ERRORS},
    auth=permitted(VIEW),
)
def status_links_list(request: HttpRequest, invoice_id: int) -> Any:
    invoice = _invoice(invoice_id)
    now = timezone.now()
    return whole_list(status_links_of(invoice), lambda link: _answer(request, link, now))


@router.post(
    "/invoices/{invoice_id}/status-links",
    operation_id="invoice_status_links_create",
    summary="Make the invoice's link to the client's status page",
    description="The invoice's working link, if any, stops working: this replaces it.",
    response={201: StatusLinkOut, **WRITE_ERRORS},
    auth=permitted(CHANGE),
)
def status_links_create(request: HttpRequest, invoice_id: int, payload: StatusLinkIn) -> Any:
    invoice = _invoice(invoice_id)
    expires_at = None
    if payload.expires_on is not None:
        if payload.expires_on <= studio_preferences().today():
            raise ValidationError({"expires_on": "Choose a day after today."})
        expires_at = api_token_expiry(payload.expires_on)
    link, _ = status_link_issue(invoice=invoice, by=request.user, expires_at=expires_at)  # type: ignore[arg-type]
    return Status(201, _answer(request, link, timezone.now()))


@router.delete(
    "/invoices/{invoice_id}/status-links/{link_id}",
    operation_id="invoice_status_links_revoke",
    summary="Revoke a link to the client's status page",
    description="Its address answers 404 at once and for good; revoking it again changes nothing.",
    response={204: None, **WRITE_ERRORS},
    auth=permitted(CHANGE),
)
def status_links_revoke(request: HttpRequest, invoice_id: int, link_id: int) -> Any:
    invoice = _invoice(invoice_id)
    link = StatusLink.objects.filter(pk=path_id(link_id), invoice=invoice).first()
    if link is None:
        raise Http404
    status_link_revoke(link=link, by=request.user)  # type: ignore[arg-type]
    return Status(204, None)
