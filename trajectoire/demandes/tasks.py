from django_tasks import task

from . import inactivity, reminders, services


@task()
def relancer_demandes() -> dict:
    """Periodic: escalate demandes without a first answer (admissions at the target, référent at twice it)."""
    return reminders.send_due_reminders()


@task()
def traiter_dossiers_inactifs() -> dict:
    """Periodic: alert after 6 months without change, archive 2 months after an unanswered alert."""
    return {"alertes": inactivity.send_alerts(), "archives": inactivity.archive_unconfirmed()}


@task()
def announce(action: str, demande_ids: list[int]) -> int:
    """After the commit that sent or moved these demandes: notifications, e-mails, Subscriptions
    (`services.announce_now`), here rather than in the request that made the change."""
    return services.announce_now(action, demande_ids)
