"""Who is calling: the client address used for rate limits and a token's "last used from".

``REMOTE_ADDR`` unless ``API_TRUSTED_PROXIES`` says how many reverse proxies in front of us append
to ``X-Forwarded-For``; then the address that many hops from the right. Taking the header as the
client sends it would let anyone pick a fresh address per request and escape the limits.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    address = request.META.get("REMOTE_ADDR") or None
    proxies = int(getattr(settings, "API_TRUSTED_PROXIES", 0))
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies > 0 and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            address = hops[-min(proxies, len(hops))]
    try:
        return str(ipaddress.ip_address(address)) if address else None
    except ValueError:
        return None


def client_key(request: HttpRequest) -> str:
    """The rate-limit identity of an anonymous client: its IPv4 address, or its IPv6 /64 network
    (one customer usually holds a whole /64)."""
    address = client_ip(request)
    if address is None:
        return "unknown"
    parsed = ipaddress.ip_address(address)
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return address
