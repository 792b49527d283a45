"""The status badge filter renders exactly what the former `_statut.html` include rendered, for every status."""

import pytest
from django.template import engines

from trajectoire.demandes.enums import Statut
from trajectoire.demandes.models import Demande

# demandes/_statut.html before it became `{{ d|statut_badge }}` (one template include per row of the lists).
FORMER = (
    "<span class=\"fr-badge fr-badge--sm fr-badge--no-icon {% if d.statut == 'acceptee' or d.statut == "
    "'admission_confirmee' or d.statut == 'admis' %}fr-badge--success{% elif d.statut == 'refusee' %}fr-badge--error"
    "{% elif d.statut == 'complement_demande' or d.statut == 'liste_attente' %}fr-badge--warning{% elif d.statut == "
    "'annulee' or d.statut == 'cloturee' %}{% else %}fr-badge--info{% endif %}\">{{ d.get_statut_display }}</span>"
)


@pytest.mark.parametrize("statut", Statut.values)
def test_same_markup_as_the_former_include(statut):
    engine = engines["django"]
    demande = Demande(statut=statut)
    former = engine.from_string(FORMER).render({"d": demande})
    badge = engine.from_string("{% load demandes_tags %}{{ d|statut_badge }}").render({"d": demande})
    include = engine.from_string('{% include "demandes/_statut.html" %}').render({"d": demande})
    assert badge == former
    assert include.strip() == badge
    assert demande.get_statut_display() in badge
