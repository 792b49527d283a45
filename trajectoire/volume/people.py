"""Generated professionals (valid fictitious RPPS numbers), their memberships, and extra units."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from trajectoire.accounts.enums import Kind, Profession
from trajectoire.accounts.models import Membership, User
from trajectoire.directory.enums import StructureType
from trajectoire.directory.models import Commune, Unite

from .tables import Table, next_id, ts

NOMS = (  # noqa: SIM905
    "MARTIN BERNARD THOMAS PETIT ROBERT RICHARD DURAND DUBOIS MOREAU LAURENT SIMON MICHEL LEFEBVRE LEROY "
    "ROUX DAVID BERTRAND MOREL FOURNIER GIRARD BONNET DUPONT LAMBERT FONTAINE ROUSSEAU VINCENT MULLER "
    "LEFEVRE FAURE ANDRE MERCIER BLANC GUERIN BOYER GARNIER CHEVALIER FRANCOIS LEGRAND GAUTHIER GARCIA "
    "PERRIN ROBIN CLEMENT MORIN NICOLAS HENRY ROUSSEL MATHIEU GAUTIER MASSON MARCHAND DUVAL DENIS DUMONT "
    "MARIE LEMAIRE NOEL MEYER DUFOUR MEUNIER BRUN BLANCHARD GIRAUD JOLY RIVIERE LUCAS BRUNET GAILLARD "
    "BARBIER ARNAUD MARTINEZ GERARD"
).split()
PRENOMS_F = (  # noqa: SIM905
    "Marie Jeanne Françoise Monique Catherine Nathalie Isabelle Sylvie Anne Martine Christine Louise"
).split()
PRENOMS_M = (  # noqa: SIM905
    "Jean Pierre Michel André Philippe René Louis Alain Jacques Bernard Marcel Daniel Paul Henri"
).split()
UNUSABLE_PASSWORD = "!volume-generated"  # noqa: S105 (the "!" prefix: unusable)
STAFF_PROFESSIONS = [Profession.INFIRMIER, Profession.SECRETAIRE, Profession.CADRE_SANTE, Profession.MEDECIN]


def rpps_for(number: int) -> str:
    """An 11-digit RPPS-shaped number starting with 19 (fictitious range) with a valid Luhn key."""
    body = f"19{number:08d}"
    total = 0
    for position, char in enumerate(reversed(body)):
        value = int(char) * (2 if position % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return body + str((10 - total % 10) % 10)


@dataclass
class Directory:
    """What the generator reads from the imported directory."""

    communes: list[tuple[int, str, str]]  # id, name, departement
    units: dict[tuple[str, str], list[tuple[int, int]]] = field(default_factory=dict)  # (type, dept) -> ids
    units_national: dict[str, list[tuple[int, int]]] = field(default_factory=dict)  # type -> (unite, structure)
    structures: list[int] = field(default_factory=list)  # receiving structures
    staff: dict[int, list[int]] = field(default_factory=dict)  # structure -> staff user ids

    def candidates(self, structure_type: str, departement: str) -> list[tuple[int, int]]:
        local = self.units.get((structure_type, departement), [])
        return local if len(local) >= 3 else self.units_national.get(structure_type, [])


def load_directory(units=None, *, with_communes: bool = True) -> Directory:
    """The active units (or those of the `units` queryset) by type and département, and the communes."""
    communes = Commune.objects.exclude(departement="").values_list("id", "name", "departement")
    directory = Directory(communes=list(communes) if with_communes else [])
    units = Unite.objects.all() if units is None else units
    rows = units.filter(is_active=True, structure__is_active=True).values_list(
        "id", "structure_id", "structure_type", "structure__departement"
    )
    for unite_id, structure_id, structure_type, departement in rows.order_by("id").iterator(chunk_size=20000):
        directory.units.setdefault((structure_type, departement), []).append((unite_id, structure_id))
        directory.units_national.setdefault(structure_type, []).append((unite_id, structure_id))
    directory.structures = sorted({s for units in directory.units_national.values() for _, s in units})
    return directory


def add_protected_units(rng: random.Random, now: dt.datetime) -> int:
    """A second unit (« Unité de vie protégée ») in about one EHPAD in three, on the first run only."""
    if Unite.objects.filter(code="volume-uvp").exists():
        return 0
    ehpad = Unite.objects.filter(code="principale", structure_type=StructureType.EHPAD).values_list(
        "structure_id", "domain"
    )
    table = Table(Unite, ["id", "structure_id", "name", "structure_type", "domain", "capacity", "code"])
    first = next_id(Unite)
    for structure_id, domain in ehpad.order_by("structure_id"):
        if rng.random() < 0.33:
            unite_id = first + len(table.rows)
            table.add(unite_id, structure_id, "Unité de vie protégée", StructureType.EHPAD, domain, 14, "volume-uvp")
    return table.flush()


def generate_users(rng: random.Random, count: int, directory: Directory, now: dt.datetime):
    """60 % doctors who write dossiers, 40 % structure staff with one membership each.

    Returns the doctors as (user id, commune id, departement).
    """
    users = Table(
        User,
        [
            "id",
            "password",
            "username",
            "kind",
            "first_name",
            "last_name",
            "profession",
            "rpps",
            "staff_card_id",
            "exercice_commune",
            "strong_auth_at",
            "date_joined",
            "email",
        ],
    )
    members = Table(Membership, ["user_id", "structure_id", "is_admissions", "is_medical", "is_referent", "created_at"])
    first = next_id(User)
    doctors = []
    staff_count = int(count * 0.4) if directory.structures else 0
    for n in range(count):
        uid = first + n
        is_staff = n >= count - staff_count
        profession = rng.choice(STAFF_PROFESSIONS) if is_staff else Profession.MEDECIN
        female = rng.random() < 0.5
        first_name = rng.choice(PRENOMS_F if female else PRENOMS_M)
        last_name = rng.choice(NOMS).capitalize()
        commune_id, commune_name, departement = rng.choice(directory.communes)
        joined = now - dt.timedelta(days=rng.randint(30, 2000))
        rpps = rpps_for(uid) if profession != Profession.SECRETAIRE else None
        card = None
        if is_staff:
            structure_id = directory.structures[(n * 7919) % len(directory.structures)]
            if rpps is None:
                card = f"3{structure_id:08d}/v{uid}"
            referent = len(directory.staff.setdefault(structure_id, [])) == 0
            directory.staff[structure_id].append(uid)
            medical = profession in (Profession.INFIRMIER, Profession.MEDECIN)
            members.add(uid, structure_id, True, medical, referent, ts(joined))
        else:
            doctors.append((uid, commune_id, departement))
        email = f"{first_name[0].lower()}.{last_name.lower()}.{uid}@volume.invalid"
        users.add(
            uid, UNUSABLE_PASSWORD, rpps or card, Kind.PROFESSIONNEL, first_name, last_name, profession, rpps, card,
            commune_name, ts(joined), ts(joined), email,
        )  # fmt: skip
        if len(users.rows) >= 20000:
            users.flush()
    users.flush()
    members.flush()
    return doctors, users.written, members.written
