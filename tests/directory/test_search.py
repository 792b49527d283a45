from decimal import Decimal

import pytest

from tests.factories.directory import CommuneFactory, PrixEhpadFactory, StructureFactory, UniteFactory
from trajectoire.directory.enums import Domain, StructureType
from trajectoire.directory.search import Criteres, SearchError, search
from trajectoire.directory.services import find_communes

pytestmark = pytest.mark.django_db


@pytest.fixture
def lyon():
    return CommuneFactory(insee="69381", name="Lyon 01", postal_codes="69001", departement="69",
                          latitude=45.7699, longitude=4.8292)  # fmt: skip


def smr(name, lat, lon, dep="69", **unit):
    structure = StructureFactory(name=name, structure_type=StructureType.SMR, domain=Domain.SANITAIRE,
                                 category_code="109", departement=dep, latitude=lat, longitude=lon)  # fmt: skip
    return UniteFactory(structure=structure, name="SMR locomoteur", **unit)


def ehpad(name, lat, lon, dep="01", prix=None, **unit):
    structure = StructureFactory(name=name, departement=dep, latitude=lat, longitude=lon)
    if prix is not None:
        PrixEhpadFactory(finess=structure.finess, heb_perm_seule=Decimal(prix))
    return UniteFactory(structure=structure, **unit)


def test_capable_adapted_and_excluded_with_reasons(lyon):
    good = smr("SMR Capable", 45.75, 4.85, mentions_smr=["ME051"], capabilities=["oxygenotherapie"])
    smr("SMR Sans Mention", 45.78, 4.80, mentions_smr=["ME059"], capabilities=["oxygenotherapie"])
    smr("SMR Sans Oxygène", 45.74, 4.86, mentions_smr=["ME051"], capabilities=[])
    smr("SMR Loin", 47.0, 4.8, mentions_smr=["ME051"], capabilities=["oxygenotherapie"])  # ~137 km
    result = search(Criteres(structure_type="smr", insee="69381", radius_km=100, mention_smr="ME051",
                             capabilities=["oxygenotherapie"]))  # fmt: skip
    assert [r.unite for r in result.resultats] == [good]
    assert "Mention SMR Locomoteur" in result.resultats[0].matched
    assert "Prend en charge : Oxygénothérapie" in result.resultats[0].matched
    reasons = {r.structure.name: r.reasons for r in result.exclus}
    assert reasons == {
        "SMR Sans Mention": ["Pas de mention SMR Locomoteur"],
        "SMR Sans Oxygène": ["Ne déclare pas : Oxygénothérapie"],
    }
    assert search(Criteres(structure_type="smr", insee="69381", radius_km=100), with_excluded=False).exclus == []


def test_distance_is_great_circle_across_departement_border(lyon):
    miribel = ehpad("EHPAD de Miribel (Ain)", 45.8253, 4.9536, dep="01")  # ~11 km from Lyon 1er
    ehpad("EHPAD de Saint-Étienne (Loire)", 45.4397, 4.3872, dep="42")  # ~50 km
    result = search(Criteres(structure_type="ehpad", insee="69381", radius_km=30))
    assert [r.unite for r in result.resultats] == [miribel]
    assert 10 < result.resultats[0].distance_km < 12


def test_ranking_free_places_and_budget(lyon):
    near_full = ehpad("Proche, complet", 45.77, 4.83, prix="70", free_places=0)
    far_free = ehpad("Plus loin, places libres", 45.85, 4.83, prix="60", free_places=3)
    too_dear = ehpad("Trop cher", 45.77, 4.84, prix="120", free_places=5)
    result = search(Criteres(structure_type="ehpad", insee="69381", radius_km=30, max_budget=Decimal(2500), gir=2))
    assert [r.unite for r in result.resultats] == [far_free, near_full]
    assert result.resultats[0].cout.total == 1992  # (60 + 5.50) × 30.42, the same for every GIR
    assert "Prix 1\u202f992 €/mois avant aides, dans le budget" in result.resultats[0].matched
    assert [r.unite for r in result.exclus] == [too_dear]
    assert result.exclus[0].reasons == ["Prix 3\u202f817 €/mois avant aides, au-delà du budget (2\u202f500 €)"]
    only_free = search(Criteres(structure_type="ehpad", insee="69381", radius_km=30, free_places_only=True))
    assert {r.unite for r in only_free.resultats} == {far_free, too_dear}
    assert "Aucune place disponible déclarée" in only_free.exclus[0].reasons


def test_age_and_aide_sociale(lyon):
    pco = StructureFactory(name="CAMSP Lyon", structure_type=StructureType.CAMSP, domain=Domain.TND,
                           latitude=45.76, longitude=4.84, habilitation_aide_sociale=False)  # fmt: skip
    UniteFactory(structure=pco, structure_type=StructureType.PCO, domain=Domain.TND, age_min=0, age_max=12)
    assert search(Criteres(structure_type="pco", insee="69381", age=8)).total == 1
    excluded = search(Criteres(structure_type="pco", insee="69381", age=14, aide_sociale=True)).exclus[0]
    assert excluded.reasons == ["Âge maximal 12 ans", "Non habilitée à l’aide sociale"]


@pytest.mark.parametrize(
    ("criteres", "field", "message"),
    [
        (Criteres(commune="Nulle-Part-sur-Mer"), "commune", "Commune inconnue : « Nulle-Part-sur-Mer »"),
        (Criteres(insee="69381", radius_km=0), "radius_km", "Le rayon doit être supérieur à 0"),
        (Criteres(insee="69381", radius_km=10_000), "radius_km", "au plus de 1000 km"),
        (Criteres(insee="69381", capabilities=["teleportation"]), "capabilities", "thésaurus : teleportation"),
        (Criteres(), "commune", "Indiquez une commune"),
        (Criteres(insee="69381", gir=9), "gir", "Le GIR doit être compris entre 1 et 6"),
    ],
)  # fmt: skip
def test_bad_input_gives_french_messages(lyon, criteres, field, message):
    with pytest.raises(SearchError) as error:
        search(criteres)
    assert message in error.value.errors[field]


def test_query_count_is_constant(lyon, django_assert_max_num_queries):
    for i in range(3):
        ehpad(f"EHPAD {i}", 45.77 + i / 100, 4.83, prix="70", free_places=i)
    with django_assert_max_num_queries(3):
        search(Criteres(structure_type="ehpad", insee="69381", max_budget=Decimal(3000)))
    for i in range(20):
        ehpad(f"EHPAD bis {i}", 45.77 + i / 100, 4.84, prix="80")
    with django_assert_max_num_queries(3):
        assert search(Criteres(structure_type="ehpad", insee="69381", max_budget=Decimal(3000))).total == 23


def test_without_budget_costs_are_estimated_for_the_units_shown(lyon, django_assert_max_num_queries):
    for i in range(12):
        ehpad(f"EHPAD {i:02d}", 45.77 + i / 100, 4.83, prix=str(60 + i), free_places=1)
    ehpad("EHPAD sans prix publiés", 45.771, 4.83, free_places=1)
    with django_assert_max_num_queries(3):  # commune, units with structures, prices of the shown units
        result = search(Criteres(structure_type="ehpad", insee="69381", radius_km=30, gir=2), limit=5)
        rows = [r.to_dict() for r in result.resultats]  # what the pages and the JSON read: no deferred field
    assert result.total == 13 and len(rows) == 5
    shown = {r["structure"]: r["prix_mensuel_avant_aides"] for r in rows}
    assert shown["EHPAD 00"] == 1992  # (60 + 5.50) × 30.42, as with a budget
    assert shown["EHPAD sans prix publiés"] is None
    assert all(cost for name, cost in shown.items() if name != "EHPAD sans prix publiés")


def test_commune_autocomplete_tolerates_accents_hyphens_and_abbreviations(communes):
    assert str(find_communes("st etienne")[0]) == "Saint Etienne (42000)"
    assert str(find_communes("Saint-Étienne")[0]) == "Saint Etienne (42000)"
    assert str(find_communes("bourg-en-bresse")[0]) == "Bourg en Bresse (01000)"
    assert [c.insee for c in find_communes("42100")] == ["42218"]
    assert find_communes("x") == []
    assert search(Criteres(structure_type="ehpad", commune="st etienne")).origine.label == "Saint Etienne (42000)"


def test_candidates_are_the_instances_the_orm_would_load(lyon, django_assert_num_queries):
    """_candidates builds the units and their structures from value rows: same values, same deferred fields
    (read on access), the structure without a query, equal to and pickled like the ORM's instances."""
    import pickle

    from trajectoire.directory import search as module
    from trajectoire.directory.models import Unite

    first = smr("SMR A", 45.75, 4.85, mentions_smr=["ME051"], capabilities=["oxygenotherapie"], capacity=12,
                zone_intervention=["D:69"], free_places=2)  # fmt: skip
    UniteFactory(structure=first.structure, name="SMR B", capacity=30)
    smr("SMR C", 45.78, 4.80, age_min=18)
    criteres = Criteres(structure_type="smr", insee="69381", radius_km=30)
    origine = module.validate(criteres)
    with django_assert_num_queries(1):
        built = sorted(module._candidates(criteres, origine), key=lambda u: u.pk)
        structures = [u.structure for u in built]
    orm = list(
        Unite.objects.filter(pk__in=[u.pk for u in built])
        .select_related("structure")
        .only(*module.UNIT_FIELDS, *(f"structure__{name}" for name in module.STRUCTURE_FIELDS))
        .order_by("pk")
    )
    assert built == orm and structures == [u.structure for u in orm] and len(built) == 3
    for mine, theirs in zip(built, orm, strict=True):
        assert mine.get_deferred_fields() == theirs.get_deferred_fields()
        assert mine.structure.get_deferred_fields() == theirs.structure.get_deferred_fields()
        assert {f: getattr(mine, f) for f in module.UNIT_COLUMNS} == {
            f: getattr(theirs, f) for f in module.UNIT_COLUMNS
        }
        assert {f: getattr(mine.structure, f) for f in module.STRUCTURE_COLUMNS} == {
            f: getattr(theirs.structure, f) for f in module.STRUCTURE_COLUMNS
        }
        assert not mine._state.adding and mine._state.db == theirs._state.db
    assert [u.capacity for u in built] == [u.capacity for u in orm]  # deferred: read on access, as the ORM's
    copy = pickle.loads(pickle.dumps(built[0]))  # noqa: S301 (our own bytes: the annuaire cache pickles results)
    assert copy == built[0] and copy.structure.name == "SMR A" and copy.zone_intervention == ["D:69"]
