"""Notify users in the application and, when they opted in, by e-mail (sent by the task worker)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import F

from trajectoire.accounts import mssante
from trajectoire.accounts.models import User
from trajectoire.core import sealing

from .models import Notification, OutgoingEmail

SEALED = "sealed:"
WIPED = "[Contenu à usage unique (lien de confirmation ou de réinitialisation) effacé après l’envoi.]"
_SEAL = "trajectoire.notifications.outgoing"


def queue_email(
    to: str, subject: str, body: str, *, one_time: bool = False, via_mssante: bool = False
) -> OutgoingEmail:
    """Store an e-mail and have the worker send it once the current transaction commits.

    `one_time`: the body holds a link that opens an account (confirmation, password reset); it is stored
    encrypted (core.sealing) and wiped once sent, so the table never keeps a usable link. `via_mssante`: the
    worker sends it through the MSSanté relay (accounts.mssante).
    """
    from .tasks import send_email

    stored = SEALED + sealing.seal(body, _SEAL) if one_time else body
    email = OutgoingEmail.objects.create(to=to, subject=subject, body=stored, via_mssante=via_mssante)
    transaction.on_commit(lambda: send_email.enqueue(email.pk))
    return email


@transaction.atomic(savepoint=False)
def notify(users: Iterable, *, title: str, body: str = "", url: str = "") -> list[Notification]:
    """One in-app notification per user; an e-mail too for those who opted in and have an address.

    Written together, in one transaction (the caller's when there is one): the notifications, the bells'
    counters (accounts.User) and the e-mails; called after a commit (a transition's hooks) they were committed
    apart, one disk flush each."""
    recipients = {user.pk: user for user in users if user is not None and user.is_active}.values()
    notifications = Notification.objects.bulk_create(
        [Notification(user=user, title=title, body=body, url=url) for user in recipients]
    )
    if recipients:
        User.objects.filter(pk__in=[user.pk for user in recipients]).update(
            unread_notifications=F("unread_notifications") + 1
        )
    for user in recipients:
        if not user.notify_by_email:
            continue
        to, via_mssante = mssante.destination(user, user.email)  # professionals: MSSanté when known
        if to:
            queue_email(to, f"[Trajectoire] {title}", _email_body(title, body, url), via_mssante=via_mssante)
    return notifications


def readable_body(email: OutgoingEmail) -> str | None:
    """The text to send (None when a sealed body cannot be opened: altered, or SECRET_KEY changed)."""
    if email.body.startswith(SEALED):
        return sealing.unseal(email.body.removeprefix(SEALED), _SEAL)
    return email.body


def _email_body(title: str, body: str, url: str) -> str:
    from django.conf import settings

    lines = ["Bonjour,", "", title]
    if body:
        lines += ["", body]
    if url:
        lines += ["", f"Pour consulter : {settings.SITE_URL.rstrip('/')}{url}"]
    lines += [
        "",
        "Ce courriel ne contient aucune donnée médicale. Connectez-vous pour consulter le détail.",
        "Vous pouvez désactiver ces courriels dans vos préférences de notification.",
    ]
    return "\n".join(lines)


def mark_read(user, notification_id: int | None = None) -> int:
    """Mark one or all of the user's notifications read, and set the bell's counter to what is left unread.

    The user's row is locked first: a notification being written for this user (notify's +1 waits on that
    lock, or has committed before it) is then either counted here or added after, never lost."""
    from django.utils import timezone

    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True).first()
        qs = Notification.objects.filter(user=user).unread()
        if notification_id is not None:
            qs = qs.filter(pk=notification_id)
        marked = qs.update(read_at=timezone.now())
        left = Notification.objects.filter(user=user).unread().count()
        User.objects.filter(pk=user.pk).update(unread_notifications=left)
    user.unread_notifications = left
    return marked
