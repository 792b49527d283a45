"""Statistical secrecy of the published counts: primary and complementary suppression.

Primary: a count between 1 and `secret_below() - 1` could point to a person; it is published as « < 5 ».
Complementary: the rows of a table add up to its margin (the « Ensemble » line), so one hidden cell would be
given back by subtraction (total 269 − 156 − 109 = 4). In each column of each table we therefore hide, as
« secret », the next-smallest non-zero cells until at least two are hidden and the hidden ones add up to at least
the threshold (common practice of official statistics: « secret secondaire », τ-Argus's « secondary
suppression »; non vérifié: no text sets this rule for the platform, it is the instance's choice). A rate
whose numerator or denominator is hidden is not published either (it would give the count back).

Not covered (documented in docs/open-data.md): differences between two requests with different filters or
periods; the observatoire is therefore for accounts of the territory, the open aggregates publish fixed cuts only.
"""

from __future__ import annotations

from django.conf import settings

MASQUE = "secret"  # how a cell hidden by complementary suppression is published


def secret_below() -> int:
    """The smallest count published as is (setting `OBSERVATOIRE_SECRET_BELOW`, 5 by default; 11 for
    SNDS-style rules)."""
    return int(getattr(settings, "OBSERVATOIRE_SECRET_BELOW", 5))


def petit(count: int | None) -> bool:
    return count is not None and 0 < count < secret_below()


def shown(count: int | None) -> str:
    """A count as published by primary suppression alone: « < 5 » for a small non-zero cell."""
    if count is None:
        return "—"
    return f"< {secret_below()}" if petit(count) else str(count)


class Cellules:
    """Mixin of a table row: its count fields, and which of them complementary suppression hid."""

    COUNTS: tuple[str, ...] = ()

    def masque(self, name: str) -> bool:
        return petit(getattr(self, name)) or name in self.masques

    def publie(self, name: str) -> str:
        return MASQUE if name in self.masques and not petit(getattr(self, name)) else shown(getattr(self, name))

    def valeur(self, name: str) -> int | None:
        """The number a chart or a JSON file may show: None when hidden."""
        return None if self.masque(name) else getattr(self, name)

    @property
    def publies(self) -> dict[str, str]:
        return {name: self.publie(name) for name in self.COUNTS}


def proteger(lignes: list, marge, champs) -> None:
    """Complementary suppression in each column `champs` of a table whose rows add up to `marge`."""
    threshold = secret_below()
    for champ in champs:
        if marge.masque(champ):
            continue  # the margin is itself hidden: no subtraction gives a cell back
        hidden = [i for i, line in enumerate(lignes) if line.masque(champ)]
        while hidden and (len(hidden) == 1 or sum(getattr(lignes[i], champ) for i in hidden) < threshold):
            candidates = [(getattr(line, champ), i) for i, line in enumerate(lignes) if i not in hidden]
            candidates = [(value, i) for value, i in candidates if value > 0]
            if not candidates:
                break  # every other cell is 0: the hidden one equals the margin, hidden too
            _, index = min(candidates)
            lignes[index].masques.add(champ)
            hidden.append(index)
