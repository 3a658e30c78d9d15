"""Signing a delivery per Standard Webhooks (www.standardwebhooks.com).

A secret is ``whsec_`` followed by the base64 of random bytes; the signature is
``v1,<base64 of HMAC-SHA256(key, "<webhook-id>.<webhook-timestamp>.<body>")>``. While a secret is
being rotated both the new and the previous secret sign, space-separated in one
``webhook-signature`` header, so a receiver still holding the old secret keeps verifying until
it switches. ``webhook-id`` is the event's public id, the same on every retry and replay: the
receiver's key for noticing a repeat.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import datetime

PREFIX = "whsec_"
_SECRET_BYTES = 24


def webhook_secret_new() -> str:
    """A fresh signing secret: ``whsec_`` and 24 random bytes in base64."""
    return PREFIX + base64.b64encode(secrets.token_bytes(_SECRET_BYTES)).decode()


def _key(secret: str) -> bytes:
    return base64.b64decode(secret.removeprefix(PREFIX))


def signature(secret: str, *, msg_id: str, timestamp: int, body: bytes) -> str:
    """One ``v1,…`` signature of a delivery's id, timestamp and body with ``secret``."""
    signed = f"{msg_id}.{timestamp}.".encode() + body
    digest = hmac.new(_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def signed_headers(
    *, secrets_: list[str], msg_id: str, sent_at: datetime, body: bytes
) -> dict[str, str]:
    """The three Standard Webhooks headers for a delivery sent at ``sent_at``, signed with
    each of ``secrets_`` (the current one first)."""
    timestamp = int(sent_at.timestamp())
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": " ".join(
            signature(secret, msg_id=msg_id, timestamp=timestamp, body=body) for secret in secrets_
        ),
        "content-type": "application/json",
    }
