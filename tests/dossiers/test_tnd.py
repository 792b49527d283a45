"""TND: age bands at their boundaries, the booklet's orientation rule and its explanation."""

from datetime import date

import pytest

from trajectoire.dossiers import tnd

ON = date(2026, 6, 15)


@pytest.mark.parametrize(
    ("born", "expected"),
    [
        (date(2026, 6, 15), tnd.PCO_0_6),  # born today
        (date(2019, 6, 16), tnd.PCO_0_6),  # 6 years 364 days
        (date(2019, 6, 15), tnd.PCO_7_12),  # 7 years 0 day
        (date(2013, 6, 16), tnd.PCO_7_12),  # 12 years and 364 days
        (date(2013, 6, 15), None),  # 13 years
    ],
)
def test_age_bands(born, expected):
    assert tnd.tranche(born, ON) == expected


def test_leap_day_birthday():
    assert tnd.tranche(date(2020, 2, 29), date(2027, 2, 28)) == tnd.PCO_0_6
    assert tnd.tranche(date(2020, 2, 29), date(2027, 3, 1)) == tnd.PCO_7_12


def test_grille_follows_the_age_in_months():
    assert tnd.grille_for(date(2025, 12, 16), ON).code == "0_5m"  # 5 months 30 days
    assert tnd.grille_for(date(2025, 12, 15), ON).code == "6_11m"
    assert tnd.grille_for(date(2022, 6, 15), ON).code == "4_4a"
    assert tnd.grille_for(date(2019, 6, 15), ON).code == "7_12a"


FOUR_YEARS = date(2022, 6, 1)


def test_two_signs_in_two_domains_indicate_orientation():
    result = tnd.evaluate(born=FOUR_YEARS, on=ON, signes=["a4_pied", "a4_je"])
    assert result.eligible and result.indiquee
    assert "2 signe(s) d’alerte dans 2 domaine(s)" in result.raisons[0]


def test_signs_in_a_single_domain_are_below_the_threshold():
    result = tnd.evaluate(born=FOUR_YEARS, on=ON, signes=["a4_pied"])
    assert not result.indiquee
    assert "seuil : 2" in result.raisons[0]
    assert "revoir l’enfant" in result.raisons[-1]


def test_a_risk_factor_lowers_the_threshold_to_one_domain():
    result = tnd.evaluate(born=FOUR_YEARS, on=ON, signes=["a4_pied"], facteurs=["prematurite"])
    assert result.indiquee
    assert "prématurité (< 37 SA)" in result.raisons[0]
    assert not tnd.evaluate(born=FOUR_YEARS, on=ON, signes=[], facteurs=["prematurite"]).indiquee


def test_regression_alone_indicates_orientation():
    result = tnd.evaluate(born=FOUR_YEARS, on=ON, signes=[], regression=True)
    assert result.indiquee and "Régression" in result.raisons[0]


def test_mdph_orientation_makes_7_12_ineligible_but_not_0_6():
    nine = date(2017, 1, 1)
    blocked = tnd.evaluate(born=nine, on=ON, signes=["e_oral", "e_maths"], orientation_mdph=True)
    assert not blocked.eligible and not blocked.indiquee
    assert "orientation MDPH" in blocked.raisons[0]
    assert tnd.evaluate(born=FOUR_YEARS, on=ON, signes=["a4_pied", "a4_je"], orientation_mdph=True).indiquee


def test_thirteen_is_out_of_scope():
    result = tnd.evaluate(born=date(2013, 6, 15), on=ON, signes=["e_oral", "e_maths"])
    assert not result.eligible and "hors du champ" in result.raisons[0]


def test_counts_around_the_threshold():
    one, two, three = ["a4_pied"], ["a4_pied", "a4_croix"], ["a4_pied", "a4_croix", "a4_regles"]
    assert [tnd.evaluate(born=FOUR_YEARS, on=ON, signes=s).indiquee for s in (one, two, three)] == [False, True, True]
    assert not tnd.evaluate(born=FOUR_YEARS, on=ON, signes=["a4_pied", "unknown_code"]).indiquee
