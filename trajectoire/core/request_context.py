"""Per-request facts shared by logging and audit: a request id and the client's address."""

from __future__ import annotations

import contextvars
import hmac
import ipaddress

from django.conf import settings

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")


def set_request_id(value: str) -> contextvars.Token:
    return _request_id.set(value)


def reset_request_id(token: contextvars.Token) -> None:
    _request_id.reset(token)


def current_request_id() -> str:
    return _request_id.get()


def _is_trusted_proxy(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(net, strict=False) for net in settings.TRUSTED_PROXIES)


PROXY_SECRET_HEADER = "HTTP_X_CARD_PROXY_SECRET"  # noqa: S105 (a header name)


def is_from_trusted_proxy(request) -> bool:
    return _is_trusted_proxy(request.META.get("REMOTE_ADDR", ""))


def proxy_secret_proven(request) -> bool:
    """The request carries the secret our nginx adds (CARD_PROXY_SECRET), compared in constant time."""
    secret = settings.CARD_PROXY_SECRET
    sent = request.META.get(PROXY_SECRET_HEADER, "")
    return bool(secret) and hmac.compare_digest(sent.encode(), secret.encode())


def is_from_our_proxy(request) -> bool:
    """A configured proxy address and, once a secret is configured, its proof: a local process reaching the
    application server directly is not our proxy."""
    if not is_from_trusted_proxy(request):
        return False
    return proxy_secret_proven(request) if settings.CARD_PROXY_SECRET else True


def client_ip(request) -> str | None:
    """The client address: X-Forwarded-For is believed only from our proxy, and only its right-most hop that
    is not itself a proxy (what our nginx saw; what the client wrote to the left is ignored)."""
    remote = request.META.get("REMOTE_ADDR") or None
    if remote is None or not is_from_our_proxy(request):
        return remote
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    for address in reversed(forwarded):
        if not _is_trusted_proxy(address):
            try:
                return str(ipaddress.ip_address(address))
            except ValueError:
                return remote
    return remote


# Per-request memo: facts read once per request (a user's memberships…), gone when the request ends. Outside a
# request (commands, the task worker, services called by tests) there is none and every call reads the database.
_memo: contextvars.ContextVar[dict | None] = contextvars.ContextVar("request_memo", default=None)


def open_request_memo() -> contextvars.Token:
    return _memo.set({})


def close_request_memo(token: contextvars.Token) -> None:
    _memo.reset(token)


def request_memo() -> dict | None:
    """The current request's memo (a dict), or None outside a request."""
    return _memo.get()


def forget(prefix: str) -> None:
    """Drop the memo's entries whose key (a tuple) begins with `prefix` (a write made them stale)."""
    memo = _memo.get()
    if memo:
        for key in [k for k in memo if k[0] == prefix]:
            del memo[key]
