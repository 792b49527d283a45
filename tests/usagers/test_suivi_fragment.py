"""The family's dossier page: its demande cards, now a Jinja2 fragment, give the bytes of the former Django loop
(FORMER) — an offer with its two forms, a question to answer, a refusal, a demande waiting past its target, and
names that need escaping."""

import datetime as dt
import re

import pytest
from django.middleware.csrf import _unmask_cipher_token
from django.template import engines
from django.test import RequestFactory
from django.utils import timezone

from tests.factories.demandes import DemandeFactory
from tests.factories.directory import StructureFactory, UniteFactory
from tests.factories.usagers import FamilyDossierFactory
from trajectoire.demandes import delais
from trajectoire.demandes.enums import Statut
from trajectoire.usagers.services import choix

pytestmark = pytest.mark.django_db

FORMER = """{% for s in demandes %}
  <li class="fr-card fr-mb-2w" id="demande-{{ s.demande.pk }}"><div class="fr-card__body"><div class="fr-card__content">
    <h3 class="fr-card__title">{{ s.demande.structure.name }}</h3>
    <p class="fr-card__desc">{{ s.demande.unite.name }} — {{ s.demande.structure.city }}. Envoyée le {{ s.demande.sent_at|date:"d/m/Y" }}.</p>
    <p><span class="fr-badge fr-badge--{{ s.badge }} statut-demande">{{ s.texte }}</span></p>
    {% include "demandes/_attente.html" with a=s.demande.attente %}
    {% if s.demande.statut == "complement_demande" %}<p><a class="fr-link" href="{% url 'demandes:detail' s.demande.pk %}">Lire la question de l’établissement et y répondre</a></p>{% endif %}
    {% if s.offre %}
    <div class="fr-btns-group fr-btns-group--inline-md">
      <form method="post" action="{% url 'usagers:accepter' dossier.pk s.demande.pk %}">{% csrf_token %}<button class="fr-btn fr-btn--lg" type="submit">Accepter cette place</button></form>
      <form method="post" action="{% url 'usagers:decliner' dossier.pk s.demande.pk %}">{% csrf_token %}<button class="fr-btn fr-btn--lg fr-btn--secondary" type="submit">Refuser cette proposition</button></form>
    </div>
    <p class="fr-text--sm">Accepter cette place clôt automatiquement vos autres demandes.</p>
    {% endif %}
  </div></div></li>
  {% endfor %}"""  # noqa: E501
NEW = '{% jinja "usagers/_suivi_demandes.html" demandes=demandes dossier=dossier csrf_token=csrf_token %}'


def test_the_cards_are_the_former_markup():
    dossier = FamilyDossierFactory()
    now = timezone.now()
    cases = [
        (Statut.ACCEPTEE, {"date_admission_proposee": dt.date(2026, 12, 24), "answered_at": now}),
        (Statut.COMPLEMENT_DEMANDE, {"answered_at": now}),
        (Statut.REFUSEE, {"answered_at": now, "motif_refus": "autre"}),
        (Statut.ENVOYEE, {"sent_at": now - dt.timedelta(days=40)}),  # past its target
        (Statut.LUE, {}),
    ]
    for i, (statut, extra) in enumerate(cases):
        structure = StructureFactory(name=f"EHPAD « L'Orée » & <b>{i}</b>", city="L'Isle-d'Abeau" if i % 2 else "")
        unite = UniteFactory(structure=structure, name=f"Unité <{i}>")
        DemandeFactory(dossier=dossier, unite=unite, statut=statut, **{"sent_at": now, **extra})
    demandes = [choix.suivi(d) for d in delais.with_attente(dossier.demandes.select_related("unite", "structure"))]
    request = RequestFactory().get("/")
    context = {"demandes": demandes, "dossier": dossier}
    engine = engines["django"]
    former = engine.from_string(FORMER).render(context, request)
    new = engine.from_string(NEW).render(context, request)
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="(\w+)"', former + new)
    assert len(tokens) == 4 and len({_unmask_cipher_token(t) for t in tokens}) == 1  # the request's one secret
    mask = re.compile(r'name="csrfmiddlewaretoken" value="\w+"')
    assert mask.sub("…", new) == mask.sub("…", former)
    assert "Accepter cette place" in former and "Lire la question" in former and "dépassé" in former
    assert "&lt;b&gt;0&lt;/b&gt;" in former and "L&#x27;Isle-d&#x27;Abeau" in former
