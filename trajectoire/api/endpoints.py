"""Where a rest-hook may be delivered (SSRF policy): the platform must not become a proxy into its own network.

Policy (docs/security.md, « Revue de l'API et des nouveautés »):
- https only (http only with `API_SUBSCRIPTION_ALLOW_HTTP`, dev and tests);
- no user:password in the address;
- the host must not be the application itself (`ALLOWED_HOSTS`, `SITE_URL`), nor resolve to a loopback, private,
  link-local (169.254.169.254: cloud metadata), multicast, reserved or unspecified address;
- hosts named in `API_SUBSCRIPTION_ALLOWED_HOSTS` are exempt (an HDS partner on a private link, local tests).
Checked when the Subscription is written (a French OperationOutcome) and again just before each delivery, since
a name may resolve elsewhere later (DNS rebinding); redirects are never followed.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings

from .fhir import FhirError

HOP_BY_HOP = {"host", "content-length", "transfer-encoding", "connection", "content-type", "te", "upgrade"}


class EndpointRefused(ValueError):
    """The endpoint is not an allowed delivery target; the message is French."""


def _own_hosts() -> set[str]:
    hosts = {h.lstrip(".").lower() for h in settings.ALLOWED_HOSTS if h != "*"}
    site = urlsplit(getattr(settings, "SITE_URL", "") or "").hostname
    return hosts | ({site.lower()} if site else set())


def _addresses(host: str) -> list[ipaddress._BaseAddress]:
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return []  # unknown today: delivery checks again (and fails)
    return [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]


def check(url: str) -> None:
    """Raises `EndpointRefused` unless `url` is an allowed delivery target."""
    parts = urlsplit(url)
    allowed = {"https", "http"} if settings.API_SUBSCRIPTION_ALLOW_HTTP else {"https"}
    if parts.scheme not in allowed or not parts.hostname:
        raise EndpointRefused("channel.endpoint doit être une adresse https valide.")
    if parts.username or parts.password:
        raise EndpointRefused("channel.endpoint ne doit pas contenir d’identifiant ni de mot de passe.")
    host = parts.hostname.lower().rstrip(".")
    if host in {h.lower() for h in settings.API_SUBSCRIPTION_ALLOWED_HOSTS}:
        return
    if host in _own_hosts() or host == "localhost" or host.endswith((".localhost", ".local", ".internal")):
        raise EndpointRefused("channel.endpoint ne peut pas désigner la plateforme elle-même ni une adresse locale.")
    if any(not address.is_global or address.is_multicast for address in _addresses(host)):
        raise EndpointRefused(
            "channel.endpoint désigne une adresse interne (boucle locale, réseau privé ou lien local) : refusée."
        )


def check_for_api(url: str) -> None:
    try:
        check(url)
    except EndpointRefused as exc:
        raise FhirError(422, str(exc), code="invalid") from None


def check_headers(headers) -> None:
    if not isinstance(headers, list) or not all(isinstance(h, str) and ":" in h and len(h) < 500 for h in headers):
        raise FhirError(422, "channel.header : une liste d’en-têtes « Nom: valeur ».", code="invalid")
    if any(c in h for h in headers for c in "\r\n\x00"):
        raise FhirError(422, "channel.header : caractères interdits.", code="invalid")
    if any(h.partition(":")[0].strip().lower() in HOP_BY_HOP for h in headers):
        raise FhirError(422, "channel.header : Host, Content-Type, Content-Length… sont fixés par la plateforme.")
