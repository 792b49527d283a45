"""The dossier page's sections and the section extras (GIR, TND orientation, type of stay), rendered by Jinja2
fragments, give the bytes the Django templates gave. FORMER_* are detail.html's loop and `_extra.html` before
they became fragments (`_extra.html` is also the section page's, the draft's and the print's, via {% jinja %}).
"""

from types import SimpleNamespace

import pytest
from django.template import Context, engines

from tests.factories.dossiers import DossierFactory
from trajectoire.core.templatetags.rendering import jinja
from trajectoire.directory.enums import Domain

FORMER_EXTRA = """{% if extra.type_sejour %}
<p class="fr-text--sm">Type de séjour : <strong>{{ extra.type_sejour }}</strong> (choisi à la création du dossier).{% if extra.temporaire %} Indiquez les dates du séjour temporaire, ou sa durée.{% endif %}</p>
{% endif %}
{% if extra.aggir %}
<div class="fr-callout fr-mb-2w">
  <p class="fr-callout__title">GIR {{ extra.aggir.gir }}</p>
  <p class="fr-callout__text">Rang {{ extra.aggir.rang }} (groupe {{ extra.aggir.groupe }}) — calcul selon l’annexe 2-2 du code de l’action sociale et des familles.</p>
  <p class="fr-text--sm fr-mb-0">Sous-variables combinées selon le guide de remplissage (annexe 2-1) ; pour la cohérence et l’orientation, règle non vérifiée sur le texte officiel.</p>
</div>
{% elif extra.aggir_pending %}
<p class="fr-text--sm">Le GIR s’affichera dès que toutes les variables discriminantes seront cotées.</p>
{% endif %}
{% if extra.orientation %}
<div class="fr-callout fr-mb-2w {% if extra.orientation.indiquee %}fr-callout--green-emeraude{% else %}fr-callout--beige-gris-galet{% endif %}">
  <p class="fr-callout__title">{% if not extra.orientation.eligible %}Non éligible{% elif extra.orientation.indiquee %}Orientation vers la PCO indiquée{% else %}Orientation non indiquée à ce stade{% endif %}</p>
  <ul class="fr-callout__text">{% for r in extra.orientation.raisons %}<li>{{ r }}</li>{% endfor %}</ul>
  {% if extra.livret %}<p class="fr-text--sm fr-mb-0">Grille : {{ extra.livret }}. Facteurs de risque : HAS, février 2020.{% if not extra.rule_verified %} Seuils d’orientation : règle non vérifiée sur le texte officiel du livret.{% endif %}</p>{% endif %}
</div>
{% endif %}
"""  # noqa: E501
FORMER_SECTIONS = """{% for item in sections %}
<section class="fr-card fr-mb-2w fr-p-2w" aria-labelledby="section-{{ item.status.key }}">
  <h2 class="fr-h5" id="section-{{ item.status.key }}">{{ item.status.definition.title }}
    <span class="fr-badge fr-badge--sm fr-badge--{{ item.status.badge }}">{{ item.status.label }}</span>
    {% if item.status.definition.is_medical %}<span class="fr-badge fr-badge--sm fr-badge--purple-glycine">Partie médicale</span>{% endif %}
  </h2>
  {% if item.hidden %}
    <p>Partie médicale : réservée aux professionnels ayant une habilitation médicale sur ce dossier.</p>
  {% else %}
    {% include "dossiers/_extra.html" with extra=item.extra %}
    {% if item.summary %}<dl class="trajectoire-dl">{% for label, value in item.summary %}<dt>{{ label }}</dt><dd>{{ value|linebreaksbr }}</dd>{% endfor %}</dl>{% endif %}
    {% if editable %}<p><a class="fr-link fr-icon-edit-line fr-link--icon-left" href="{% url 'dossiers:section' dossier.pk item.status.key %}">{% if item.status.started %}Modifier{% else %}Compléter{% endif %} la section « {{ item.status.definition.title }} »</a></p>{% endif %}
  {% endif %}
</section>
{% endfor %}"""  # noqa: E501

AGGIR = SimpleNamespace(gir=2, rang=7, groupe="B")
EXTRAS = [
    {},
    {"type_sejour": "Hébergement temporaire", "temporaire": True},
    {"type_sejour": "Hébergement permanent", "temporaire": False},
    {"aggir": AGGIR, "aggir_pending": False},
    {"aggir": None, "aggir_pending": True},
    *(
        {
            "orientation": SimpleNamespace(eligible=eligible, indiquee=indiquee, raisons=["Âge < 7 ans", "Risque <b>"]),
            "livret": livret,
            "rule_verified": verified,
            "grille": "g",
        }
        for eligible, indiquee, livret, verified in [
            (True, True, "Livret 0-3 ans", False),
            (True, False, "Livret 4-6 ans", True),
            (False, False, "", False),
        ]
    ),
    {"orientation": None, "livret": "", "rule_verified": True, "grille": "g"},
]


def former(source: str, **context) -> str:
    engine = engines["django"].engine
    extra = engine.from_string(FORMER_EXTRA)
    source = source.replace('include "dossiers/_extra.html"', "include former_extra")
    return engine.from_string(source).render(Context({**context, "former_extra": extra}))


@pytest.mark.parametrize("extra", EXTRAS)
def test_extra_is_the_former_include(extra):
    assert jinja("dossiers/_extra.html", extra=extra) == former('{% include "dossiers/_extra.html" %}', extra=extra)


@pytest.mark.django_db
@pytest.mark.parametrize("domain", [Domain.GRAND_AGE, Domain.SANITAIRE, Domain.TND])
@pytest.mark.parametrize("editable", [True, False])
def test_sections_are_the_former_markup(domain, editable):
    trait = {Domain.SANITAIRE: {"sanitaire": True}, Domain.TND: {"tnd": True}}.get(domain, {})
    dossier = DossierFactory(**trait)
    statuses = dossier.sections_status()
    sections = [
        {
            "status": status,
            "hidden": i % 3 == 2,
            "summary": [("Nom d'usage", "L'Orée\n<b>Dupont</b>"), ("Date", "12/05/1938")] if i % 2 else [],
            "extra": EXTRAS[i % len(EXTRAS)],
        }
        for i, status in enumerate(statuses)
    ]
    context = {"sections": sections, "dossier": dossier, "editable": editable}
    expected = former(FORMER_SECTIONS, **context)
    assert "L&#x27;Orée<br>&lt;b&gt;" in expected
    assert jinja("dossiers/_sections.html", **context) == expected
