"""Bench accounts the generated volume does not have: families sharing a dossier, observatoire accounts.

Created once in the bench database (usernames `bench-…`, reused by later runs), never elsewhere: the
generator writes professionals, patients and dossiers only. The annuaire is public (no account).
"""

from __future__ import annotations

import random

# Public annuaire searches of the mix: EHPAD or SMR around communes of dense and less dense areas
# (INSEE codes: Lyon 1er, Paris 15e, Saint-Étienne, Bourg-en-Bresse, Rennes, Toulouse).
ANNUAIRE_QUERIES = [
    "commune=69381&insee=69381&structure_type=ehpad&radius_km=30",
    "commune=75115&insee=75115&structure_type=ehpad&radius_km=10",
    "commune=42218&insee=42218&structure_type=ehpad&radius_km=30",
    "commune=01053&insee=01053&structure_type=smr&radius_km=50",
    "commune=35238&insee=35238&structure_type=ehpad&radius_km=20",
    "commune=31555&insee=31555&structure_type=smr&radius_km=30",
]
OBSERVATOIRE_DEPARTEMENTS = ["01", "42", "35"]


def ensure_families(count: int, rng: random.Random) -> list[dict]:
    """Usager accounts, each the référent aidant of one sent Grand Âge dossier (created on first run)."""
    from django.utils import timezone

    from trajectoire.accounts.enums import Kind
    from trajectoire.accounts.models import User
    from trajectoire.directory.enums import Domain
    from trajectoire.dossiers.models import Dossier
    from trajectoire.usagers.models import Aidant

    existing = list(
        Aidant.objects.filter(user__username__startswith="bench-famille-").values_list("user_id", "dossier_id")
    )
    if len(existing) < count:
        taken = Aidant.objects.values("dossier_id")
        sent = Dossier.objects.filter(domain=Domain.GRAND_AGE, statut="transmis").exclude(pk__in=taken)
        high = sent.order_by("-pk").values_list("pk", flat=True).first() or 0
        candidates = sent.filter(pk__lte=rng.randint(1, max(1, high))).order_by("-pk")[: count - len(existing)]
        now = timezone.now()
        for dossier_id in candidates.values_list("pk", flat=True):
            email = f"bench-famille-{dossier_id}@bench.invalid"
            user = User.objects.create_user(
                email, email=email, kind=Kind.USAGER, first_name="Aidant", last_name=f"Bench {dossier_id}"
            )
            User.objects.filter(pk=user.pk).update(email_confirmed_at=now)
            Aidant.objects.create(dossier_id=dossier_id, user=user, lien="enfant", is_referent=True)
            existing.append((user.pk, dossier_id))
    return [{"user": user_id, "dossiers": [dossier_id]} for user_id, dossier_id in existing[:count]]


def ensure_observatoire(count: int) -> list[dict]:
    """Observatoire accounts (one département each, in turn from OBSERVATOIRE_DEPARTEMENTS)."""
    from trajectoire.accounts.models import User

    actors = []
    for index in range(count):
        code = OBSERVATOIRE_DEPARTEMENTS[index % len(OBSERVATOIRE_DEPARTEMENTS)]
        user, _ = User.objects.get_or_create(
            username=f"bench-observatoire-{index}",
            defaults={"is_observatoire": True, "observatoire_departements": code, "last_name": f"Observatoire {code}"},
        )
        actors.append({"user": user.pk})
    return actors


def anonymous(count: int) -> list[dict]:
    """Visitors of the public annuaire: no account, no session."""
    return [{"user": None} for _ in range(count)]
