"""Which tenant-configured URLs we POST to (case webhooks, chat callbacks): public https hosts only.

Checked twice: the URL as written (config time and send time), then, at send time, every address its host name
resolves to, so a name pointing at 10.x, 127.x or the instance metadata address (169.254.169.254) is refused too.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

Resolver = Callable[[str], Iterable[str]]
_LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain"})


def _is_loopback(host: str) -> bool:
    if host.lower() in _LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def url_problem(url: str, *, allow_loopback: bool) -> str | None:
    """Why we will not post to this URL, or None: https only, except http(s) to loopback when allowed (local);
    no credentials in the URL; no literal private, link-local (instance metadata) or reserved addresses."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        parts.port  # noqa: B018 - raises on a malformed port
    except ValueError:
        return "not a valid URL"
    if not host:
        return "no host"
    if parts.username is not None or parts.password is not None:
        return "credentials in the URL"
    if _is_loopback(host):
        return None if allow_loopback and parts.scheme in ("http", "https") else "loopback address"
    if parts.scheme != "https":
        return "not https"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return None  # a host name: resolved_url_problem checks where it points at send time
    if not address.is_global:
        return "not a public address"
    return None


def host_addresses(host: str) -> list[str]:
    """Every address DNS gives for `host` (IPv4 and IPv6)."""
    return [str(info[4][0]) for info in socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)]


def resolved_url_problem(url: str, *, allow_loopback: bool, resolve: Resolver = host_addresses) -> str | None:
    """url_problem, then the addresses the host name resolves to: one that is not public refuses the URL.

    A name that does not resolve passes here: the POST then fails as a network error and is retried.
    """
    problem = url_problem(url, allow_loopback=allow_loopback)
    host = urlsplit(url).hostname or ""
    if problem or _is_loopback(host) or _is_literal_address(host):
        return problem
    try:
        addresses = list(resolve(host))
    except OSError:
        return None
    for address in addresses:
        parsed = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone id
        if parsed.is_loopback and allow_loopback:
            continue
        if not parsed.is_global:
            return f"{host} resolves to a non-public address"
    return None


def _is_literal_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True
