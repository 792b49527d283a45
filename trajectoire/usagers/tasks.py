from django_tasks import task

from .services.dossiers import relancer_et_annuler_non_confirmes


@task()
def traiter_comptes_non_confirmes() -> str:
    """Periodic: reminder after 3 days, dossiers of unconfirmed accounts cancelled after 4 days."""
    reminded, cancelled = relancer_et_annuler_non_confirmes()
    return f"{reminded} relance(s), {cancelled} annulation(s)"
