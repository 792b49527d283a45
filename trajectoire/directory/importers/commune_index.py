"""Which commune a FINESS address lies in, when the file gives no INSEE code (the FHIR extract).

Order: INSEE code; else among the communes of the postal code (or, for a CEDEX code, of La Poste's list of
CEDEX → INSEE, `communes/liste-des-cedex.csv`): the same name, else a name that starts with the other (the
FINESS routing label is cut at 26 characters: « ST LAURENT DE LA CABRERISS »); else the same name in the
département; else the only commune of the postal code. A CEDEX code serving several communes is narrowed by
name, then by the structure's département, then by the first word of the name (`_by_cedex`).

A CEDEX code is the postal code of a large mail recipient, not of a commune (≈ 410 structures of the 2021
extract); it may serve several communes (75784 « PARIS CEDEX 16 » → 75116 and two foreign codes), hence the
name check among its communes.
"""

from __future__ import annotations

from ..geo import normalize
from ..models import Commune
from .communes import read_cedex


class CommuneIndex:
    def __init__(self, cedex: dict[str, list[str]] | None = None):
        cedex = read_cedex() if cedex is None else cedex
        self.by_insee: dict[str, int] = {}
        self.names: dict[int, str] = {}
        self.by_postal: dict[str, list[int]] = {}
        self.by_dep_name: dict[tuple[str, str], int] = {}
        for pk, insee, search_name, postal_codes, dep in Commune.objects.values_list(
            "pk", "insee", "search_name", "postal_codes", "departement"
        ):
            self.by_insee[insee] = pk
            self.names[pk] = search_name
            self.by_dep_name.setdefault((dep, search_name), pk)
            for postal in postal_codes.split(","):
                self.by_postal.setdefault(postal, []).append(pk)
        self.by_cedex = {
            code: list(dict.fromkeys(self.by_insee[i] for i in insees if i in self.by_insee))
            for code, insees in cedex.items()
        }
        self.deps = {pk: insee[:3] if insee.startswith("97") else insee[:2] for insee, pk in self.by_insee.items()}

    def find(self, insee: str, postal_code: str, city: str, departement: str) -> int | None:
        if insee in self.by_insee:
            return self.by_insee[insee]
        name = normalize(city.split(" CEDEX")[0])
        candidates = self.by_postal.get(postal_code) or []
        if not candidates and postal_code in self.by_cedex:
            return self._by_cedex(self.by_cedex[postal_code], name, departement) or self.by_dep_name.get(
                (departement, name)
            )
        found = self._by_name(candidates, name) or self.by_dep_name.get((departement, name))
        if found is None and len(candidates) == 1:
            found = candidates[0]
        return found

    def _by_cedex(self, candidates: list[int], name: str, departement: str) -> int | None:
        """A CEDEX code serving several communes: the name, else the only one in the structure's département,
        else the only one sharing the first word of the name (« Cherbourg Octeville » → « Cherbourg en Cotentin »,
        a commune nouvelle); still ambiguous (« Morez » → Hauts de Bienne, Bellefontaine or Les Rousses): None."""
        found = self._by_name(candidates, name)
        if found is None:
            local = [pk for pk in candidates if self.deps.get(pk) == departement] or candidates
            first = name.split(" ")[0] if name else ""
            same_word = [pk for pk in candidates if len(first) >= 4 and self.names[pk].split(" ")[0] == first]
            found = local[0] if len(local) == 1 else (same_word[0] if len(same_word) == 1 else None)
        return found

    def _by_name(self, candidates: list[int], name: str) -> int | None:
        if not name:
            return None
        for pk in candidates:
            if self.names[pk] == name:
                return pk
        # The longest name sharing a prefix with the routing label: "chateau gontier" → "chateau gontier sur
        # mayenne" (a commune nouvelle), "saint laurent de la cabreriss" (cut) → "saint laurent de la cabrerisse".
        prefixed = [pk for pk in candidates if self.names[pk].startswith(name) or name.startswith(self.names[pk] + " ")]
        return max(prefixed, key=lambda pk: len(self.names[pk]), default=None)
