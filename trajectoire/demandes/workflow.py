"""The demande state machine, declared in one table (SPEC §5).

Each transition names its source states, its target, and which side may fire it. Services check the
table inside a transaction holding a row lock, so a transition is applied only from a state it allows.
"""

from __future__ import annotations

from dataclasses import dataclass

from .enums import OPEN_STATUTS, Side, Statut

S = Statut


@dataclass(frozen=True)
class Transition:
    name: str
    label: str  # what the timeline says
    sources: frozenset[Statut]
    target: Statut
    side: Side


_ANSWERABLE = frozenset({S.ENVOYEE, S.LUE, S.COMPLETEE})

TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in [
        Transition("lire", "Demande lue par la structure", frozenset({S.ENVOYEE, S.COMPLETEE}), S.LUE, Side.STRUCTURE),
        Transition(
            "demander_complement",
            "Complément d’information demandé",
            _ANSWERABLE | {S.LISTE_ATTENTE},
            S.COMPLEMENT_DEMANDE,
            Side.STRUCTURE,
        ),
        Transition(
            "completer",
            "Complément apporté par le demandeur",
            frozenset({S.COMPLEMENT_DEMANDE}),
            S.COMPLETEE,
            Side.SENDER,
        ),
        Transition(
            "accepter",
            "Demande acceptée, date d’admission proposée",
            _ANSWERABLE | {S.LISTE_ATTENTE},
            S.ACCEPTEE,
            Side.STRUCTURE,
        ),
        Transition("mettre_en_attente", "Inscrite sur liste d’attente", _ANSWERABLE, S.LISTE_ATTENTE, Side.STRUCTURE),
        Transition(
            "refuser",
            "Demande refusée",
            _ANSWERABLE | {S.LISTE_ATTENTE, S.COMPLEMENT_DEMANDE, S.ACCEPTEE},
            S.REFUSEE,
            Side.STRUCTURE,
        ),
        Transition(
            "confirmer_admission",
            "Admission confirmée par le demandeur",
            frozenset({S.ACCEPTEE}),
            S.ADMISSION_CONFIRMEE,
            Side.SENDER,
        ),
        Transition(
            "enregistrer_admission",
            "Entrée du patient enregistrée",
            frozenset({S.ADMISSION_CONFIRMEE}),
            S.ADMIS,
            Side.STRUCTURE,
        ),
        Transition(
            "annuler",
            "Demande annulée par le demandeur",
            OPEN_STATUTS | {S.ADMISSION_CONFIRMEE},
            S.ANNULEE,
            Side.SENDER,
        ),
        Transition("decliner", "Proposition d’admission déclinée", frozenset({S.ACCEPTEE}), S.ANNULEE, Side.SENDER),
        Transition("cloturer", "Demande clôturée automatiquement", OPEN_STATUTS, S.CLOTUREE, Side.SYSTEM),
    ]
}


class TransitionError(Exception):
    """A transition that the current state or the user's side does not allow; the message is for the user."""


def check(name: str, current: Statut | str, side: Side) -> Transition:
    transition = TRANSITIONS[name]
    if transition.side != side:
        raise TransitionError("Vous ne pouvez pas effectuer cette action sur cette demande.")
    if current not in transition.sources:
        raise TransitionError(
            f"Action impossible : la demande est « {Statut(current).label} ». "
            "Elle a peut-être été modifiée entre-temps ; la page a été actualisée."
        )
    return transition


def available(current: Statut | str, side: Side) -> list[Transition]:
    """Transitions a side may fire now (drives the buttons shown)."""
    return [t for t in TRANSITIONS.values() if t.side == side and current in t.sources]
