"""Demo accounts, one per role of SPEC §1. Idempotent: re-running updates them in place."""

from django.db import transaction
from django.utils import timezone

from trajectoire.core.demo_registry import DemoAccount, DemoContext

from .enums import Kind, Profession
from .models import Membership, User
from .permissions import may_hold_medical_habilitation

DEMO_PASSWORD = "demo-Trajectoire-2026"  # noqa: S105 (public demo password, printed at start)

# Fictitious RPPS numbers (valid Luhn key, outside the real 10xxxxxxxxx range in use).
PROFESSIONALS = [
    # key, rpps, first, last, profession, role label
    ("medecin", "19900000001", "Marie", "Martin", Profession.MEDECIN, "Médecin libéral (médecin traitant)"),
    (
        "prescripteur",
        "19900000019",
        "Karim",
        "Benali",
        Profession.MEDECIN,
        "Prescripteur en établissement (CHU)",
    ),
    (
        "ehpad_admissions",
        "19900000027",
        "Sophie",
        "Durand",
        Profession.CADRE_SANTE,
        "Structure receveuse — admissions EHPAD",
    ),
    (
        "ehpad_medecin",
        "19900000035",
        "Paul",
        "Lefebvre",
        Profession.MEDECIN,
        "Structure receveuse — médecin coordonnateur EHPAD",
    ),
    (
        "smr_admissions",
        "19900000043",
        "Julie",
        "Moreau",
        Profession.INFIRMIER,
        "Structure receveuse — admissions SMR",
    ),
    (
        "smr2_admissions",
        "19900000076",
        "Thomas",
        "Garnier",
        Profession.CADRE_SANTE,
        "Structure receveuse — admissions d’un 2ᵉ SMR",
    ),
    ("referent", "19900000050", "Nadia", "Roux", Profession.CADRE_SANTE, "Référent structure (EHPAD)"),
]


def _professional(rpps, first, last, profession):
    user, _ = User.objects.update_or_create(
        username=rpps,
        defaults={
            "kind": Kind.PROFESSIONNEL,
            "rpps": rpps,
            "first_name": first,
            "last_name": last,
            "profession": profession,
            "email": f"{first.lower()}.{last.lower()}@demo.trajectoire.localhost",
            "email_confirmed_at": timezone.now(),
            # The demo assumes a first card login already happened, so the password route is open.
            "strong_auth_at": timezone.now(),
            "is_active": True,
            "notify_by_email": False,  # the demo's stories are past events: notifications.demo turns it on after
        },
    )
    user.set_password(DEMO_PASSWORD)
    user.save(update_fields=["password"])
    return user


@transaction.atomic
def load(ctx: DemoContext) -> None:
    users = {}
    for key, rpps, first, last, profession, role in PROFESSIONALS:
        users[key] = _professional(rpps, first, last, profession)
        ctx.accounts.append(
            DemoAccount(
                role,
                users[key].get_full_name(),
                rpps,
                DEMO_PASSWORD,
                "RPPS + mot de passe, puis code reçu par courriel",
            )
        )
    observatoire, _ = User.objects.update_or_create(
        username="19900000068",
        defaults={
            "kind": Kind.PROFESSIONNEL,
            "rpps": "19900000068",
            "first_name": "Claire",
            "last_name": "Petit",
            "profession": Profession.AUTRE,
            "is_observatoire": True,
            "observatoire_departements": "01,69",
            "email": "claire.petit@demo.trajectoire.localhost",
            "strong_auth_at": timezone.now(),
        },
    )
    observatoire.set_password(DEMO_PASSWORD)
    observatoire.save(update_fields=["password"])
    ctx.accounts.append(DemoAccount("Observatoire (ARS)", observatoire.get_full_name(), "19900000068", DEMO_PASSWORD))
    # The administrator logs in like every professional (RPPS + password + code), then opens /administration/.
    admin = _professional("19900000084", "Alex", "Admin", Profession.AUTRE)
    admin.is_staff = admin.is_superuser = True
    admin.save(update_fields=["is_staff", "is_superuser"])
    ctx.accounts.append(
        DemoAccount(
            "Administrateur", admin.get_full_name(), "19900000084", DEMO_PASSWORD, "puis /administration/ (RPPS + code)"
        )
    )

    structures = ctx.data.get("structures", {})
    memberships = [
        ("ehpad_admissions", "ehpad", {"is_admissions": True}),
        ("ehpad_medecin", "ehpad", {"is_medical": True, "is_admissions": True}),
        ("referent", "ehpad", {"is_referent": True, "is_admissions": True}),
        ("smr_admissions", "smr", {"is_admissions": True, "is_medical": True}),
        ("smr2_admissions", "smr2", {"is_admissions": True}),
        ("prescripteur", "hopital", {"is_medical": True}),
    ]
    for user_key, structure_key, roles in memberships:
        structure = structures.get(structure_key)
        if structure is not None:
            if roles.get("is_medical") and not may_hold_medical_habilitation(users[user_key]):
                raise ValueError(f"démo : {user_key} n’a pas une profession médicale")  # the one rule, here too
            Membership.objects.update_or_create(user=users[user_key], structure=structure, defaults=roles)
    ctx.data["users"] = users
    ctx.say(f"Comptes de démonstration prêts ({len(users) + 2}).")
