import logging
from datetime import timedelta

from django.db.models import F
from django.utils import timezone
from django_tasks import default_task_backend, task

from trajectoire.accounts import mssante

from .enums import EmailStatus
from .models import OutgoingEmail
from .services import SEALED, WIPED, readable_body

logger = logging.getLogger(__name__)


@task()
def send_email(email_id: int) -> str:
    """Send one stored e-mail. Safe with several workers: the row is claimed by a conditional update."""
    claimed = OutgoingEmail.objects.filter(pk=email_id, status=EmailStatus.PENDING).update(
        status=EmailStatus.SENDING, attempts=F("attempts") + 1
    )
    if not claimed:
        return "already handled"
    email = OutgoingEmail.objects.get(pk=email_id)
    one_time = email.body.startswith(SEALED)
    try:
        body = readable_body(email)
        if body is None:
            raise ValueError("sealed body cannot be opened")
        mssante.send(email.subject, body, email.to, via_mssante=email.via_mssante)
    except Exception as exc:  # SMTP down, refused…: retry later, never lose the e-mail
        final = email.attempts >= OutgoingEmail.MAX_ATTEMPTS
        email.status = EmailStatus.FAILED if final else EmailStatus.PENDING
        email.last_error = type(exc).__name__
        email.save(update_fields=["status", "last_error"])
        logger.warning("email not sent", extra={"event": "email_retry", "count": email.attempts})
        if not final and default_task_backend.supports_defer:
            delay = timedelta(minutes=2**email.attempts)
            send_email.using(run_after=timezone.now() + delay).enqueue(email_id)
        return "failed"
    email.status = EmailStatus.SENT
    email.sent_at = timezone.now()
    if one_time:
        email.body = WIPED  # sent: the link lives only in the person's mailbox
    email.save(update_fields=["status", "sent_at", "body"])
    return "sent"


@task()
def retry_pending_emails() -> int:
    """Periodic safety net: re-enqueue e-mails left pending (worker restart, backend without defer)."""
    pending = OutgoingEmail.objects.filter(status=EmailStatus.PENDING, attempts__lt=OutgoingEmail.MAX_ATTEMPTS)
    ids = list(pending.values_list("pk", flat=True)[:500])
    for email_id in ids:
        send_email.enqueue(email_id)
    return len(ids)
