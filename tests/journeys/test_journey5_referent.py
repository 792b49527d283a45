"""Journey 5: the référent structure adds a member and updates free places; the public search reflects it."""

import pytest

from tests.factories.accounts import MembershipFactory
from tests.factories.directory import CommuneFactory, StructureFactory, UniteFactory
from trajectoire.accounts.models import Membership

pytestmark = [pytest.mark.browser]


def test_referent_adds_a_member_and_updates_free_places(journey):
    from tests.support.browser import Actor

    j = journey("5-referent-structure")
    CommuneFactory(insee="01053", name="Bourg-en-Bresse", search_name="bourg en bresse", postal_codes="01000")
    ehpad = StructureFactory(name="EHPAD Les Tilleuls", city="Bourg-en-Bresse")
    unite = UniteFactory(structure=ehpad, name="Hébergement permanent", capacity=80, free_places=0)
    referent = MembershipFactory(structure=ehpad, referent=True, user__first_name="Nadia", user__last_name="Roux")
    page = j.new_page()
    me = Actor(page)
    j.login_as(page, referent.user)

    # Before: with « places disponibles seulement », the public annuaire does not list the EHPAD.
    page.goto(j.url("/annuaire/?structure_type=ehpad&commune=Bourg-en-Bresse&radius_km=10&free_places_only=on"))
    j.step(page, "annuaire sans place")
    assert "EHPAD Les Tilleuls" not in page.locator("main").inner_text()

    page.goto(j.url("/tableau-de-bord/"))
    identity = page.locator(".fr-header .tj-identity").first.inner_text()
    assert "Nadia Roux" in identity and "Référent structure · EHPAD Les Tilleuls" in identity, identity
    me.click(page.get_by_role("link", name="Gérer les comptes et les unités de EHPAD Les Tilleuls"))
    page.get_by_role("heading", name="EHPAD Les Tilleuls", level=1).wait_for()
    j.step(page, "gestion de la structure")

    # Add a member with the admissions habilitation.
    me.fill(page.get_by_label("Numéro RPPS"), "10106476764")
    me.fill(page.get_by_label("Nom", exact=True), "Dupuis")
    me.fill(page.get_by_label("Prénom"), "Léa")
    me.fill(page.get_by_label("Adresse électronique professionnelle"), "lea.dupuis@exemple.test")
    me.check(page.get_by_label("Admissions (recevoir et répondre aux demandes)"))
    me.click(page.get_by_role("button", name="Ajouter le membre"))
    page.get_by_text("est rattaché(e) à la structure").wait_for()
    j.step(page, "membre ajoute")
    member = Membership.objects.get(structure=ehpad, user__rpps="10106476764")
    assert member.is_admissions and not member.is_referent
    assert "première connexion par carte CPx ou e-CPS attendue" in page.content()

    # Declare 3 free places.
    me.click(page.get_by_role("link", name="Modifier l’unité Hébergement permanent"))
    page.get_by_role("heading", name="Unité « Hébergement permanent »").wait_for()
    me.fill(page.get_by_label("Places disponibles"), "3")
    j.step(page, "places disponibles")
    me.click(page.get_by_role("button", name="Enregistrer"))
    page.get_by_text("la recherche en tient compte immédiatement").wait_for()
    unite.refresh_from_db()
    assert unite.free_places == 3 and unite.free_places_declared_at is not None

    # After: the public annuaire lists it, with its places.
    page.goto(j.url("/annuaire/?structure_type=ehpad&commune=Bourg-en-Bresse&radius_km=10&free_places_only=on"))
    results = page.locator("main").inner_text()
    j.step(page, "annuaire avec places")
    assert "EHPAD Les Tilleuls" in results and "3 places, mis à jour aujourd’hui" in results
