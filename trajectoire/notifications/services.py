"""Notify users in the application and, when they opted in, by e-mail (sent by the task worker)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from trajectoire.accounts import mssante

from .models import Notification, OutgoingEmail


def queue_email(to: str, subject: str, body: str, *, via_mssante: bool = False) -> OutgoingEmail:
    """Store an e-mail and have the worker send it once the current transaction commits."""
    from .tasks import send_email

    email = OutgoingEmail.objects.create(to=to, subject=subject, body=body, via_mssante=via_mssante)
    transaction.on_commit(lambda: send_email.enqueue(email.pk))
    return email


def notify(users: Iterable, *, title: str, body: str = "", url: str = "") -> list[Notification]:
    """One in-app notification per user; an e-mail too for those who opted in and have an address."""
    recipients = {user.pk: user for user in users if user is not None and user.is_active}.values()
    notifications = Notification.objects.bulk_create(
        [Notification(user=user, title=title, body=body, url=url) for user in recipients]
    )
    for user in recipients:
        if not user.notify_by_email:
            continue
        to, via_mssante = mssante.destination(user, user.email)  # professionals: MSSanté when known
        if to:
            queue_email(to, f"[Trajectoire] {title}", _email_body(title, body, url), via_mssante=via_mssante)
    return notifications


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
    from django.utils import timezone

    qs = Notification.objects.filter(user=user).unread()
    if notification_id is not None:
        qs = qs.filter(pk=notification_id)
    return qs.update(read_at=timezone.now())
