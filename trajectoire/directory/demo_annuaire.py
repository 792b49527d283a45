"""Demo: a few entries of the Annuaire Santé (fictitious RPPS numbers of the demo range 199…): the demo's médecin
libéral, and doctors without an account whom a family can name as médecin traitant (« Désigner mon médecin
traitant » finds them; naming one sends an invitation e-mail)."""

from __future__ import annotations

from .geo import normalize
from .models import LieuExercice, Professionnel

# rpps, prénom, nom, commune, code postal, INSEE, adresse du cabinet (structure), MSSanté
DOCTORS = [
    ("19900000001", "Marie", "MARTIN", "BOURG EN BRESSE", "01000", "01053", "", ""),
    ("19900000100", "Paul", "GIRARD", "BOURG EN BRESSE", "01000", "01053",
     "cabinet.girard@demo.trajectoire.localhost", ""),
    ("19900000118", "Anne", "MOREL", "LYON 03", "69003", "69383", "", "anne.morel@medecin.mssante.demo"),
    ("19900000126", "Luc", "BERNARD", "AMBERIEU EN BUGEY", "01500", "01004", "", ""),
]  # fmt: skip


def load(ctx) -> None:
    for rpps, first, last, commune, postal, insee, email, mssante in DOCTORS:
        pro, _ = Professionnel.objects.update_or_create(
            identification_nationale="8" + rpps,
            defaults={"id_type": "8", "identifiant": rpps, "civilite_exercice": "DR", "nom": last, "prenom": first,
                      "search_name": normalize(f"{last} {first}"), "profession_code": "10",
                      "profession_label": "Médecin", "savoir_faire_code": "SM54",
                      "savoir_faire_label": "Médecine générale", "mssante": mssante},
        )  # fmt: skip
        LieuExercice.objects.update_or_create(
            professionnel=pro, cle=f"cabinet-{rpps}",
            defaults={"mode_exercice": "L", "raison_sociale": f"Cabinet du Dr {last}", "commune": commune,
                      "code_postal": postal, "commune_code": insee, "email": email},
        )  # fmt: skip
    ctx.say(f"Annuaire Santé : {len(DOCTORS)} médecins de démonstration (dont {len(DOCTORS) - 1} sans compte)")
