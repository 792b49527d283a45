"""Doctor pages: access through visible_to (404 for others), the medical door (403), audit of every read."""

import pytest
from django.urls import reverse

from tests.factories.accounts import MembershipFactory, UserFactory
from tests.factories.dossiers import DossierFactory
from tests.factories.patients import PatientFactory
from trajectoire.accounts.enums import Profession
from trajectoire.audit.models import AuditEvent
from trajectoire.dossiers import access
from trajectoire.dossiers.models import Dossier, Section

from .helpers import VALID


@pytest.fixture
def dossier(patient):
    return DossierFactory(patient=patient)


def _events(dossier, action):
    return AuditEvent.objects.filter(object_type="dossiers.dossier", object_id=str(dossier.pk), action=action)


def test_author_sees_the_dossier_and_the_read_is_audited(medecin_client, dossier, medecin):
    response = medecin_client.get(reverse("dossiers:detail", args=[dossier.pk]))
    assert response.status_code == 200
    assert dossier.numero in response.text
    assert "Le dossier ne peut pas être envoyé tant que toutes les sections ne sont pas validées." in response.text
    assert _events(dossier, "view_medical").filter(actor=medecin).count() == 1


@pytest.mark.parametrize("name", ["dossiers:detail", "dossiers:print"])
def test_another_doctor_gets_404(client, dossier, autre_medecin, name):
    client.force_login(autre_medecin)
    assert client.get(reverse(name, args=[dossier.pk])).status_code == 404
    url = reverse("dossiers:section", args=[dossier.pk, "medical"])
    assert client.get(url).status_code == 404
    assert (
        client.post(reverse("dossiers:autosave", args=[dossier.pk, "medical"]), {"antecedents": "x"}).status_code == 404
    )
    assert not Section.objects.exists()


def test_named_medecin_sees_it_too(client, dossier, autre_medecin):
    Dossier.objects.filter(pk=dossier.pk).update(medecin=autre_medecin)
    client.force_login(autre_medecin)
    assert client.get(reverse("dossiers:detail", args=[dossier.pk])).status_code == 200


@pytest.fixture
def receiving_admissions(dossier):
    """A non-medical admissions officer of a structure that received the dossier (hook as demandes does)."""
    member = MembershipFactory(user__profession=Profession.SECRETAIRE, admissions=True)
    allowed = {member.user_id}

    def hook(user):
        from django.db.models import Q

        return Q(pk=dossier.pk) if user.pk in allowed else None

    access.register_visibility(hook)
    yield member.user
    access._visibility_hooks.remove(hook)


def test_non_medical_user_cannot_see_the_medical_part(client, dossier, medecin, receiving_admissions):
    Section.objects.create(dossier=dossier, key="medical", data={"antecedents": "Secret médical"}, is_medical=True)
    client.force_login(receiving_admissions)
    page = client.get(reverse("dossiers:detail", args=[dossier.pk]))
    assert page.status_code == 200
    assert "Secret médical" not in page.text
    assert "réservée aux professionnels ayant une habilitation médicale" in page.text
    assert client.get(reverse("dossiers:section", args=[dossier.pk, "medical"])).status_code == 403
    printed = client.get(reverse("dossiers:print", args=[dossier.pk]))
    assert "Secret médical" not in printed.text
    assert _events(dossier, "view").filter(actor=receiving_admissions).count() == 1
    assert _events(dossier, "export").filter(actor=receiving_admissions, details__medical=False).count() == 1


def test_a_family_never_gets_the_medical_door(dossier):
    usager = UserFactory(usager=True)
    access.register_medical_access(grant_all := (lambda user, d: True))
    try:
        assert not access.can_view_medical(usager, dossier)
    finally:
        access._medical_hooks.remove(grant_all)


def test_autosave_keeps_invalid_draft_and_answers_with_aria_live_state(medecin_client, dossier):
    url = reverse("dossiers:autosave", args=[dossier.pk, "administratif"])
    response = medecin_client.post(url, {"referent_nom": "Paul Dupont"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Brouillon enregistré" in response.text and "champ(s) encore à compléter" in response.text
    section = Section.objects.get(dossier=dossier, key="administratif")
    assert section.data["referent_nom"] == "Paul Dupont" and not section.is_valid
    form_page = medecin_client.get(reverse("dossiers:section", args=[dossier.pk, "administratif"]))
    assert 'value="Paul Dupont"' in form_page.text
    assert 'aria-live="polite"' in form_page.text and "hx-post" in form_page.text


def test_validate_section_redirects_or_shows_field_errors(medecin_client, dossier):
    url = reverse("dossiers:section", args=[dossier.pk, "medical"])
    response = medecin_client.post(url, {"antecedents": "HTA"})
    assert response.status_code == 200
    assert "Décrivez les pathologies actuelles." in response.text
    response = medecin_client.post(url, VALID["grand_age"]["medical"])
    assert response.status_code == 302
    assert Section.objects.get(dossier=dossier, key="medical").is_valid


def test_aggir_live_result_on_autosave(medecin_client, dossier):
    url = reverse("dossiers:autosave", args=[dossier.pk, "aggir"])
    response = medecin_client.post(url, VALID["grand_age"]["aggir"])
    assert "GIR 4" in response.text and "Rang 11 (groupe H)" in response.text


def test_print_renders_the_national_form_layout(medecin_client, dossier, medecin):
    for key, data in VALID["grand_age"].items():
        medecin_client.post(reverse("dossiers:section", args=[dossier.pk, key]), data)
    response = medecin_client.get(reverse("dossiers:print", args=[dossier.pk]))
    assert response.status_code == 200
    text = response.text
    assert "Cerfa n° 14732*03" in text and "Partie médicale — à remplir par le médecin" in text
    assert "GIR 4 (rang 11, groupe H)" in text
    assert "dossiers/print.css" in text
    assert _events(dossier, "export").filter(actor=medecin).count() == 1


def test_lists_do_not_grow_queries_with_rows(medecin_client, medecin, django_assert_max_num_queries):
    for _ in range(8):
        d = DossierFactory(patient=PatientFactory(created_by=medecin))
        Section.objects.create(dossier=d, key="medical", data={"antecedents": "x"})
    DossierFactory()  # someone else's
    with django_assert_max_num_queries(12):
        response = medecin_client.get(reverse("dossiers:list"))
    assert response.text.count("GA-2026-") == 8
    with django_assert_max_num_queries(12):
        response = medecin_client.get(reverse("patients:list"))
    assert response.text.count("Voir les dossiers") == 8


def test_create_dossier_page(medecin_client, patient):
    response = medecin_client.post(
        reverse("dossiers:create"),
        {"patient": patient.pk, "domain": "sanitaire", "prise_en_charge": "smr", "mention_smr": "ME051"},
    )
    dossier = Dossier.objects.get()
    assert response.status_code == 302 and response.url == reverse("dossiers:detail", args=[dossier.pk])
    assert dossier.numero.startswith("SAN-") and dossier.mention_smr == "ME051"
    response = medecin_client.post(
        reverse("dossiers:create"), {"patient": patient.pk, "domain": "sanitaire", "prise_en_charge": "smr"}
    )
    assert "Choisissez la mention SMR demandée." in response.text


def test_dashboard_panel_lists_recent_dossiers(medecin_client, dossier):
    response = medecin_client.get(reverse("core:dashboard"))
    assert "Mes dossiers récents" in response.text and dossier.numero in response.text
    assert reverse("dossiers:create") in response.text


def test_non_medical_professional_cannot_create(client, patient):
    client.force_login(UserFactory(profession=Profession.SECRETAIRE))
    assert client.get(reverse("dossiers:create")).status_code == 403


def test_server_side_pdf(medecin_client, dossier, medecin):
    from trajectoire.dossiers import pdf

    if not pdf.available():
        pytest.skip("WeasyPrint needs the system Pango library")
    for key, data in VALID["grand_age"].items():
        medecin_client.post(reverse("dossiers:section", args=[dossier.pk, key]), data)
    response = medecin_client.get(reverse("dossiers:pdf", args=[dossier.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert f"dossier-{dossier.numero}.pdf" in response["Content-Disposition"]
    assert _events(dossier, "export").filter(actor=medecin).count() == 1


@pytest.mark.parametrize(
    ("traits", "keys"),
    [
        ({}, ["administratif", "medical", "aggir"]),
        ({"sanitaire": True}, list(VALID["sanitaire"])),
        ({"tnd": True}, ["administratif", "livret", "facteurs_risque", "mdph"]),
    ],
)
def test_every_section_page_and_print_render(medecin_client, medecin, traits, keys):
    dossier = DossierFactory(
        patient=PatientFactory(created_by=medecin, **({"enfant": True} if traits else {})), **traits
    )
    for key in keys:
        response = medecin_client.get(reverse("dossiers:section", args=[dossier.pk, key]))
        assert response.status_code == 200, key
        assert "Valider la section" in response.text
    assert medecin_client.get(reverse("dossiers:print", args=[dossier.pk])).status_code == 200


def test_recent_dossiers_of_a_doctor_who_also_works_for_a_structure(medecin, medecin_client):
    """recent_visible (the panel) gives visible_to's first rows in date order — the doctor's own dossiers and
    those sent to their structure, a dossier once however many demandes it has there — by each way's latest
    on PostgreSQL, by the plain query elsewhere."""
    import datetime as dt

    from django.utils import timezone

    from tests.factories.accounts import MembershipFactory
    from tests.factories.demandes import DemandeFactory
    from tests.factories.directory import UniteFactory
    from tests.factories.dossiers import DossierFactory
    from trajectoire.dossiers.models import Dossier

    unite = UniteFactory()
    MembershipFactory(user=medecin, structure=unite.structure, medical=True)
    start = timezone.now() - dt.timedelta(days=30)
    received = [DemandeFactory(unite=unite).dossier for _ in range(4)]
    DemandeFactory(unite=UniteFactory(structure=unite.structure), dossier=received[0])  # twice to the structure
    own = [DossierFactory(created_by=medecin) for _ in range(3)]
    unseen = DemandeFactory().dossier  # sent elsewhere
    for days, dossier in enumerate([*received, *own, unseen]):  # interleaved dates, two equal
        Dossier.objects.filter(pk=dossier.pk).update(updated_at=start + dt.timedelta(days=(days * 5) % 7))
    for n in (1, 3, 5, 20):
        expected = list(Dossier.objects.visible_to(medecin).order_by("-updated_at", "-pk")[:n])
        assert list(Dossier.objects.recent_visible(medecin, n)) == expected
    assert unseen not in Dossier.objects.recent_visible(medecin, 20)
    assert len(Dossier.objects.recent_visible(medecin, 20)) == 7
    page = medecin_client.get(reverse("core:dashboard")).text
    assert sum(d.numero in page for d in [*received, *own]) == 5
