"""The client's status page (``/status/<secret>/``, no login: the address is the key), and the
invoice page's "Client status page" panel with its two actions: make a link (replacing the one
before) and revoke it.

The panel may show the working link's address at any time to whoever may see the invoice: it
is derived, not stored (``clients.models.StatusLink``), and says nothing they can't already
read on the invoice page.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from darkroom.client_pages.link_previews import is_link_preview
from darkroom.client_pages.selectors import status_page
from darkroom.clients.models import Invoice, StatusLink
from darkroom.clients.status_links import (
    status_link_issue,
    status_link_key_of,
    status_link_of_key,
    status_link_opened,
    status_link_path,
    status_link_revoke,
    status_links_of,
)
from darkroom.studio.access import may, requires
from darkroom.studio.selectors import studio_preferences
from darkroom.studio.services import api_token_expiry

VIEW = "clients.view_invoice"
CHANGE = "clients.change_invoice"


def _private(response: HttpResponse) -> HttpResponse:
    """What every answer of the page carries: kept by nobody, indexed by no search engine,
    and the address not passed on to a site the client follows a link to."""
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_safe
def status_page_view(request: HttpRequest, key: str) -> HttpResponse:
    """The client's page. An unknown, revoked or expired address answers the same plain 404,
    so nothing tells a guesser (or a client with an old link) which it was."""
    now = timezone.now()
    link = status_link_of_key(key, now=now)
    prefs = getattr(request, "studio", None) or studio_preferences()
    if link is None:
        context = {"studio": prefs, "studio_name": prefs.name}
        return _private(render(request, "client_pages/not_found.html", context, status=404))
    page = status_page(link, prefs)
    # Not the studio looking (its "Open"), nor a messaging app drawing the link's preview card.
    previewed = is_link_preview(request.headers.get("User-Agent", ""))
    if not request.user.is_authenticated and not previewed:
        status_link_opened(link=link, now=now)
    context = {"page": page, "studio_name": page.studio_name}
    return _private(render(request, "client_pages/status_page.html", context))


class StatusLinkForm(forms.Form):
    """A new link, with the day it stops working if the studio wants one."""

    expires_on = forms.DateField(
        label="Stops working on",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Optional. From that day on, the link shows “not found”.",
        error_messages={"invalid": "Enter a date, e.g. 2027-01-31."},
    )

    def clean_expires_on(self) -> dt.date | None:
        day: dt.date | None = self.cleaned_data.get("expires_on")
        if day is not None and day <= studio_preferences().today():
            raise ValidationError("Choose a day after today.")
        return day


def status_link_section(
    request: HttpRequest, invoice: Invoice, form: StatusLinkForm | None = None
) -> dict[str, Any]:
    """The panel's context on the invoice page."""
    now = timezone.now()
    links = status_links_of(invoice)
    working = next((link for link in links if link.works_at(now)), None)
    key = status_link_key_of(working) if working is not None else None
    expired = next(
        (link for link in links if link.revoked_at is None and not link.works_at(now)), None
    )
    return {
        "status_link": working,
        "status_link_address": request.build_absolute_uri(status_link_path(key)) if key else "",
        "status_link_expired": expired,
        "status_link_past": [link for link in links if link is not working][:5],
        "status_link_form": form or StatusLinkForm(),
        "may_change_status_link": may(request, CHANGE),
    }


def _invoice(pk: int) -> Invoice:
    return get_object_or_404(Invoice.objects.select_related("client"), pk=pk)


@require_POST
@requires(VIEW, CHANGE)
def status_link_make_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Make the invoice's link (revoking the one before); back to the invoice, at the panel."""
    invoice = _invoice(pk)
    form = StatusLinkForm(request.POST)
    if not form.is_valid():
        context = status_link_section(request, invoice, form)
        return render(
            request,
            "client_pages/invoice_panel_page.html",
            {"invoice": invoice, **context},
            status=422,
        )
    day = form.cleaned_data["expires_on"]
    replaced = any(link.revoked_at is None for link in status_links_of(invoice))
    status_link_issue(
        invoice=invoice,
        by=request.user,  # type: ignore[arg-type]
        expires_at=api_token_expiry(day) if day else None,
    )
    messages.success(
        request,
        "Made a new link to the client's status page"
        + ("; the one before no longer works." if replaced else "."),
    )
    return redirect(f"{invoice.get_absolute_url()}#client-status-page")


@require_POST
@requires(VIEW, CHANGE)
def status_link_revoke_view(request: HttpRequest, pk: int, link_pk: int) -> HttpResponse:
    """Revoke the link: the client's page answers "not found" at once."""
    link = StatusLink.objects.filter(pk=link_pk, invoice_id=pk).first()
    if link is None:
        raise Http404("No such link.")
    status_link_revoke(link=link, by=request.user)  # type: ignore[arg-type]
    messages.success(request, "Revoked the link: the client's status page no longer opens.")
    return redirect(f"{reverse_invoice(pk)}#client-status-page")


def reverse_invoice(pk: int) -> str:
    return Invoice(pk=pk).get_absolute_url()
