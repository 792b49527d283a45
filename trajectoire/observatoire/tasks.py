"""The observatoire's aggregates computed again off the request (services._cached: stale while revalidate)."""

import datetime as dt

from django_tasks import task

from . import services


@task()
def rafraichir(kind: str, departements: list[str], domain: str, depuis: str, jusqua: str) -> None:
    """Compute one kept aggregate again for its filter (placed by a view that showed it past its period)."""
    if kind not in services.KINDS:
        return
    filtre = services.Filtre(
        departements=departements,
        domain=domain,
        depuis=dt.date.fromisoformat(depuis),
        jusqua=dt.date.fromisoformat(jusqua),
    )
    services.store(kind, filtre)
