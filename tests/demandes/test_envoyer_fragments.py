"""The search-from-a-dossier page's result and exclusion lists, rendered by Jinja2 fragments, give the bytes the
Django template gave (and the EHPAD price fragment, now Jinja2, the bytes of its former Django include).

FORMER_* are envoyer.html's loops and `directory/_prix_mensuel_court.html` before they became fragments.
"""

from decimal import Decimal

import pytest
from django.template import Context, engines

from trajectoire.core.templatetags.rendering import jinja
from trajectoire.directory.models import Structure, Unite
from trajectoire.directory.search import Resultat
from trajectoire.directory.services import PrixMensuel

FORMER_PRIX = (
    "{{ p.libelle }} : <strong>{{ p.total|floatformat:0 }} €</strong>{% if p.annee %} (prix CNSA {{ p.annee }})"
    "{% endif %}"
)
FORMER_RESULTATS = """{% for r in recherche.resultats %}
      <div class="fr-fieldset__element">
        <div class="fr-checkbox-group fr-checkbox-group--sm">
          <input type="checkbox" name="unites" value="{{ r.unite.pk }}" id="unite-{{ r.unite.pk }}" {% if r.unite.pk in already %}disabled{% endif %} aria-describedby="explication-{{ r.unite.pk }}">
          <label class="fr-label" for="unite-{{ r.unite.pk }}">
            {{ r.structure.name }} — {{ r.unite.name }} ({{ r.distance_km|floatformat:1 }} km{% if r.structure.city %}, {{ r.structure.city }}{% endif %}){% if r.unite.pk in already %} — demande déjà en cours{% endif %}
            <span class="fr-hint-text" id="explication-{{ r.unite.pk }}">
              {% for m in r.matched %}{{ m }}{% if not forloop.last %} · {% endif %}{% endfor %}
              {% if r.cout %} · {% include "directory/_prix_mensuel_court.html" with p=r.cout %}{% endif %}
              {% if r.delai_habituel %} · délai habituel de première réponse : {{ r.delai_habituel }}{% endif %}
            </span>
          </label>
        </div>
      </div>
    {% empty %}
      <p>Aucune structure ne correspond : élargissez le rayon ou consultez les structures exclues ci-dessous.</p>
    {% endfor %}"""  # noqa: E501
FORMER_EXCLUS = """{% for r in recherche.exclus %}
        <li>{{ r.structure.name }} — {{ r.unite.name }} ({{ r.distance_km|floatformat:1 }} km) : {% for reason in r.reasons %}{{ reason }}{% if not forloop.last %} ; {% endif %}{% endfor %}</li>
      {% endfor %}"""  # noqa: E501


def former(source: str, **context) -> str:
    engine = engines["django"].engine
    prix = engine.from_string(FORMER_PRIX)
    source = source.replace('include "directory/_prix_mensuel_court.html"', "include former_prix")
    return engine.from_string(source).render(Context({**context, "former_prix": prix}))


def _resultats():
    made = []
    for i, (city, cout, delai, reasons) in enumerate(
        [
            ("Saint-Étienne", PrixMensuel(Decimal("2150.40"), Decimal("180.5"), False, 2025), "6 heures", []),
            ("", None, "", ["Âge non accepté (92 ans)", "Hors du rayon"]),
            ("L'Isle-d'Abeau", PrixMensuel(Decimal("1999.99"), Decimal("0"), True, None), "3 jours", ["Refus <b>"]),
        ]
    ):
        structure = Structure(pk=100 + i, name=f"EHPAD « Les Tilleuls » & Cie {i}", city=city)
        unite = Unite(pk=200 + i, structure=structure, name=f"Unité <protégée> {i}")
        resultat = Resultat(
            unite=unite,
            distance_km=[0.04, 12.25, 999.95][i],
            matched=["À 12,3 km", "Prend en charge : soins d'escarres"][: i + 1],
            reasons=reasons,
            cout=cout,
        )
        resultat.delai_habituel = delai
        made.append(resultat)
    return made


@pytest.mark.parametrize("already", [set(), {201}, {200, 201, 202}])
def test_results_are_the_former_markup(already):
    resultats = _resultats()
    expected = former(FORMER_RESULTATS, recherche={"resultats": resultats}, already=already)
    assert "1000,0 km" in expected and "(prix CNSA 2025)" in expected  # French decimal comma, the price's year
    got = jinja("demandes/_envoyer_resultats.html", resultats=resultats, already=already)
    assert got == expected


def test_no_results_and_exclusions_are_the_former_markup():
    resultats = _resultats()
    assert jinja("demandes/_envoyer_resultats.html", resultats=[], already=set()) == former(
        FORMER_RESULTATS, recherche={"resultats": []}, already=set()
    )
    expected = former(FORMER_EXCLUS, recherche={"exclus": resultats})
    assert "Refus &lt;b&gt;" in expected
    assert jinja("demandes/_envoyer_exclus.html", exclus=resultats) == expected


def test_price_fragment_is_the_former_include():
    for prix in (r.cout for r in _resultats() if r.cout):
        assert jinja("directory/_prix_mensuel_court.html", p=prix) == former(FORMER_PRIX, p=prix)
