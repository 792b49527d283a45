"""The dossier page's demandes panel: its rows and its history, now Jinja2 fragments, give the bytes of the
former Django loops (FORMER), over demandes of every kind of line and names that need escaping."""

import datetime as dt
import re

import pytest
from django.template import engines
from django.test import RequestFactory
from django.utils import timezone

from tests.factories.accounts import MembershipFactory, UserFactory
from tests.factories.demandes import DemandeFactory, ReadyDossierFactory
from tests.factories.directory import StructureFactory, UniteFactory
from trajectoire.demandes.enums import Statut
from trajectoire.demandes.models import DemandeEvent
from trajectoire.demandes.panels import demandes_du_dossier

pytestmark = pytest.mark.django_db

FORMER = """{% load demandes_tags %}<section class="fr-mb-4w" aria-labelledby="demandes-du-dossier">
  <h2 id="demandes-du-dossier">Demandes</h2>
  {% if panel.can_send %}
    <p><a class="fr-btn fr-icon-search-line fr-btn--icon-left" href="{% url 'demandes:envoyer' panel.dossier.pk %}">Rechercher et envoyer</a></p>
  {% endif %}
  {% if panel.demandes %}
    <div class="fr-table fr-table--no-caption"><table>
      <caption>Demandes du dossier</caption>
      <thead><tr><th scope="col">Structure</th><th scope="col">Envoyée le</th><th scope="col">Statut</th></tr></thead>
      <tbody>
        {% for d in panel.demandes %}
          <tr>
            <td><a href="{% url 'demandes:detail' d.pk %}">{{ d.structure.name }} — {{ d.unite.name }}</a></td>
            <td>{{ d.sent_at|date:"d/m/Y" }}</td>
            <td>{{ d|statut_badge }}{% if d.date_admission_proposee and d.statut == "acceptee" %} — admission proposée le {{ d.date_admission_proposee|date:"d/m/Y" }}{% endif %}{% include "demandes/_attente.html" with a=d.attente %}</td>
          </tr>
        {% endfor %}
      </tbody>
    </table></div>
  {% elif panel.is_sender %}
    <p>Ce dossier n’a pas encore été envoyé.</p>
  {% endif %}
  {% if panel.can_cancel %}
    <details class="fr-mb-2w">
      <summary class="fr-btn fr-btn--secondary">Annuler toutes les demandes du dossier</summary>
      <form method="post" action="{% url 'demandes:annuler_dossier' panel.dossier.pk %}" class="fr-mt-2w" novalidate>
        {% csrf_token %}
        {{ panel.cancel_form }}
        <button class="fr-btn" type="submit">Annuler les demandes en cours</button>
      </form>
    </details>
  {% endif %}
  {% if panel.events %}
    <details>
      <summary>Historique du dossier ({{ panel.events|length }} événement{{ panel.events|length|pluralize }})</summary>
      <ol class="fr-raw-list fr-mt-2w">
        {% for e in panel.events %}
          <li class="fr-mb-1w">{{ e.at|date:"d/m/Y H:i" }} — {{ e.demande.structure.name }} : {{ e.label }}{% if e.motif %} ({{ e.motif }}){% endif %}{% if e.actor %} — {{ e.actor.get_full_name }}{% endif %}</li>
        {% endfor %}
      </ol>
    </details>
  {% endif %}
</section>
"""  # noqa: E501


def rendered(source_or_name: str, panel, request) -> str:
    engine = engines["django"]
    template = engine.from_string(source_or_name) if "{%" in source_or_name else engine.get_template(source_or_name)
    html = template.render({"panel": panel.context}, request)
    return re.sub(r'name="csrfmiddlewaretoken" value="\w+"', 'name="csrfmiddlewaretoken" value="…"', html)


def test_the_panel_is_the_former_markup_for_the_sender_and_for_a_structure(doctor):
    dossier = ReadyDossierFactory(created_by=doctor, medecin=doctor, patient__created_by=doctor)
    now = timezone.now()
    names = ["EHPAD « L'Orée » & <b>Cie</b>", "SMR Les Tilleuls"]
    demandes = []
    for i, (statut, extra) in enumerate(
        [
            (Statut.ENVOYEE, {"sent_at": now - dt.timedelta(days=40)}),  # past its target
            (Statut.ACCEPTEE, {"date_admission_proposee": dt.date(2026, 12, 24), "answered_at": now}),
            (Statut.REFUSEE, {"answered_at": now, "motif_refus": "autre"}),
            (Statut.LUE, {"sent_at": now - dt.timedelta(hours=3)}),
        ]
    ):
        structure = StructureFactory(name=names[i % 2])
        unite = UniteFactory(structure=structure, name=f"Unité <{i}> d'accueil")
        demandes.append(DemandeFactory(dossier=dossier, unite=unite, statut=statut, **{"sent_at": now, **extra}))
    actor = UserFactory(first_name="Zoé", last_name="O'Neil <admin>")
    for i, demande in enumerate(demandes):
        DemandeEvent.objects.create(
            demande=demande,
            dossier=dossier,
            at=now - dt.timedelta(minutes=i),
            actor=actor if i % 2 else None,
            action="x",
            label=f"Étape {i} <i>",
            to_statut=demande.statut,
            motif="« motif »" if i == 2 else "",
        )
    staff = UserFactory()
    MembershipFactory(user=staff, structure=demandes[0].structure, admissions=True)
    for user in (doctor, staff):
        request = RequestFactory().get("/")
        request.user = user
        panel = demandes_du_dossier(request, dossier)
        expected = rendered(FORMER, panel, request)
        assert rendered("demandes/dossier_panel.html", panel, request) == expected
        assert "&lt;b&gt;Cie&lt;/b&gt;" in expected and "L&#x27;Orée" in expected
        if user is doctor:
            assert "admission proposée le 24/12/2026" in expected and "(« motif »)" in expected
            assert "O&#x27;Neil &lt;admin&gt;" in expected and "dépassé" in expected
