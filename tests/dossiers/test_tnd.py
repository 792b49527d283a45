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


def test_a_high_risk_factor_lowers_the_threshold_to_one_domain():
    result = tnd.evaluate(born=FOUR_YEARS, on=ON, signes=["a4_pied"], facteurs=["grande_prematurite"])
    assert result.indiquee
    assert "Facteur(s) de haut risque (grande prématurité (< 32 SA))" in result.raisons[0]
    assert not tnd.evaluate(born=FOUR_YEARS, on=ON, signes=[], facteurs=["grande_prematurite"]).indiquee


def test_a_moderate_risk_factor_is_shown_but_keeps_the_threshold():
    result = tnd.evaluate(born=FOUR_YEARS, on=ON, signes=["a4_pied"], facteurs=["prematurite"])
    assert not result.indiquee
    assert "Facteur(s) de risque modéré (prématurité modérée ou tardive" in result.raisons[0]
    assert "seuil : 2" in result.raisons[1]


def test_levels_follow_the_has_wording():
    assert tnd.niveau("grande_prematurite") == tnd.niveau("antecedent_familial") == tnd.HAUT_RISQUE
    assert "sévère" in tnd.FACTEURS_DE_RISQUE["antecedent_familial"]
    assert tnd.niveau("prematurite") == tnd.RISQUE_MODERE
    assert tnd.niveau("inconnu") is None


def _born_aged(months: int) -> date:
    """A birth date so that the child is exactly `months` months old on ON (15 June 2026)."""
    total = ON.year * 12 + ON.month - 1 - months
    return date(total // 12, total % 12 + 1, ON.day)


def _two_domains(grille):
    first = grille.signes[0]
    second = next(s for s in grille.signes if s.domaine != first.domaine)
    return first.code, second.code


BOUNDARIES = [(g, m) for g in tnd.GRILLES for m in (g.min_months, g.max_months - 1)]


@pytest.mark.parametrize(("grille", "months"), BOUNDARIES, ids=[f"{g.code}-{m}m" for g, m in BOUNDARIES])
@pytest.mark.parametrize(
    ("facteurs", "one_domain", "two_domains"),
    [
        ([], False, True),
        (["prematurite"], False, True),  # risque modéré: threshold unchanged
        (["grande_prematurite"], True, True),  # haut risque: one domain is enough
        (["antecedent_familial", "prematurite"], True, True),  # the highest level wins
    ],
    ids=["sans", "modere", "haut", "haut-et-modere"],
)
def test_threshold_per_risk_level_at_each_band_boundary(grille, months, facteurs, one_domain, two_domains):
    born = _born_aged(months)
    assert tnd.age_in_months(born, ON) == months
    assert tnd.grille_for(born, ON) == grille
    first, second = _two_domains(grille)
    assert tnd.evaluate(born=born, on=ON, signes=[first], facteurs=facteurs).indiquee is one_domain
    assert tnd.evaluate(born=born, on=ON, signes=[first, second], facteurs=facteurs).indiquee is two_domains


def test_a_pending_mdph_request_keeps_a_7_12_child_eligible():
    nine = date(2017, 1, 1)
    pending = tnd.evaluate(born=nine, on=ON, signes=["e_oral", "e_maths"], orientation_mdph=False)
    assert pending.eligible and pending.indiquee


def test_the_booklet_is_named_with_its_version():
    assert "version 2024" in tnd.livret_for(tnd.PCO_0_6)
    assert "7 à 12 ans" in tnd.livret_for(tnd.PCO_7_12)


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
