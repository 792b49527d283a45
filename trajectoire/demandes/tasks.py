from django_tasks import task

from . import reminders


@task()
def relancer_demandes() -> int:
    """Periodic: remind structures of unanswered demandes (see settings.RELANCE_DELAYS_HOURS)."""
    return reminders.send_due_reminders()
