"""E-mails of the authentication flows, sent by the task worker after the transaction commits."""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django_tasks import task

from trajectoire.accounts import mssante

from . import otp
from .enums import OtpPurpose

logger = logging.getLogger(__name__)

SUBJECTS = {
    OtpPurpose.LOGIN: "Votre code de connexion",
    OtpPurpose.EMAIL: "Confirmez votre adresse électronique",
}


@task()
def send_code(user_id: int, purpose: str, sealed_code: str, to: str, via_mssante: bool = False) -> str:
    """Send a code e-mail. The code arrives encrypted (see otp.seal) and is not sent once expired."""
    code = otp.unseal(sealed_code)
    if code is None:
        logger.info("code e-mail dropped", extra={"event": "otp_mail_expired"})
        return "expired"
    user = get_user_model().objects.get(pk=user_id)
    context = {"user": user, "code": code, "purpose": purpose, "site_title": settings.SITE_TITLE}
    body = render_to_string("proauth/emails/code.txt", context)
    subject = f"{settings.SITE_TITLE} — {SUBJECTS[OtpPurpose(purpose)]}"
    mssante.send(subject, body, to, via_mssante=via_mssante)
    return "sent"


@task()
def send_new_device_notice(user_id: int, means: str, user_agent: str) -> str:
    """Tell the user about a login from a browser never seen on their account."""
    from django.utils import timezone

    from trajectoire.audit.enums import AuthMeans

    user = get_user_model().objects.get(pk=user_id)
    context = {
        "user": user,
        "means": AuthMeans(means).label if means in AuthMeans.values else means,
        "when": timezone.localtime(),
        "user_agent": user_agent,
        "site_title": settings.SITE_TITLE,
        "site_url": settings.SITE_URL,
    }
    body = render_to_string("proauth/emails/new_device.txt", context)
    send_mail(f"{settings.SITE_TITLE} — Nouvelle connexion à votre compte", body, None, [user.email])
    return "sent"
