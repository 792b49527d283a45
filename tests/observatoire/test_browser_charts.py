"""The observatoire's charts in Chromium under the application's CSP: drawn, accessible (axe-core), each with its
data table, and no hidden cell in a chart."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories.accounts import UserFactory
from tests.factories.demandes import DemandeFactory
from tests.factories.directory import StructureFactory, UniteFactory
from tests.support.browser import Actor
from trajectoire.demandes.enums import MotifRefus, Statut

pytestmark = [pytest.mark.browser]

CSP_WATCH = """document.addEventListener('securitypolicyviolation', e => {
  window.__csp = (window.__csp || []).concat([{directive: e.violatedDirective, source: e.sourceFile}]);
});"""


def test_charts_are_drawn_under_the_csp_with_their_tables(journey):
    j = journey("observatoire-graphiques")
    ars = UserFactory(is_observatoire=True, observatoire_departements="01,69")
    lyon = UniteFactory(structure=StructureFactory(departement="69"))
    bourg = UniteFactory(structure=StructureFactory(departement="01"))
    now = timezone.now()
    for i in range(12):
        sent = now - timedelta(days=20 + 15 * i)
        motif = MotifRefus.PAS_DE_PLACE if i % 2 else MotifRefus.HORS_SECTEUR
        answered = sent + timedelta(hours=6 + 10 * i)
        DemandeFactory(unite=lyon, sent_at=sent, answered_at=answered, statut=Statut.REFUSEE, motif_refus=motif)
    for _ in range(5):
        DemandeFactory(unite=bourg, sent_at=now - timedelta(days=3))
    page = Actor(j.new_page()).page
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.add_init_script(CSP_WATCH)
    j.login_as(page, ars)
    page.goto(j.url("/observatoire/"))
    for ident in ("volumes", "delais", "taux", "motifs"):
        page.locator(f"#graphique-{ident} canvas").wait_for()
    page.locator("#graphique-carte svg").first.wait_for()
    j.step(page, "graphiques")
    assert errors == []
    # No CSP refusal caused by the charts (htmx's own indicator <style> is the CSP owner's business).
    refused = [v for v in page.evaluate("() => window.__csp || []") if "htmx" not in v["source"]]
    assert refused == []
    # A hidden cell is no bar: the chart's values are exactly the published cells of its table.
    months = json.loads(page.locator("#graphique-volumes bar-chart").get_attribute("y"))[0]
    cells = page.locator("#table-mois tbody tr td:nth-child(2)").all_inner_texts()
    assert [None if "<" in c or "secret" in c else int(c) for c in cells] == months
    assert None in months and any(months)
    assert json.loads(page.locator("#graphique-carte map-chart").get_attribute("data")) == {"01": 5, "69": 12}
