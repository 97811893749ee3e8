"""Where a webhook may go: public addresses only (no loopback, private, link-local or reserved ranges, unless
ANLIEGEN_WEBHOOK_ALLOW_PRIVATE_TARGETS says so), checked when an endpoint is added and again at every send,
where the request connects to the address just checked (a name that resolves elsewhere a second later, DNS
rebinding, reaches nothing it was not allowed to)."""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import socket
import ssl
import urllib.request
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _


class TargetRefused(ValueError):
    """The URL points where webhooks may not go; the message says why."""


class Unresolved(TargetRefused):
    """The URL's host has no address (now)."""


def _blocked(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped  # ::ffff:127.0.0.1 is loopback too
    return not address.is_global or address.is_multicast


def _host_port(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise TargetRefused(_("not an http(s) URL"))
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise TargetRefused(_("not an http(s) URL")) from exc
    return parts.hostname, port


def resolve(url: str) -> str:
    """The first allowed address `url`'s host resolves to; every address must be allowed (TargetRefused)."""
    host, port = _host_port(url)
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise Unresolved(_("the host %(host)s does not resolve") % {"host": host}) from exc
    addresses = [ipaddress.ip_address(info[4][0].split("%")[0]) for info in found]
    if not settings.WEBHOOK_ALLOW_PRIVATE_TARGETS:
        refused = sorted(str(a) for a in addresses if _blocked(a))
        if refused:
            raise TargetRefused(
                _("%(host)s is a private or local address (%(addresses)s): webhooks go to public addresses only")
                % {"host": host, "addresses": ", ".join(refused)}
            )
    return str(addresses[0])


def check(url: str) -> None:
    """When an endpoint is added: refused if its host resolves to a forbidden address. A name that does not
    resolve yet is accepted: every send resolves and checks it again."""
    with contextlib.suppress(Unresolved):
        resolve(url)


# --- sending to the checked address ---------------------------------------------------------------------


class _PinnedHTTP(http.client.HTTPConnection):
    pinned = ""

    def connect(self) -> None:
        self.sock = socket.create_connection((self.pinned, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    pinned = ""

    def connect(self) -> None:
        sock = socket.create_connection((self.pinned, self.port), self.timeout)
        # The certificate is checked against the URL's name, as for any HTTPS request.
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None  # a redirect could point anywhere: it is the receiver's answer (3xx), never followed


def opener(address: str) -> urllib.request.OpenerDirector:
    """An opener whose connections go to `address` (Host header and TLS name stay the URL's), without proxies
    (a proxy would resolve the name again) and without following redirects."""
    http_class = type("PinnedHTTP", (_PinnedHTTP,), {"pinned": address})
    https_class = type("PinnedHTTPS", (_PinnedHTTPS,), {"pinned": address})

    class HTTP(urllib.request.HTTPHandler):
        def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
            return self.do_open(http_class, req)

    class HTTPS(urllib.request.HTTPSHandler):
        def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
            return self.do_open(https_class, req, context=ssl.create_default_context())

    return urllib.request.build_opener(urllib.request.ProxyHandler({}), HTTP(), HTTPS(), _NoRedirects())
