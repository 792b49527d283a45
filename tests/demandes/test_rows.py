"""The lists' rows read as values and rendered by Jinja2 fragments give the bytes the Django templates gave.

FORMER_* are the loops of inbox.html and mes_demandes.html (and the `_attente.html` include) before their rows
became `demandes.rows.DemandeRow` rendered by `jinja2/demandes/_*_rows.html`: rendered by Django's engine over
model instances, they must equal the fragments over rows, for every status, urgent or not, read or not, waiting
within or past its target, and names that need escaping.
"""

import datetime as dt

import pytest
from django.template import engines
from django.utils import timezone

from tests.factories.demandes import DemandeFactory
from tests.factories.directory import UniteFactory
from tests.factories.dossiers import DossierFactory
from tests.factories.patients import PatientFactory
from trajectoire.core.templatetags.rendering import jinja
from trajectoire.demandes import delais
from trajectoire.demandes.enums import Statut
from trajectoire.demandes.models import Demande
from trajectoire.demandes.rows import demande_rows
from trajectoire.demandes.templatetags.demandes_tags import attente_badge
from trajectoire.directory.enums import Domain

FORMER_ATTENTE = (
    '{% if a %}<p class="fr-badge fr-badge--sm {% if a.depassee %}fr-badge--warning{% else %}fr-badge--info '
    'fr-badge--no-icon{% endif %} attente-reponse">{{ a.texte }}{% if a.depassee %} : délai cible de '
    "{{ a.cible_texte }} dépassé{% else %} (délai cible : {{ a.cible_texte }}){% endif %}</p>{% endif %}\n"
)
FORMER_INBOX = """{% load demandes_tags %}{% for d in page.object_list %}
        <tr>
          <td>{{ d.sent_at|date:"d/m/Y H:i" }}{% if d.urgente %} <span class="fr-badge fr-badge--sm fr-badge--error">Urgent</span>{% endif %}</td>
          <td><a href="{% url 'demandes:detail' d.pk %}">{% if d.is_unread %}<strong>{{ d.dossier.patient }}</strong> <span class="fr-badge fr-badge--sm fr-badge--new">Non lue</span>{% else %}{{ d.dossier.patient }}{% endif %}</a></td>
          <td>{{ d.structure.name }} — {{ d.unite.name }}</td>
          <td>{{ d.domain_label }}</td>
          <td>{{ d|statut_badge }}{% include "former_attente" with a=d.attente %}</td>
        </tr>
      {% empty %}
        <tr><td colspan="5">Aucune demande ne correspond à ces critères.</td></tr>
      {% endfor %}"""  # noqa: E501
FORMER_MES_DEMANDES = """{% load demandes_tags %}{% for d in page.object_list %}
        <tr>
          <td><a href="{% url 'demandes:detail' d.pk %}">{{ d.dossier.patient }}</a></td>
          <td>{{ d.structure.name }} — {{ d.unite.name }}</td>
          <td>{{ d.sent_at|date:"d/m/Y" }}</td>
          <td>{{ d|statut_badge }}{% include "former_attente" with a=d.attente %}</td>
        </tr>
      {% empty %}
        <tr><td colspan="4">Aucune demande.</td></tr>
      {% endfor %}"""


def former(source: str, demandes, now) -> str:
    """The former loop over model instances, its include resolved from FORMER_ATTENTE."""
    engine = engines["django"].engine
    include = engine.from_string(FORMER_ATTENTE)
    template = engine.from_string(source.replace('include "former_attente"', "include former_attente"))
    from django.template import Context

    return template.render(
        Context({"page": {"object_list": delais.with_attente(demandes, now)}, "former_attente": include})
    )


@pytest.fixture
def demandes(db):
    now = timezone.now()
    unite = UniteFactory(name="Unité <Alzheimer> & « répit »", structure__name="EHPAD L'Orée du Bois")
    patient = PatientFactory(nom_naissance="d'Aubigné", prenoms="Éloïse Marie", nom_usage="", prenom_usage="")
    other = PatientFactory(nom_usage="Martin-Dupré", prenom_usage="Zoé")
    made = []
    for i, statut in enumerate(Statut.values):
        for urgente, age in ((False, dt.timedelta(hours=2)), (True, dt.timedelta(days=40, hours=3))):
            made.append(
                DemandeFactory(
                    dossier=DossierFactory(patient=patient, domain=Domain.GRAND_AGE)
                    if i % 2
                    else DossierFactory(patient=other, domain=Domain.SANITAIRE),
                    unite=UniteFactory(name=unite.name, structure=unite.structure) if i % 3 else UniteFactory(),
                    statut=statut,
                    urgente=urgente,
                    sent_at=now - age,
                    read_at=None if i % 2 else now,
                    answered_at=now if statut not in delais.SANS_PREMIERE_REPONSE else None,
                )
            )
    return now, made


def test_inbox_rows_are_the_former_markup(demandes):
    now, made = demandes
    queryset = Demande.objects.filter(pk__in=[d.pk for d in made]).order_by("-sent_at", "pk")
    expected = former(FORMER_INBOX, queryset, now)
    assert "Urgent" in expected and "Non lue" in expected and "dépassé" in expected and "délai cible :" in expected
    assert "L&#x27;Orée" in expected and "&lt;Alzheimer&gt; &amp;" in expected and "D&#x27;AUBIGNÉ Éloïse" in expected
    assert jinja("demandes/_inbox_rows.html", rows=demande_rows(queryset, now)) == expected


def test_mes_demandes_rows_are_the_former_markup(demandes):
    now, made = demandes
    queryset = Demande.objects.filter(pk__in=[d.pk for d in made]).order_by("-sent_at", "pk")
    expected = former(FORMER_MES_DEMANDES, queryset, now)
    assert jinja("demandes/_mes_demandes_rows.html", rows=demande_rows(queryset, now)) == expected


@pytest.mark.django_db
@pytest.mark.parametrize("source", [FORMER_INBOX, FORMER_MES_DEMANDES])
def test_empty_lists_are_the_former_markup(source):
    name = "demandes/_inbox_rows.html" if 'colspan="5"' in source else "demandes/_mes_demandes_rows.html"
    assert jinja(name, rows=[]) == former(source, [], timezone.now())


@pytest.mark.parametrize("depuis", [dt.timedelta(hours=5), dt.timedelta(days=3), dt.timedelta(days=30)])
def test_attente_badge_is_the_former_include(depuis):
    attente = delais.Attente(depuis=depuis, cible=dt.timedelta(days=2))
    django_engine = engines["django"]
    expected = django_engine.from_string(FORMER_ATTENTE).render({"a": attente})
    assert attente_badge(attente) + "\n" == expected
    assert django_engine.from_string('{% include "demandes/_attente.html" %}').render({"a": attente}) == expected
    assert django_engine.from_string('{% include "demandes/_attente.html" %}').render({"a": None}) == "\n"


def test_a_fragment_refuses_an_undefined_name():
    """StrictUndefined: a misspelt column raises in the tests instead of rendering an empty cell in production."""
    import jinja2

    with pytest.raises(jinja2.UndefinedError):
        engines["jinja2"].from_string("{{ row.nope }}").render({"row": {}})


def test_patient_display_name_is_str_of_patient():
    from trajectoire.patients.models import Patient, display_name

    for fields in [
        ("Dupont", "Marie Louise", "", ""),
        ("Dupont", "Marie Louise", "Martin", ""),
        ("Dupont", "Marie Louise", "", "Malou"),
        ("Dupont", "", "", ""),
    ]:
        patient = Patient(nom_naissance=fields[0], prenoms=fields[1], nom_usage=fields[2], prenom_usage=fields[3])
        assert display_name(*fields) == str(patient) == f"{patient.nom_affiche} {patient.premier_prenom}"
