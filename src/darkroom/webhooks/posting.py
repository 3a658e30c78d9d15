"""One try of a webhook delivery over HTTP: what crosses the wire, and how it went.

A thread of the worker's round (``webhooks.sending``) hands a :class:`Parcel` — everything
about a claimed delivery it needs, no database — to :func:`try_once`, which signs it per
Standard Webhooks (``signing``), POSTs it to the address its host resolved to and was checked
against (``addresses``), without following redirects and within the timeout, and says what came
of it (``answers``) as a :class:`Tried`. Nothing here writes to the database: the round writes
down what its threads report.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import datetime

import httpx
from django.conf import settings
from django.utils import timezone

from darkroom.webhooks.addresses import (
    AddressRefused,
    AddressUnknown,
    IPAddress,
    address_pinned,
    resolved,
)
from darkroom.webhooks.answers import Verdict, verdict
from darkroom.webhooks.models import Endpoint
from darkroom.webhooks.signing import signed_headers

USER_AGENT = "Darkroom-Webhooks/1"
THREADS = 16  # the threads of a round, and so the connections its client keeps
EXCERPT = 500  # characters of the answer kept with a try
READ_AT_MOST = 4096  # bytes of the answer read


@dataclass(frozen=True)
class Parcel:
    """A claimed delivery, ready to go: everything a thread needs, no database."""

    delivery_id: int
    endpoint_id: int
    attempts: int
    url: str
    endpoint: Endpoint  # read for its secrets at the moment of sending
    msg_id: str
    body: bytes


@dataclass(frozen=True)
class Tried:
    """How one try went."""

    parcel: Parcel
    started_at: datetime
    duration_ms: int
    status_code: int | None
    verdict: Verdict
    excerpt: str


def client_for_round() -> httpx.Client:
    """One client per round, shared by its threads (connections kept per address).
    ``trust_env=False``: a proxy from the environment would connect to the name, not to the
    checked address."""
    seconds = settings.DARKROOM_WEBHOOK_TIMEOUT_SECONDS
    return httpx.Client(
        timeout=httpx.Timeout(seconds),
        follow_redirects=False,
        trust_env=False,
        limits=httpx.Limits(max_connections=THREADS, max_keepalive_connections=THREADS),
    )


def _excerpt(response: httpx.Response, *, deadline: float) -> str:
    """The beginning of the answer's body (a receiver trickling it is not waited for past
    the deadline)."""
    said = b""
    for chunk in response.iter_raw():
        said += chunk
        if len(said) >= READ_AT_MOST or time.monotonic() > deadline:
            break
    return said[:READ_AT_MOST].decode("utf-8", "replace")[:EXCERPT]


def try_once(client: httpx.Client, parcel: Parcel, resolve: Resolver) -> Tried:
    """Send ``parcel`` once; how it went. Never raises: a bug is a try to do again."""
    started_at = timezone.now()
    clock = time.monotonic()
    seconds = settings.DARKROOM_WEBHOOK_TIMEOUT_SECONDS
    code: int | None = None
    excerpt = ""
    try:
        target = address_pinned(parcel.url, resolve=resolve)
        headers = signed_headers(
            secrets_=parcel.endpoint.signing_secrets(started_at),
            msg_id=parcel.msg_id,
            sent_at=started_at,
            body=parcel.body,
        )
        headers["user-agent"] = USER_AGENT
        headers["host"] = target.host_header
        with client.stream(
            "POST",
            target.url,
            content=parcel.body,
            headers=headers,
            extensions={"sni_hostname": target.server_name},
        ) as response:
            code = response.status_code
            excerpt = _excerpt(response, deadline=clock + seconds)
            said = verdict(code, response.headers, now=timezone.now())
    except AddressRefused as refused:
        said = Verdict("failed", str(refused))
    except AddressUnknown as unknown:
        said = Verdict("retry", f"{unknown} Tried again later.")
    except httpx.TimeoutException:
        said = Verdict("retry", f"The endpoint did not answer within {seconds} seconds.")
    except httpx.HTTPError as trouble:
        said = Verdict(
            "retry", f"Could not reach the endpoint: {trouble or type(trouble).__name__}."
        )
    except Exception as trouble:  # a bug must not leave it sending for a lease
        said = Verdict("retry", f"Darkroom could not send it: {trouble!r}")
    duration_ms = round((time.monotonic() - clock) * 1000)
    return Tried(
        parcel=parcel,
        started_at=started_at,
        duration_ms=duration_ms,
        status_code=code,
        verdict=said,
        excerpt=(excerpt if code is not None else said.words)[:EXCERPT],
    )


class Resolver:
    """Names looked up once a round (each thread asking the same name waits for the first)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.found: dict[tuple[str, int], list[IPAddress] | AddressUnknown] = {}

    def __call__(self, host: str, port: int) -> list[IPAddress]:
        with self.lock:
            if (host, port) not in self.found:
                try:
                    self.found[host, port] = resolved(host, port)
                except AddressUnknown as unknown:
                    self.found[host, port] = unknown
            answer = self.found[host, port]
        if isinstance(answer, AddressUnknown):
            raise answer
        return answer
