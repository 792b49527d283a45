"""The declared state machine: every allowed transition and a sample of refused ones."""

import pytest

from trajectoire.demandes.enums import FINAL_STATUTS, OPEN_STATUTS, Side, Statut
from trajectoire.demandes.workflow import TRANSITIONS, TransitionError, available, check

S = Statut

ALLOWED = {
    ("lire", Side.STRUCTURE): {S.ENVOYEE, S.COMPLETEE},
    ("demander_complement", Side.STRUCTURE): {S.ENVOYEE, S.LUE, S.COMPLETEE, S.LISTE_ATTENTE},
    ("completer", Side.SENDER): {S.COMPLEMENT_DEMANDE},
    ("accepter", Side.STRUCTURE): {S.ENVOYEE, S.LUE, S.COMPLETEE, S.LISTE_ATTENTE},
    ("mettre_en_attente", Side.STRUCTURE): {S.ENVOYEE, S.LUE, S.COMPLETEE},
    ("refuser", Side.STRUCTURE): {S.ENVOYEE, S.LUE, S.COMPLETEE, S.LISTE_ATTENTE, S.COMPLEMENT_DEMANDE, S.ACCEPTEE},
    ("confirmer_admission", Side.SENDER): {S.ACCEPTEE},
    ("enregistrer_admission", Side.STRUCTURE): {S.ADMISSION_CONFIRMEE},
    ("annuler", Side.SENDER): set(OPEN_STATUTS) | {S.ADMISSION_CONFIRMEE},
    ("decliner", Side.SENDER): {S.ACCEPTEE},
    ("cloturer", Side.SYSTEM): set(OPEN_STATUTS),
}


def test_the_table_is_exactly_the_specified_one():
    assert {(t.name, t.side): set(t.sources) for t in TRANSITIONS.values()} == ALLOWED


@pytest.mark.parametrize(("name", "side"), list(ALLOWED))
@pytest.mark.parametrize("current", list(Statut))
def test_every_pair_of_transition_and_state(name, side, current):
    if current in ALLOWED[(name, side)]:
        assert check(name, current, side).target == TRANSITIONS[name].target
    else:
        with pytest.raises(TransitionError) as excinfo:
            check(name, current, side)
        assert f"« {Statut(current).label} »" in str(excinfo.value)


@pytest.mark.parametrize("name", list(TRANSITIONS))
def test_the_wrong_side_is_refused_whatever_the_state(name):
    transition = TRANSITIONS[name]
    for side in Side:
        if side == transition.side:
            continue
        for current in transition.sources:
            with pytest.raises(TransitionError, match="Vous ne pouvez pas"):
                check(name, current, side)


def test_final_states_allow_no_action():
    for current in FINAL_STATUTS:
        for side in Side:
            assert available(current, side) == []
