"""SMR mentions as ANS codes (TRE_R383): matching per modality, and the migration of stored values."""

import importlib

import pytest
from django.apps import apps

from tests.directory.test_search import lyon, smr  # noqa: F401 (fixture and helper)
from tests.factories.dossiers import DossierFactory
from trajectoire.directory.enums import MentionSMR, unit_satisfies_mention
from trajectoire.directory.search import Criteres, search

pytestmark = pytest.mark.django_db

M = MentionSMR


def test_the_enum_stores_the_ans_codes_with_their_labels():
    assert M.ONCOLOGIE_HEMATOLOGIE == "ME056" and M.ONCOLOGIE == "ME062"
    assert M.PEDIATRIE_ENFANTS_ADOLESCENTS == "ME060" and M.PEDIATRIE_JEUNES_ENFANTS == "ME061"
    assert M("ME056").label == "Oncologie et hématologie"
    assert len(M.values) == 13 and all(v.startswith("ME0") for v in M.values)


@pytest.mark.parametrize(
    ("unit", "requested", "ok"),
    [
        ([M.PEDIATRIE_ENFANTS_ADOLESCENTS], M.PEDIATRIE_JEUNES_ENFANTS, False),
        ([M.PEDIATRIE_JEUNES_ENFANTS], M.PEDIATRIE_JEUNES_ENFANTS, True),
        ([M.PEDIATRIE_JEUNES_ENFANTS], M.PEDIATRIE_ENFANTS_ADOLESCENTS, True),
        ([M.PEDIATRIE_ENFANTS_ADOLESCENTS], M.PEDIATRIE_ENFANTS_ADOLESCENTS, True),
        ([M.ONCOLOGIE], M.ONCOLOGIE_HEMATOLOGIE, False),
        ([M.ONCOLOGIE_HEMATOLOGIE], M.ONCOLOGIE, False),
        ([M.ONCOLOGIE, M.LOCOMOTEUR], M.ONCOLOGIE, True),
        ([], M.POLYVALENT, False),
        (None, M.POLYVALENT, False),
    ],
)
def test_unit_satisfies_mention_per_modality(unit, requested, ok):
    assert unit_satisfies_mention(unit, requested) is ok


def test_search_for_young_children_excludes_an_enfants_et_adolescents_unit(lyon):  # noqa: F811
    young = smr("SMR Jeunes enfants", 45.75, 4.85, mentions_smr=["ME061"])
    smr("SMR Enfants", 45.76, 4.84, mentions_smr=["ME060"])
    result = search(Criteres(structure_type="smr", insee="69381", radius_km=50, mention_smr="ME061"))
    assert [r.unite for r in result.resultats] == [young]
    expected = "Pas de mention SMR Pédiatrie : jeunes enfants, enfants et adolescents"
    assert [r.reasons for r in result.exclus] == [[expected]]


def test_an_old_value_is_refused_by_the_search_in_french(lyon):  # noqa: F811
    from trajectoire.directory.search import SearchError

    with pytest.raises(SearchError) as error:
        search(Criteres(structure_type="smr", insee="69381", radius_km=50, mention_smr="pediatrie"))
    assert "Mention SMR inconnue : « pediatrie »" in str(error.value.errors)


def test_migrations_convert_units_and_requests(lyon):  # noqa: F811
    unit = smr("SMR ancien", 45.75, 4.85, mentions_smr=["pediatrie", "oncologie", "locomoteur"])
    dossier = DossierFactory(sanitaire=True, mention_smr="pediatrie")
    importlib.import_module("trajectoire.directory.migrations.0003_i15_mention_smr_codes").forward(apps, None)
    importlib.import_module("trajectoire.dossiers.migrations.0004_i15_mention_smr_codes").forward(apps, None)
    unit.refresh_from_db()
    dossier.refresh_from_db()
    assert unit.mentions_smr == ["ME060", "ME062", "ME051"]
    assert dossier.mention_smr == "ME060"


def test_a_wider_modality_matches_and_says_the_rule_is_unverified(lyon):  # noqa: F811
    wider = smr("SMR Jeunes enfants", 45.75, 4.85, mentions_smr=["ME061"])
    result = search(Criteres(structure_type="smr", insee="69381", radius_km=50, mention_smr="ME060"))
    assert [r.unite for r in result.resultats] == [wider]
    assert any("règle non vérifiée sur le texte officiel" in m for m in result.resultats[0].matched)
