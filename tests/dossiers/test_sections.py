"""Sections: drafts kept even when invalid, French messages per field, ready-to-send only when all valid."""

import datetime

import pytest
import time_machine
from django.http import QueryDict

from tests.factories.dossiers import DossierFactory
from tests.factories.patients import PatientFactory
from trajectoire.directory.enums import Domain
from trajectoire.dossiers import services
from trajectoire.dossiers.models import Section

from .helpers import VALID


def post(data):
    q = QueryDict(mutable=True)
    for key, value in data.items():
        q.setlist(key, value if isinstance(value, list) else [value])
    return q


@pytest.fixture
def dossier(patient):
    return DossierFactory(patient=patient)


def test_create_dossier_numbers_it_by_domain_and_year(patient, medecin):
    with time_machine.travel(datetime.datetime(2026, 3, 1, 10, tzinfo=datetime.UTC)):
        dossier = services.create_dossier(
            patient=patient, domain=Domain.GRAND_AGE, by=medecin, prise_en_charge="ehpad", type_sejour="permanent"
        )
    assert dossier.numero == f"GA-2026-{dossier.pk:06d}"
    assert dossier.medecin == medecin and dossier.statut == "brouillon"


def test_tnd_dossier_takes_the_band_from_the_age(medecin):
    child = PatientFactory(created_by=medecin, date_naissance=datetime.date(2019, 6, 16))
    with time_machine.travel(datetime.datetime(2026, 6, 15, 10, tzinfo=datetime.UTC)):
        dossier = services.create_dossier(patient=child, domain=Domain.TND, by=medecin)
    assert dossier.tranche_tnd == "pco_0_6" and dossier.prise_en_charge == "pco"
    teen = PatientFactory(created_by=medecin, date_naissance=datetime.date(2010, 1, 1))
    with pytest.raises(services.DossierError, match="0 à 12 ans"):
        services.create_dossier(patient=teen, domain=Domain.TND, by=medecin)


def test_smr_needs_a_mention(patient, medecin):
    with pytest.raises(services.DossierError, match="mention SMR"):
        services.create_dossier(patient=patient, domain=Domain.SANITAIRE, by=medecin, prise_en_charge="smr")


def test_draft_keeps_invalid_input_with_french_messages(dossier, medecin):
    section, _ = services.save_draft(dossier, "administratif", post({"referent_nom": "Paul"}), by=medecin)
    section.refresh_from_db()
    assert section.data["referent_nom"] == "Paul"
    assert not section.is_valid
    assert section.errors["date_entree_souhaitee"] == ["Indiquez la date d’entrée souhaitée (jj/mm/aaaa)."]
    assert section.errors["referent_telephone"] == ["Renseignez « Personne référente : téléphone »."]


def test_validate_marks_valid_only_when_complete(dossier, medecin):
    section, form = services.validate_section(dossier, "medical", post({"antecedents": "HTA"}), by=medecin)
    assert not section.is_valid
    assert form.errors["traitements"] == ["Listez les traitements en cours (ou « aucun »)."]
    section, _ = services.validate_section(dossier, "medical", post(VALID["grand_age"]["medical"]), by=medecin)
    assert section.is_valid and section.is_medical


def test_cross_field_messages(dossier, medecin):
    data = {**VALID["grand_age"]["medical"], "comportement": ["fugue"]}
    section, _ = services.validate_section(dossier, "medical", post(data), by=medecin)
    assert section.errors == {"comportement_precisions": ["Précisez les troubles du comportement cochés."]}


def test_ready_to_send_only_when_every_required_section_is_valid(dossier, medecin):
    assert not dossier.is_ready_to_send()
    for key, data in VALID["grand_age"].items():
        services.validate_section(dossier, key, post(data), by=medecin)
    assert dossier.is_ready_to_send()
    assert [s.label for s in dossier.sections_status()] == ["Validée"] * 3
    # Typing again in a validated section makes it a draft: it must be validated again.
    services.save_draft(dossier, "medical", post({**VALID["grand_age"]["medical"], "antecedents": ""}), by=medecin)
    assert not dossier.is_ready_to_send()
    assert dossier.sections_status()[1].label == "Brouillon"


def test_aggir_section_gives_the_gir(dossier, medecin):
    section, form = services.validate_section(dossier, "aggir", post(VALID["grand_age"]["aggir"]), by=medecin)
    assert section.is_valid
    assert form.extra_context()["aggir"].as_dict() == {"gir": 4, "rang": 11, "groupe": "H"}


def test_sanitaire_sections_and_messages(medecin, patient):
    dossier = DossierFactory(patient=patient, sanitaire=True)
    for key, data in VALID["sanitaire"].items():
        section, form = services.validate_section(dossier, key, post(data), by=medecin)
        assert section.is_valid, (key, form.errors)
    assert dossier.is_ready_to_send()
    bad = {**VALID["sanitaire"]["medical"], "poids": "900", "isolement": "bmr_bhre"}
    section, _ = services.validate_section(dossier, "medical", post(bad), by=medecin)
    assert section.errors["poids"] == ["Le poids doit être compris entre 1 et 400 kg."]
    assert section.errors["infection_precisions"] == ["Précisez le germe ou le motif de l’isolement."]
    section, _ = services.validate_section(dossier, "besoins_soins", post({}), by=medecin)
    assert section.errors["besoins"] == ["Cochez au moins un besoin, ou « Aucun besoin particulier »."]


def test_tnd_mdph_blocks_7_12_with_the_reason(medecin):
    child = PatientFactory(created_by=medecin, date_naissance=datetime.date(2017, 1, 1))
    dossier = DossierFactory(patient=child, tnd=True, tranche_tnd="pco_7_12")
    with time_machine.travel(datetime.datetime(2026, 6, 15, 10, tzinfo=datetime.UTC)):
        section, _ = services.validate_section(dossier, "mdph", post({"orientation_mdph": "oui"}), by=medecin)
    assert section.errors["orientation_mdph"] == [
        "L’enfant a déjà une orientation MDPH : il n’est pas éligible à la PCO 7-12 ans."
    ]


def test_tnd_livret_shows_why(medecin):
    child = PatientFactory(created_by=medecin, date_naissance=datetime.date(2022, 6, 1))
    dossier = DossierFactory(patient=child, tnd=True)
    with time_machine.travel(datetime.datetime(2026, 6, 15, 10, tzinfo=datetime.UTC)):
        services.validate_section(
            dossier, "facteurs_risque", post({"facteurs": ["grande_prematurite"], "terme_sa": "30"}), by=medecin
        )
        _, form = services.validate_section(dossier, "livret", post({"signes": ["a4_pied"]}), by=medecin)
        extra = form.extra_context()
    assert extra["orientation"].indiquee
    assert any("un signe d’alerte dans un seul domaine suffit" in r for r in extra["orientation"].raisons)
    assert "version 2024" in extra["livret"] and extra["rule_verified"] is False


@pytest.mark.parametrize(
    ("terme", "facteurs", "errors"),
    [
        ("31", [], {"facteurs": ["Un terme inférieur à 32 SA est une grande prématurité (haut risque) : cochez-la."]}),
        ("31", ["grande_prematurite"], {}),
        (
            "31",
            ["grande_prematurite", "prematurite"],
            {"terme_sa": ["La prématurité modérée ou tardive concerne un terme de 32 à 36 SA."]},
        ),
        ("32", [], {"facteurs": ["Un terme de 32 à 36 SA est une prématurité modérée ou tardive : cochez-la."]}),
        ("32", ["prematurite"], {}),
        (
            "32",
            ["grande_prematurite", "prematurite"],
            {"terme_sa": ["La grande prématurité concerne un terme inférieur à 32 SA."]},
        ),
        ("36", ["rciu_pag"], {}),
        ("36", ["prematurite"], {}),
        ("37", ["prematurite"], {"terme_sa": ["La prématurité modérée ou tardive concerne un terme de 32 à 36 SA."]}),
        ("37", [], {}),
    ],
)
def test_term_and_prematurity_level_agree_at_the_boundaries(medecin, terme, facteurs, errors):
    dossier = DossierFactory(tnd=True)
    data = {"facteurs": facteurs, "terme_sa": terme} if facteurs else {"aucun_facteur": "on", "terme_sa": terme}
    section, _ = services.validate_section(dossier, "facteurs_risque", post(data), by=medecin)
    assert section.errors == errors


def test_mdph_has_a_pending_answer_that_keeps_the_child_eligible(medecin):
    child = PatientFactory(created_by=medecin, date_naissance=datetime.date(2017, 1, 1))
    dossier = DossierFactory(patient=child, tnd=True, tranche_tnd="pco_7_12")
    with time_machine.travel(datetime.datetime(2026, 6, 15, 10, tzinfo=datetime.UTC)):
        section, _ = services.validate_section(dossier, "mdph", post({"orientation_mdph": "en_cours"}), by=medecin)
        assert section.is_valid
        _, form = services.validate_section(dossier, "livret", post({"signes": ["e_oral", "e_maths"]}), by=medecin)
        assert form.extra_context()["orientation"].eligible


def test_access_code_is_hashed(dossier):
    code = services.issue_access_code(dossier)
    dossier.refresh_from_db()
    assert code not in dossier.access_code_hash
    assert services.check_access_code(dossier, code.lower())
    assert not services.check_access_code(dossier, "AAAA-AAAA")
    assert Section.objects.count() == 0


def test_an_unchanged_autosave_keeps_a_validated_section_validated(db):
    from django.http import QueryDict

    from tests.factories.dossiers import DossierFactory
    from trajectoire.dossiers import services

    dossier = DossierFactory(tnd=True)
    post = QueryDict("orientation_mdph=non")
    section, _ = services.validate_section(dossier, "mdph", post, by=dossier.created_by)
    assert section.is_valid
    section, _ = services.save_draft(dossier, "mdph", post, by=dossier.created_by)
    section.refresh_from_db()
    assert section.is_valid
    section, _ = services.save_draft(dossier, "mdph", QueryDict("orientation_mdph=oui"), by=dossier.created_by)
    assert not section.is_valid  # a real change goes back to draft until validated again


def test_the_live_booklet_result_reflects_the_input_being_typed(db):
    from tests.factories.dossiers import DossierFactory
    from trajectoire.dossiers.section_forms.tnd import orientation_for

    dossier = DossierFactory(tnd=True)
    list(dossier.sections.all())  # a caller holding the (empty) sections prefetched
    before = orientation_for(dossier)
    after = orientation_for(dossier, current={"livret": {"regression": "on"}})
    assert not before.indiquee and after.indiquee
