"""Where a webhook may go: never into the studio's own network, unless the studio says so.

An endpoint's URL is typed by a person, and the worker sends to it from inside the studio's
network: a URL naming ``localhost``, a router at 192.168.1.1 or a cloud's metadata service at
169.254.169.254 would make webhooks a way in. So every address a host resolves to is checked
— private, loopback, link-local, reserved, multicast and unspecified addresses are refused —
unless ``DARKROOM_WEBHOOKS_ALLOW_PRIVATE_ADDRESSES`` is set (a receiver on the studio's own
network; the tests' receivers on loopback).

The check is made when an endpoint is saved (:func:`address_problem`, for the pages) and again
at every send (:func:`address_pinned`), because a name's addresses can change after it was
saved. The request then connects to the address that was checked, not to the name (which could
resolve elsewhere a moment later: DNS rebinding): the URL carries the address, the ``Host``
header and TLS's server name carry the name, so the receiver and its certificate see the name.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings

SCHEMES = ("http", "https")

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class AddressRefused(Exception):
    """The URL can't be sent to, for good: malformed, or an address in a refused range."""


class AddressUnknown(Exception):
    """The host's name could not be resolved now (it may be, later)."""


@dataclass(frozen=True)
class Pinned:
    """A URL with its host replaced by the checked address, and the name to say to it."""

    url: str  # http://203.0.113.5:8443/hooks
    host_header: str  # hooks.example.com:8443
    server_name: str  # hooks.example.com: TLS's SNI and the name its certificate must carry
    address: str


def _range_refused(address: IPAddress) -> str | None:
    """Why ``address`` is refused, in words; None when it is a public address."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    checks = (
        (address.is_unspecified, "an unspecified address"),
        (address.is_loopback, "a loopback address (this machine)"),
        (address.is_link_local, "a link-local address"),
        (address.is_multicast, "a multicast address"),
        (address.is_private, "a private address (a local network)"),
        (address.is_reserved, "a reserved address"),
    )
    return next((words for refused, words in checks if refused), None)


def _host_and_port(url: str) -> tuple[str, int]:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as trouble:
        raise AddressRefused(
            f"“{url}” is not a web address Darkroom can send to ({trouble})."
        ) from None
    if parts.scheme not in SCHEMES or not parts.hostname:
        raise AddressRefused(
            f"“{url}” is not a web address Darkroom can send to: it must start with https:// "
            "(or http://) and name a host."
        )
    return parts.hostname, port or (443 if parts.scheme == "https" else 80)


def resolved(host: str, port: int) -> list[IPAddress]:
    """Every address ``host`` resolves to now (an address given as the host: itself)."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as trouble:
        raise AddressUnknown(f"No address found for {host} ({trouble}).") from None
    addresses: list[IPAddress] = []
    for *_, sockaddr in found:
        address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise AddressUnknown(f"No address found for {host}.")
    return addresses


def _is_address(host: str) -> bool:
    """Whether the URL gave an address rather than a name (``::ffff:10.0.0.1`` included)."""
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _checked(host: str, addresses: list[IPAddress]) -> None:
    if settings.DARKROOM_WEBHOOKS_ALLOW_PRIVATE_ADDRESSES:
        return
    for address in addresses:
        refused = _range_refused(address)
        if refused:
            named = f"{host} is" if _is_address(host) else f"{host} resolves to {address},"
            raise AddressRefused(
                f"Refused: {named} {refused}. Darkroom sends webhooks only to public "
                "addresses (DARKROOM_WEBHOOKS_ALLOW_PRIVATE_ADDRESSES allows private ones)."
            )


def address_problem(url: str) -> str | None:
    """What stops Darkroom sending webhooks to ``url``, in words for the person saving an
    endpoint; None when nothing does (or nothing can be known yet: a name that doesn't
    resolve now). Checked again at every send."""
    try:
        host, port = _host_and_port(url)
        _checked(host, resolved(host, port))
    except AddressRefused as refused:
        return str(refused)
    except AddressUnknown:
        # A name that doesn't resolve yet (a receiver still being set up, a network down) may
        # be saved: every send resolves it again and waits while it doesn't.
        return None
    return None


def address_pinned(
    url: str, *, resolve: Callable[[str, int], list[IPAddress]] = resolved
) -> Pinned:
    """``url`` pointed at its host's first address, every address checked first (``resolve``:
    how names are looked up, e.g. once per batch). Raises AddressRefused (never to be sent) or
    AddressUnknown (try later)."""
    host, port = _host_and_port(url)
    addresses = resolve(host, port)
    _checked(host, addresses)
    address = addresses[0]
    parts = urlsplit(url)
    shown = f"[{address}]" if address.version == 6 else str(address)
    default_port = port == (443 if parts.scheme == "https" else 80)
    netloc = shown if default_port and parts.port is None else f"{shown}:{port}"
    host_header = parts.netloc.rsplit("@", 1)[-1]  # what the URL said, without a login
    return Pinned(
        url=urlunsplit(parts._replace(netloc=netloc)),
        host_header=host_header,
        server_name=host,
        address=str(address),
    )
