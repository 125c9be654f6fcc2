"""Where the social adapters may connect: https servers on public addresses only.

A channel's addresses (`instance_url`, `url`, `api_base`, `graph_url`) are typed by a body's
administrator, and the stored credential goes with every request: without this guard an
address could send a sysadmin's token to any host, or make the portal probe the internal
network (SSRF). So:

- an address must be `https://`, and every address its host name resolves to must be a
  public one (no loopback, private, link-local, shared, multicast or reserved address);
- the check runs when a channel is saved (a clear error on the form) and again at every
  connection: the connection resolves the name itself, checks every address it got and
  connects only to a checked one, so a DNS answer changed in between cannot slip through;
- hosts named in `ckanext.layananpublik.social.allowed_hosts` (a name, an IP address or a
  network such as `10.0.5.0/24`) may be private and may use plain http: a gateway inside
  the body's own network, or the tests' local fake platforms;
- no proxy from the environment (`HTTPS_PROXY`), no `.netrc`, no redirects are followed.
"""

from __future__ import annotations

import ipaddress
import socket
import sys
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError
from urllib3.util.connection import create_connection

from ckanext.layananpublik.social.messages import NOT_A_URL, NOT_FOUND, NOT_HTTPS, NOT_PUBLIC, Problem

# The channel settings holding an address the adapters connect to.
URL_SETTINGS = ("instance_url", "url", "api_base", "graph_url")

ADDRESS = ipaddress.IPv4Address | ipaddress.IPv6Address
NAT64 = ipaddress.ip_network("64:ff9b::/96")


class Refused(Problem):
    """An address the adapters may not connect to."""

    @property
    def permanent(self) -> bool:
        """False for a name that did not resolve: DNS may answer on a later try."""
        return self.template != NOT_FOUND


def _allow_list() -> tuple[set[str], list]:
    import ckan.plugins.toolkit as tk

    names, networks = set(), []
    for entry in tk.aslist(tk.config.get("ckanext.layananpublik.social.allowed_hosts")):
        entry = entry.strip().lower().rstrip(".")
        try:
            networks.append(ipaddress.ip_network(entry.strip("[]"), strict=False))
        except ValueError:
            names.add(entry)
    return names, networks


def is_public(address: ADDRESS) -> bool:
    """A globally routable unicast address (an IPv4 address inside IPv6 judged as itself)."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = (
            address.ipv4_mapped
            or address.sixtofour
            or (ipaddress.IPv4Address(int(address) & 0xFFFFFFFF) if address in NAT64 else None)
        )
        if embedded is not None:
            return is_public(embedded)
    return address.is_global and not (address.is_multicast or address.is_reserved or address.is_unspecified)


def resolve(host: str, port: int) -> list[ADDRESS]:
    """Every address the name resolves to (an IP literal resolves to itself)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise Refused(NOT_FOUND, host=host) from None
    found: list[ADDRESS] = []
    for *_, sockaddr in infos:
        address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        if address not in found:
            found.append(address)
    if not found:
        raise Refused(NOT_FOUND, host=host)
    return found


def checked_addresses(host: str, port: int) -> tuple[list[ADDRESS], bool]:
    """The addresses of `host` the adapters may connect to, and whether the host is on the
    site's allow-list (then plain http is allowed too). Refused if any address is not."""
    names, networks = _allow_list()
    addresses = resolve(host, port)
    named = host.lower().rstrip(".") in names
    listed = [a for a in addresses if any(a in n for n in networks)]
    for address in addresses:
        if not (named or address in listed or is_public(address)):
            raise Refused(NOT_PUBLIC, host=host, address=str(address))
    return addresses, named or len(listed) == len(addresses)


def check_url(url: str) -> None:
    """Refused unless the adapters may send to `url` (see the module's docstring)."""
    try:
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise Refused(NOT_A_URL, url=url) from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Refused(NOT_A_URL, url=url)
    _addresses, allowed = checked_addresses(parts.hostname, port)
    if parts.scheme != "https" and not allowed:
        raise Refused(NOT_HTTPS, url=url)


def _connect(conn: HTTPConnection, https: bool) -> socket.socket:
    """urllib3's _new_conn, connecting only to an address checked here and now."""
    try:
        addresses, allowed = checked_addresses(conn._dns_host, conn.port)
        if not (https or allowed):
            raise Refused(NOT_HTTPS, url=f"http://{conn.host}:{conn.port}")
    except Refused as refused:
        raise NewConnectionError(conn, f"Refused: {refused}") from refused
    error: OSError | None = None
    for address in addresses:
        try:  # an IP literal: create_connection resolves nothing more
            sock = create_connection(
                (str(address), conn.port), conn.timeout,
                source_address=conn.source_address, socket_options=conn.socket_options,
            )  # fmt: skip
        except TimeoutError as exc:
            raise ConnectTimeoutError(
                conn, f"Connection to {conn.host} timed out. (connect timeout={conn.timeout})"
            ) from exc
        except OSError as exc:
            error = exc
            continue
        sys.audit("http.client.connect", conn, conn.host, conn.port)
        return sock
    raise NewConnectionError(conn, f"Failed to establish a new connection: {error}") from error


class _CheckedHTTPConnection(HTTPConnection):
    def _new_conn(self) -> socket.socket:
        return _connect(self, https=False)


class _CheckedHTTPSConnection(HTTPSConnection):
    def _new_conn(self) -> socket.socket:
        return _connect(self, https=True)


class _CheckedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _CheckedHTTPConnection


class _CheckedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _CheckedHTTPSConnection


class _CheckedAdapter(HTTPAdapter):
    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _CheckedHTTPPool, "https": _CheckedHTTPSPool}

    def proxy_manager_for(self, proxy: str, **kwargs: Any) -> Any:
        raise requests.exceptions.InvalidURL("proxies are not used for social channels")


def session() -> requests.Session:
    """A requests session whose every connection is checked (and no environment proxy)."""
    s = requests.Session()
    s.trust_env = False
    s.mount("http://", _CheckedAdapter())
    s.mount("https://", _CheckedAdapter())
    return s


def request(method: str, url: str, **kwargs: Any) -> requests.Response:
    """requests.request, checked before (Refused) and at the connection; no redirects."""
    check_url(url)
    with session() as s:
        return s.request(method, url, allow_redirects=False, **kwargs)


def refusal(exc: BaseException | None) -> Refused | None:
    """The Refused behind a requests exception (raised at the connection), if any."""
    seen: set[int] = set()
    pending = [exc]
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, Refused):
            return current
        pending.extend([current.__cause__, current.__context__, getattr(current, "reason", None)])
        pending.extend(a for a in getattr(current, "args", ()) if isinstance(a, BaseException))
    return None
