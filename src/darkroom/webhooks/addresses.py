"""Whether a webhook may be sent to an address: not to the studio's own machines.

A manager could otherwise point an endpoint at something only Darkroom's server can reach (a
database's admin page, a cloud's metadata service at 169.254.169.254) and read its answers in
the deliveries' excerpts. So an address whose host is, or resolves to, a private, loopback,
link-local or otherwise non-public IP address is refused, unless the studio says its receivers
live on its own network (``DARKROOM_WEBHOOKS_ALLOW_PRIVATE_ADDRESSES``). The endpoint's form
asks when it is saved; the sender asks again when it sends, as a name may resolve elsewhere by then.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings

SCHEMES = ("http", "https")
PUBLIC_ONLY = "webhooks go only to public addresses."


def _not_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return not address.is_global or address.is_multicast


def address_problem(url: str) -> str | None:
    """Why a webhook may not go to ``url``, in words; None when it may."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return "This is not a web address."
    if parts.scheme not in SCHEMES:
        return "The address must start with https:// (or http://)."
    host = parts.hostname
    if not host:
        return "The address needs a host name, as in https://example.com/hooks."
    if getattr(settings, "DARKROOM_WEBHOOKS_ALLOW_PRIVATE_ADDRESSES", False):
        return None
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    if literal is not None:
        if _not_public(literal):
            return f"{host} is a private, loopback or link-local address: {PUBLIC_ONLY}"
        return None
    try:
        found = socket.getaddrinfo(host, port or (443 if parts.scheme == "https" else 80))
    except (OSError, UnicodeError):
        return f"{host} could not be found: check the address."
    for *_, sockaddr in found:
        address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        if _not_public(address):
            return (
                f"{host} leads to {address}, a private, loopback or link-local address: "
                f"{PUBLIC_ONLY}"
            )
    return None
