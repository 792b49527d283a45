"""Grand Âge after issue 15: Cerfa 14732*03 fields (accueil de nuit, temporary stay, sensory deficiencies, falls,
rééducation, aide au logement), the print/PDF order, the référent taken from the patient record, and the
creation form that no longer marks required fields « optionnel » nor asks the type of stay twice."""

import re

import pytest
from django.urls import reverse

from tests.factories.dossiers import DossierFactory
from trajectoire.dossiers import services
from trajectoire.dossiers.enums import TypeSejour
from trajectoire.dossiers.models import Dossier, Section
from trajectoire.dossiers.section_forms.grand_age import AdministratifGrandAgeForm
from trajectoire.patients.models import Contact

from .helpers import VALID

ADMIN = VALID["grand_age"]["administratif"]
MEDICAL = VALID["grand_age"]["medical"]


def _label_of(page: str, name: str) -> str:
    match = re.search(rf'<label[^>]*for="id_{name}"[^>]*>(.*?)</label>', page, re.S)
    if match is None:  # radio groups are labelled by their legend
        match = re.search(rf'<fieldset[^>]*id="id_{name}[^"]*"[^>]*>.*?<legend[^>]*>(.*?)</legend>', page, re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", match.group(1))).strip()


def test_creation_form_marks_none_of_the_domain_fields_optional(medecin_client, patient):
    page = medecin_client.get(reverse("dossiers:create")).text
    for name in ("prise_en_charge", "type_sejour", "mention_smr"):
        assert "Optionnel" not in _label_of(page, name), name
    assert "Accueil de nuit" in page


@pytest.mark.parametrize(
    ("post", "errors"),
    [
        ({"domain": "grand_age", "prise_en_charge": "ehpad"}, ["Choisissez le type de séjour."]),
        ({"domain": "grand_age", "type_sejour": "permanent"}, ["Choisissez la prise en charge demandée."]),
        ({"domain": "sanitaire", "prise_en_charge": "smr"}, ["Choisissez la mention SMR demandée."]),
    ],
)
def test_creation_form_requires_each_sub_type_for_its_domain(medecin_client, patient, post, errors):
    page = medecin_client.post(reverse("dossiers:create"), {"patient": patient.pk, **post}).text
    assert all(e in page for e in errors) and not Dossier.objects.exists()


def test_accueil_de_nuit_and_tnd_without_sub_type(medecin_client, patient, medecin):
    url = reverse("dossiers:create")
    post = {"patient": patient.pk, "domain": "grand_age", "prise_en_charge": "ehpad", "type_sejour": "accueil_nuit"}
    assert medecin_client.post(url, post).status_code == 302
    dossier = Dossier.objects.get()
    assert dossier.type_sejour == TypeSejour.ACCUEIL_NUIT and "accueil de nuit" in dossier.libelle


def test_type_of_stay_is_no_longer_asked_in_the_administrative_part(medecin_client, patient):
    dossier = DossierFactory(patient=patient, type_sejour=TypeSejour.ACCUEIL_JOUR)
    page = medecin_client.get(reverse("dossiers:section", args=[dossier.pk, "administratif"])).text
    assert 'name="type_sejour"' not in page
    assert "Type de séjour : <strong>Accueil de jour</strong> (choisi à la création du dossier)" in page


@pytest.mark.parametrize(
    ("extra", "error"),
    [
        ({}, "Pour un hébergement temporaire, indiquez ses dates de début et de fin, ou sa durée."),
        ({"temporaire_debut": "2099-02-01"}, "Pour un hébergement temporaire, indiquez ses dates de début et de fin"),
        ({"temporaire_debut": "2099-02-10", "temporaire_fin": "2099-02-01"}, "La date de fin du séjour temporaire"),
        ({"temporaire_duree": "91"}, "La durée doit être comprise entre 1 et 90 jours."),
        ({"temporaire_debut": "2099-02-01", "temporaire_fin": "2099-02-01"}, None),
        ({"temporaire_duree": "1"}, None),
        ({"temporaire_duree": "90"}, None),
    ],
)
def test_temporary_stay_needs_its_dates_or_its_duration(patient, medecin, extra, error):
    dossier = DossierFactory(patient=patient, type_sejour=TypeSejour.TEMPORAIRE)
    section, _ = services.validate_section(dossier, "administratif", {**ADMIN, **extra}, by=medecin)
    messages = " ".join(m for ms in section.errors.values() for m in ms)
    assert (error in messages) if error else section.is_valid


def test_a_permanent_stay_needs_no_dates(patient, medecin):
    section, _ = services.validate_section(DossierFactory(patient=patient), "administratif", ADMIN, by=medecin)
    assert section.is_valid


def test_aide_au_logement_beside_apa_and_aide_sociale(patient, medecin):
    data = {k: v for k, v in ADMIN.items() if k != "aide_logement"}
    section, _ = services.validate_section(DossierFactory(patient=patient), "administratif", data, by=medecin)
    assert section.errors["aide_logement"] == ["Renseignez « Aide au logement (APL ou ALS) »."]
    names = list(AdministratifGrandAgeForm().fields)
    assert names.index("apa") < names.index("aide_sociale") < names.index("aide_logement")


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("deficience_visuelle", "Renseignez « Déficience sensorielle : vue »."),
        ("deficience_auditive", "Renseignez « Déficience sensorielle : audition »."),
        ("risque_chute", "Renseignez « Risque de chute »."),
        ("chutes_6_mois", "Renseignez « Chutes au cours des 6 derniers mois »."),
        ("reeducation_en_cours", "Renseignez « Rééducation en cours (kinésithérapie, orthophonie…) »."),
    ],
)
def test_new_medical_fields_are_required(patient, medecin, field, message):
    data = {k: v for k, v in MEDICAL.items() if k != field}
    section, _ = services.validate_section(DossierFactory(patient=patient), "medical", data, by=medecin)
    assert section.errors[field] == [message]


def test_reeducation_in_progress_must_be_described(patient, medecin):
    data = {**MEDICAL, "reeducation_en_cours": "oui"}
    section, _ = services.validate_section(DossierFactory(patient=patient), "medical", data, by=medecin)
    assert section.errors["reeducation_precisions"] == ["Précisez la rééducation en cours."]


def test_referent_is_prefilled_from_the_patient_record_and_written_back(medecin_client, patient, medecin):
    Contact.objects.create(
        patient=patient, nom="Dupont", prenom="Luc", lien="enfant", telephone="0611", est_referent=True
    )
    dossier = DossierFactory(patient=patient)
    page = medecin_client.get(reverse("dossiers:section", args=[dossier.pk, "administratif"])).text
    assert 'value="Dupont"' in page and 'value="Luc"' in page and 'value="0611"' in page
    assert re.search(r'<option value="enfant"[^>]*selected', page)
    services.validate_section(dossier, "administratif", {**ADMIN, "referent_telephone": "0622"}, by=medecin)
    contact = patient.contacts.get(est_referent=True)
    assert (contact.nom, contact.prenom, contact.telephone) == ("Dupont", "Paul", "0622")
    assert patient.contacts.count() == 1


def test_a_referent_typed_in_the_dossier_becomes_the_patient_record_referent(patient, medecin):
    services.validate_section(DossierFactory(patient=patient), "administratif", ADMIN, by=medecin)
    contact = Contact.objects.get(patient=patient)
    assert contact.est_referent and contact.lien == "enfant" and str(contact) == "Paul Dupont"
    # An invalid section writes nothing back.
    services.validate_section(DossierFactory(patient=patient), "administratif", {"referent_nom": "X"}, by=medecin)
    assert Contact.objects.get(patient=patient).nom == "Dupont"


def _complete(client, dossier):
    for key, data in VALID["grand_age"].items():
        client.post(reverse("dossiers:section", args=[dossier.pk, key]), data)
    assert Section.objects.filter(dossier=dossier, is_valid=True).count() == 3


CERFA_ORDER = [
    "type d’accueil",
    "Date d’entrée souhaitée",
    "Personne référente : nom",
    "Allocation personnalisée d’autonomie (APA)",
    "Aide sociale à l’hébergement",
    "Aide au logement (APL ou ALS)",
    "Partie médicale — à remplir par le médecin",
    "Pathologies actuelles",
    "Déficience sensorielle : vue",
    "Déficience sensorielle : audition",
    "Risque de chute",
    "Chutes au cours des 6 derniers mois",
    "Traitements en cours",
    "Rééducation en cours",
]


def _in_order(text: str, labels: list[str]) -> list[int]:
    positions = [text.find(label) for label in labels]
    assert -1 not in positions, [lbl for lbl, pos in zip(labels, positions, strict=True) if pos == -1]
    return positions


def test_print_follows_the_national_form_order(medecin_client, patient):
    dossier = DossierFactory(patient=patient, type_sejour=TypeSejour.ACCUEIL_NUIT)
    _complete(medecin_client, dossier)
    text = medecin_client.get(reverse("dossiers:print", args=[dossier.pk])).text
    assert "type d’accueil : <strong>Accueil de nuit</strong>" in text
    positions = _in_order(text, CERFA_ORDER)
    assert positions == sorted(positions)


def test_pdf_lays_out_the_new_fields_in_the_national_order(medecin_client, patient):
    from trajectoire.dossiers import pdf

    if not pdf.available():
        pytest.skip("WeasyPrint needs the system Pango library")
    from weasyprint import HTML

    dossier = DossierFactory(patient=patient, type_sejour=TypeSejour.ACCUEIL_NUIT)
    _complete(medecin_client, dossier)
    response = medecin_client.get(reverse("dossiers:pdf", args=[dossier.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    # The text the PDF engine lays out, page after page, from the same print layout.
    html = medecin_client.get(reverse("dossiers:print", args=[dossier.pk])).text
    document = HTML(string=html).render()
    text = " ".join(box.text for page in document.pages for box in page._page_box.descendants() if hasattr(box, "text"))
    text = re.sub(r"\s+", " ", text)
    assert "Accueil de nuit" in text and "Aide au logement (APL ou ALS)" in text
    positions = _in_order(text, CERFA_ORDER)
    assert positions == sorted(positions)
