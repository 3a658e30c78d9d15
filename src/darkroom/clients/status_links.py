"""The private links to invoices' status pages: make one, revoke one, find the one an address
opens, and say an invoice's working link in words a message can carry.

Why here and not beside the page (``client_pages``): message templates say
``{status_page_link}``, and messaging may not import the other features (pyproject.toml's
import contracts), so the link — its record, its derivation and its writes — lives with the
invoice it belongs to, below both. The page itself (what a client reads) is ``client_pages``'.

An address is derived, never stored: see :class:`~darkroom.clients.models.StatusLink`.
Who may make or revoke links is the caller's to check (whoever may change the invoice).
"""

from __future__ import annotations

import base64
import datetime as dt

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac

from darkroom.clients.models import Invoice, StatusLink
from darkroom.studio.services import secret_hash

KEY_PREFIX = "drst_"  # says what the address opens, wherever it turns up
KEY_PREFIX_SHOWN = 12  # "drst_" and 7 more characters, kept in clear
OPENED_NOTED_EVERY = dt.timedelta(minutes=5)
_KEY_SALT = "darkroom.clients.status_link"


def status_link_key(*, invoice_id: int, generation: int) -> str:
    """The secret in the address of an invoice's ``generation``-th link: an HMAC-SHA256 of both
    under the secret key (256 bits, URL-safe). The same inputs give the same key, so the
    working link can be said again; nobody without the secret key can compute one."""
    digest = salted_hmac(_KEY_SALT, f"{invoice_id}:{generation}", algorithm="sha256").digest()
    return KEY_PREFIX + base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def status_link_path(key: str) -> str:
    """The page's path on this site: /status/drst_…/."""
    return reverse("client_pages:status-page", args=[key])


def status_link_address(key: str) -> str:
    """The page's whole address as a client is sent it, from ``DARKROOM_PUBLIC_URL``."""
    return settings.DARKROOM_PUBLIC_URL + status_link_path(key)


# -- reads -----------------------------------------------------------------------------------


def status_links_of(invoice: Invoice) -> list[StatusLink]:
    """Every link the invoice has had, newest first (a handful at most)."""
    return list(
        StatusLink.objects.filter(invoice=invoice)
        .select_related("created_by", "revoked_by")
        .order_by("-generation")
    )


def status_link_unrevoked(invoice: Invoice) -> StatusLink | None:
    """The invoice's link that is not revoked (it may have expired), or None."""
    return StatusLink.objects.filter(invoice=invoice, revoked_at__isnull=True).first()


def status_link_of_key(key: str, *, now: dt.datetime) -> StatusLink | None:
    """The link this secret opens at ``now``, or None: unknown, revoked and expired look the
    same to the caller, so the page can't tell a client (or a guesser) which it was."""
    if not key.startswith(KEY_PREFIX) or len(key) > 100:
        return None
    return (
        StatusLink.objects.filter(key_hash=secret_hash(key), revoked_at__isnull=True)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .first()
    )


def status_link_key_of(link: StatusLink) -> str | None:
    """The secret of ``link`` said again, or None when it can't be (the secret key changed
    since it was made: the link still opens, but nobody can be given it again)."""
    key = status_link_key(invoice_id=link.invoice_id, generation=link.generation)
    return key if secret_hash(key) == link.key_hash else None


def status_link_words(invoice: Invoice, *, now: dt.datetime | None = None) -> str:
    """What ``{status_page_link}`` says for the invoice, reading only: its working link's
    address; without one, the address the next link will have, which sending the message makes
    (:func:`status_link_ensure`). So a preview, the review queue and the dry run show exactly
    what the client will be sent, and nothing is made until something is sent."""
    now = now or timezone.now()
    link = status_link_unrevoked(invoice)
    if link is not None and link.works_at(now):
        key = status_link_key_of(link)
        if key is not None:
            return status_link_address(key)
    return status_link_address(
        status_link_key(invoice_id=invoice.pk, generation=_next_generation(invoice))
    )


def _next_generation(invoice: Invoice) -> int:
    last = StatusLink.objects.filter(invoice=invoice).aggregate(last=Max("generation"))["last"]
    return (last or 0) + 1


# -- writes ----------------------------------------------------------------------------------


@transaction.atomic
def status_link_issue(
    *, invoice: Invoice, by: User | None, expires_at: dt.datetime | None = None
) -> tuple[StatusLink, str]:
    """A new link to the invoice's status page, and its secret. The invoice's working link,
    if any, is revoked in the same transaction: making a new link is how the studio replaces
    one that went to the wrong person. ``by`` is None when a message made it."""
    if expires_at is not None:
        if timezone.is_naive(expires_at):
            raise ValueError("expires_at must be an aware datetime")
        if expires_at <= timezone.now():
            raise ValidationError({"expires_on": "The link must stop working in the future."})
        expires_at = expires_at.astimezone(dt.UTC)  # as the database gives it back
    # The invoice row is the lock: two people making a link at once make two generations in
    # turn, never two working links.
    Invoice.objects.select_for_update().filter(pk=invoice.pk).values_list("pk").first()
    status_links_revoke(invoice=invoice, by=by)
    generation = _next_generation(invoice)
    key = status_link_key(invoice_id=invoice.pk, generation=generation)
    link = StatusLink.objects.create(
        invoice=invoice,
        generation=generation,
        key_hash=secret_hash(key),
        key_prefix=key[:KEY_PREFIX_SHOWN],
        created_by=by,
        expires_at=expires_at,
    )
    return link, key


def status_links_revoke(*, invoice: Invoice, by: User | None) -> int:
    """Revoke the invoice's working link (expired or not); how many were revoked (0 or 1)."""
    return StatusLink.objects.filter(invoice=invoice, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=by
    )


def status_link_revoke(*, link: StatusLink, by: User | None) -> StatusLink:
    """Revoke one link at once and for good: its address answers "not found" from now on.
    Revoking a revoked link changes nothing (its first revocation is the one on record)."""
    StatusLink.objects.filter(pk=link.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=by
    )
    link.refresh_from_db(fields=["revoked_at", "revoked_by"])
    return link


@transaction.atomic
def status_link_ensure(*, invoice: Invoice, now: dt.datetime | None = None) -> str:
    """The address of the invoice's working link, made now if it has none that works and can
    be said again: what sending a message with ``{status_page_link}`` calls, so the address
    :func:`status_link_words` showed is the one that opens."""
    now = now or timezone.now()
    Invoice.objects.select_for_update().filter(pk=invoice.pk).values_list("pk").first()
    link = status_link_unrevoked(invoice)
    if link is not None and link.works_at(now):
        key = status_link_key_of(link)
        if key is not None:
            return status_link_address(key)
    _, key = status_link_issue(invoice=invoice, by=None)
    return status_link_address(key)


def status_link_opened(*, link: StatusLink, now: dt.datetime) -> None:
    """Note that the page was opened, at most every few minutes: the studio wants to know
    whether the client looks, not each reload."""
    if link.last_opened_at is None or now - link.last_opened_at > OPENED_NOTED_EVERY:
        StatusLink.objects.filter(pk=link.pk).update(last_opened_at=now)
