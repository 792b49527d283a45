"""CPS/CPE/CPA card: the TLS client certificate checked by nginx, checked again here (SPEC §2.2)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from urllib.parse import unquote

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.x509.oid import NameOID
from django.conf import settings

from trajectoire.core.request_context import is_from_trusted_proxy, proxy_secret_proven

from .enums import CardFailure
from .identity import NationalId, parse_national_id

logger = logging.getLogger(__name__)

VERIFY_HEADER = "HTTP_X_SSL_CLIENT_VERIFY"
CERT_HEADER = "HTTP_X_SSL_CLIENT_CERT"
MAX_CHAIN = 6


@dataclass
class CardIdentity:
    national_id: NationalId
    first_name: str
    last_name: str


class CardRefused(Exception):
    def __init__(self, failure: CardFailure, detail: str = ""):
        super().__init__(failure.value)
        self.failure = failure
        self.detail = detail


@cache
def _trust_bundle(path: str) -> tuple[x509.Certificate, ...]:
    return tuple(x509.load_pem_x509_certificates(Path(path).read_bytes()))


def trust_bundle() -> tuple[x509.Certificate, ...]:
    path = settings.CARD_TRUST_BUNDLE
    return _trust_bundle(str(path)) if path else ()


def _valid_now(cert: x509.Certificate, now: datetime) -> bool:
    return cert.not_valid_before_utc <= now <= cert.not_valid_after_utc


def _issuer_in_bundle(cert: x509.Certificate, bundle, now: datetime) -> x509.Certificate | None:
    for candidate in bundle:
        if candidate.subject != cert.issuer or not _valid_now(candidate, now):
            continue
        try:
            cert.verify_directly_issued_by(candidate)
        except (ValueError, TypeError, InvalidSignature):
            continue
        return candidate
    return None


def verify_chain(cert: x509.Certificate, bundle, now: datetime | None = None) -> None:
    """The certificate must be valid now and chain, signature by signature, to a root of our bundle."""
    now = now or datetime.now(UTC)
    if not _valid_now(cert, now):
        raise CardRefused(CardFailure.INVALID, "expired_or_not_yet_valid")
    current = cert
    for _ in range(MAX_CHAIN):
        issuer = _issuer_in_bundle(current, bundle, now)
        if issuer is None:
            raise CardRefused(CardFailure.INVALID, "untrusted_issuer")
        if issuer.subject == issuer.issuer:
            return
        current = issuer
    raise CardRefused(CardFailure.INVALID, "chain_too_long")


def _subject_value(name: x509.Name, oid) -> str:
    values = name.get_attributes_for_oid(oid)
    return str(values[0].value) if values else ""


def common_name(cert: x509.Certificate) -> str:
    """The CN, read from the subject's RDNs (on CPx cards it shares a multi-valued RDN with SN and GN)."""
    for rdn in cert.subject.rdns:
        for attribute in rdn:
            if attribute.oid == NameOID.COMMON_NAME:
                return str(attribute.value)
    return ""


def from_request(request) -> CardIdentity:
    """Read the card behind the request, or raise CardRefused with the case of SPEC §2.5."""
    if not is_from_trusted_proxy(request):
        # Headers from anyone but our proxy are ignored: as if no certificate had been presented.
        raise CardRefused(CardFailure.NO_CERTIFICATE, "untrusted_peer")
    if not proxy_secret_proven(request):
        # Reached the application server without our nginx (a local process, a misrouted request): the
        # certificate header needs no private key to forge. Audited by the view (detail no_proxy_secret).
        raise CardRefused(CardFailure.NO_CERTIFICATE, "no_proxy_secret")
    if settings.CARD_HOST and request.get_host() != settings.CARD_HOST:
        # Only the card server block of nginx forwards certificates; other hosts clear the headers.
        raise CardRefused(CardFailure.NO_CERTIFICATE, "not_card_host")
    verify = request.META.get(VERIFY_HEADER, "").strip()
    escaped = request.META.get(CERT_HEADER, "").strip()
    if verify.startswith("FAILED"):
        raise CardRefused(CardFailure.INVALID, "proxy:" + verify[:80])
    if verify != "SUCCESS" or not escaped:
        raise CardRefused(CardFailure.NO_CERTIFICATE, "none")
    try:
        cert = x509.load_pem_x509_certificate(unquote(escaped).encode())
    except ValueError as exc:
        raise CardRefused(CardFailure.INVALID, "unparsable") from exc
    verify_chain(cert, trust_bundle())
    national_id = parse_national_id(common_name(cert))
    if national_id is None:
        raise CardRefused(CardFailure.NOT_PROFESSIONAL, "cn_format")
    return CardIdentity(
        national_id=national_id,
        first_name=_subject_value(cert.subject, NameOID.GIVEN_NAME).title(),
        last_name=_subject_value(cert.subject, NameOID.SURNAME).upper(),
    )
