"""AGGIR (CASF annexes 2-1 and 2-2): every threshold of every group, sub-variable rules, known profiles."""

import itertools

import pytest

from trajectoire.dossiers import aggir

ALL_A = dict.fromkeys(aggir.VARIABLES, "A")


def profile(**values):
    return {**ALL_A, **values}


def test_autonomous_person_is_gir_6_rank_13():
    assert aggir.evaluate(ALL_A).as_dict() == {"gir": 6, "rang": 13, "groupe": "H"}


def test_fully_dependent_person_is_gir_1():
    result = aggir.evaluate(dict.fromkeys(aggir.VARIABLES, "C"))
    assert (result.gir, result.rang, result.groupe) == (1, 1, "A")


def test_group_h_sum_4000_is_rank_11_gir_4_as_the_spec_says():
    # Toilette B (2000) + habillage B (2000) = 4000 in group H; groups A-G stay under their thresholds.
    result = aggir.evaluate(profile(toilette="B", habillage="B"))
    assert dict(result.sommes)["H"] == 4000
    assert result.as_dict() == {"gir": 4, "rang": 11, "groupe": "H"}


def test_exterior_moves_and_communication_never_change_the_gir():
    for ext, com in itertools.product("ABC", repeat=2):
        assert aggir.evaluate(profile(deplacements_exterieurs=ext, communication=com)).gir == 6


def _reaching(group):
    """(profile, sum in `group`) for every profile of the 8 weighted variables that reaches `group`."""
    weighted = aggir.VARIABLES[:8]
    for values in itertools.product("ABC", repeat=8):
        variables = profile(**dict(zip(weighted, values, strict=True)))
        result = aggir.evaluate(variables)
        if any(g == group for g, _ in result.sommes):
            yield variables, dict(result.sommes)[group], result


BOUNDARIES = [(group, threshold, rank) for group, rules in aggir.THRESHOLDS.items() for threshold, rank in rules]


@pytest.mark.parametrize(("group", "threshold", "rank"), BOUNDARIES)
def test_threshold_minus_one_equal_plus_one(group, threshold, rank):
    """The rule itself, at threshold −1 / = / +1: « supérieure ou égale » is inclusive."""
    assert aggir.rank_in_group(group, threshold) == rank
    assert aggir.rank_in_group(group, threshold + 1) <= rank
    below = aggir.rank_in_group(group, threshold - 1)
    assert below is None or below > rank


@pytest.mark.parametrize(("group", "threshold", "rank"), BOUNDARIES)
def test_real_profiles_closest_to_each_threshold(group, threshold, rank):
    """Among every real profile reaching the group, the closest sums on each side of the threshold."""
    reaching = list(_reaching(group))
    at_or_above = [(total, r) for _, total, r in reaching if total >= threshold]
    below = [(total, r) for _, total, r in reaching if total < threshold]
    lowest_above = min(at_or_above, key=lambda item: item[0])
    assert lowest_above[1].groupe == group and lowest_above[1].rang <= rank
    if lowest_above[0] == threshold:
        assert lowest_above[1].rang == rank  # equality reached by a real profile: inclusive bound
    if below:
        highest_below = max(below, key=lambda item: item[0])
        assert highest_below[1].rang > rank


# Every threshold except A 3390 is the exact sum of some real profile (none sums to 3390 in group A).
EQUALITIES = {
    ("A", 4380),
    ("A", 4140),
    ("B", 2016),
    ("C", 1700),
    ("C", 1432),
    ("D", 2400),
    ("E", 1200),
    ("F", 800),
    ("G", 650),
    ("H", 4000),
    ("H", 2000),
}


@pytest.mark.parametrize(("group", "threshold"), sorted(EQUALITIES))
def test_threshold_equality_reached_by_a_real_profile(group, threshold):
    matches = [(v, r) for v, total, r in _reaching(group) if total == threshold]
    assert matches, f"no profile reaching {group} sums to {threshold}"
    rank = dict(aggir.THRESHOLDS[group])[threshold]
    assert all(r.rang == rank and r.groupe == group for _, r in matches)


def test_group_h_below_2000_is_rank_13_and_between_is_12():
    assert aggir.evaluate(profile(transferts="C")).as_dict() == {"gir": 6, "rang": 13, "groupe": "H"}  # H = 1000
    assert aggir.evaluate(profile(toilette="B")).as_dict() == {"gir": 5, "rang": 12, "groupe": "H"}  # H = 2000


def test_rank_to_gir_table():
    assert [aggir.RANK_TO_GIR[r] for r in range(1, 14)] == [1, 2, 2, 2, 2, 2, 2, 3, 3, 4, 4, 5, 6]


def test_every_profile_gets_a_gir_and_memoisation_is_consistent():
    for values in itertools.product("ABC", repeat=10):
        variables = dict(zip(aggir.VARIABLES, values, strict=True))
        result = aggir.evaluate(variables)
        assert 1 <= result.gir <= 6 and aggir.RANK_TO_GIR[result.rang] == result.gir


@pytest.mark.parametrize(
    ("subs", "expected"),
    [(("A", "A"), "A"), (("C", "C"), "C"), (("A", "C"), "B"), (("C", "A"), "B"), (("B", "B"), "B"), (("A", "B"), "B")],
)
def test_toilette_haut_bas(subs, expected):
    assert aggir.combine("toilette", subs) == expected


@pytest.mark.parametrize(
    ("subs", "expected"),
    [(("A", "A", "A"), "A"), (("C", "C", "C"), "C"), (("C", "C", "A"), "B"), (("A", "B", "A"), "B")],
)
def test_habillage_haut_moyen_bas(subs, expected):
    assert aggir.combine("habillage", subs) == expected


@pytest.mark.parametrize("variable", ["elimination", "coherence", "orientation"])
@pytest.mark.parametrize(
    ("subs", "expected"),
    [(("A", "A"), "A"), (("A", "B"), "B"), (("B", "B"), "B"), (("A", "C"), "C"), (("C", "B"), "C"), (("C", "C"), "C")],
)
def test_any_c_variables(variable, subs, expected):
    assert aggir.combine(variable, subs) == expected


ALIMENTATION_TABLE = {  # guide de remplissage: AA = A, CC = C, BC = C, CB = C, autres = B
    ("A", "A"): "A",
    ("A", "B"): "B",
    ("A", "C"): "B",
    ("B", "A"): "B",
    ("B", "B"): "B",
    ("B", "C"): "C",
    ("C", "A"): "B",
    ("C", "B"): "C",
    ("C", "C"): "C",
}


@pytest.mark.parametrize(("subs", "expected"), ALIMENTATION_TABLE.items())
def test_alimentation_all_nine_pairs(subs, expected):
    assert aggir.combine("alimentation", subs) == expected


def test_alimentation_a_c_changes_the_gir_as_the_issue_says():
    grid = {f"{v}_{s}": "A" for v, subs in aggir.SUB_VARIABLES.items() for s in subs}
    grid.update(transferts="A", deplacements_interieurs="B", deplacements_exterieurs="A", communication="A")
    grid.update(alimentation_se_servir="A", alimentation_manger="C")
    assert aggir.variables_from_grid(grid)["alimentation"] == "B"
    assert aggir.evaluate_grid(grid).gir == 5  # « any C → C » gave GIR 4


def test_coherence_and_orientation_are_marked_unverified():
    assert {"coherence", "orientation"} == aggir.UNVERIFIED_RULES


def test_grid_with_sub_variables():
    grid = {f"{v}_{s}": "A" for v, subs in aggir.SUB_VARIABLES.items() for s in subs}
    grid.update(transferts="A", deplacements_interieurs="A", deplacements_exterieurs="B", communication="A")
    grid.update(toilette_haut="A", toilette_bas="C", habillage_bas="B")
    assert aggir.variables_from_grid(grid)["toilette"] == "B"
    assert aggir.evaluate_grid(grid).as_dict() == {"gir": 4, "rang": 11, "groupe": "H"}
    del grid["transferts"]
    assert aggir.evaluate_grid(grid) is None


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({k: v for k, v in ALL_A.items() if k != "toilette"}, "Variable manquante : « toilette »."),
        ({**ALL_A, "orientation": "D"}, "Valeur invalide pour « orientation »"),
    ],
)
def test_bad_input_is_explained_in_french(variables, message):
    with pytest.raises(aggir.AggirError, match=message):
        aggir.evaluate(variables)
