"""Professionals' e-mails through an MSSanté relay (Messagerie sécurisée de santé).

When MSSANTE_HOST is set, e-mails to a professional whose MSSanté address is known (Annuaire Santé entry,
`accounts.annuaire.mssante_address`) go to that address through the operator's relay: SMTP with TLS (STARTTLS,
or implicit TLS with MSSANTE_USE_SSL) authenticated by the platform's client certificate (MSSANTE_CERT,
MSSANTE_KEY; the relay's certificate is checked against MSSANTE_CA, else the system's authorities). Otherwise the
ordinary e-mail settings and address are used. Usagers never go through the relay.
"""

from __future__ import annotations

import ssl
from functools import cached_property

from django.conf import settings
from django.core.mail import send_mail
from django.core.mail.backends.smtp import EmailBackend

from .annuaire import mssante_address


class RelayBackend(EmailBackend):
    """Django's SMTP backend with a client certificate and a verified server certificate."""

    @cached_property
    def ssl_context(self):
        context = ssl.create_default_context(cafile=settings.MSSANTE_CA or None)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        context.load_cert_chain(settings.MSSANTE_CERT, settings.MSSANTE_KEY or None)
        return context


def configured() -> bool:
    return bool(settings.MSSANTE_HOST)


def address_for(user) -> str:
    if user is None or not getattr(user, "is_professionnel", False):
        return ""
    return mssante_address(user)


def destination(user, fallback: str) -> tuple[str, bool]:
    """(address, through the relay): the MSSanté address when the relay is configured and the address known."""
    address = address_for(user) if configured() else ""
    return (address, True) if address else (fallback, False)


def relay_connection() -> RelayBackend:
    return RelayBackend(
        host=settings.MSSANTE_HOST,
        port=settings.MSSANTE_PORT,
        use_tls=not settings.MSSANTE_USE_SSL,
        use_ssl=settings.MSSANTE_USE_SSL,
        timeout=settings.EMAIL_TIMEOUT,
        fail_silently=False,
    )


def send(subject: str, body: str, to: str, *, via_mssante: bool) -> None:
    """Send one e-mail, through the relay when asked (the sender is then the platform's MSSanté mailbox)."""
    if via_mssante:
        send_mail(subject, body, settings.MSSANTE_FROM or None, [to], connection=relay_connection())
    else:
        send_mail(subject, body, None, [to])
