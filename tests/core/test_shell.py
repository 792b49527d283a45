"""The page shell (templates/base.html): django-dsfr's markup exactly, its static parts rendered once."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import constants, get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.cache import SessionStore
from django.template import Context, Template, TemplateSyntaxError, engines
from django.test import RequestFactory
from django.urls import resolve

from tests.factories.accounts import UserFactory

# templates/base.html as it was, extending django-dsfr's dsfr/base.html: the reference markup.
REFERENCE = """{% extends "dsfr/base.html" %}
{% load static django_htmx %}
{% block title %}<title>{% if title %}{{ title }} — {% endif %}{{ SITE_CONFIG.site_title }}</title>{% endblock title %}
{% block extra_css %}
  {# htmx would insert a <style> element for its indicators, refused by the CSP: the rules are in trajectoire.css. #}
  <meta name="htmx-config" content='{"includeIndicatorStyles": false}'>
  <link rel="stylesheet" href="{% static 'trajectoire/trajectoire.css' %}">
  {% block page_css %}{% endblock page_css %}
{% endblock extra_css %}
{% block skiplinks %}
  <div class="fr-skiplinks">
    <nav class="fr-container" role="navigation" aria-label="Accès rapide">
      <ul class="fr-skiplinks__list">
        <li><a class="fr-link" href="#content">Contenu</a></li>
        <li><a class="fr-link" href="#header-navigation">Menu</a></li>
        <li><a class="fr-link" href="#footer">Pied de page</a></li>
      </ul>
    </nav>
  </div>
{% endblock skiplinks %}
{% block header %}{% include "core/_header.html" %}{% endblock header %}
{% block breadcrumb %}{% endblock breadcrumb %}
{% block content %}
  {% if messages %}
    <div class="fr-mb-3w" role="status">
      {% for message in messages %}
        <div class="fr-alert fr-alert--{% if message.level_tag == 'error' %}error{% elif message.level_tag == 'warning' %}warning{% elif message.level_tag == 'success' %}success{% else %}info{% endif %} fr-alert--sm fr-mb-1w">
          <p>{{ message }}</p>
        </div>
      {% endfor %}
    </div>
  {% endif %}
  {% block main %}{% endblock main %}
{% endblock content %}
{% block footer %}{% include "core/_footer.html" %}{% endblock footer %}
{% block extra_js %}
  {% htmx_script %}
  <script src="{% static 'trajectoire/trajectoire.js' %}" nonce="{{ request.csp_nonce }}" defer></script>
  {% block page_js %}{% endblock page_js %}
{% endblock extra_js %}
"""  # noqa: E501
PAGE = """{% extends base %}{% block page_css %}<link rel="stylesheet" href="/x.css">{% endblock page_css %}
{% block main %}<h1>{{ title }}</h1>{% endblock main %}{% block page_js %}<script src="/x.js"></script>{% endblock %}"""


def request_for(user):
    request = RequestFactory().get("/aide/")
    request.user, request.csp_nonce, request.session = user, "nonce-1", SessionStore()
    request._messages = FallbackStorage(request)
    request.resolver_match = resolve("/aide/")
    return request


def render(base, request) -> str:
    engine = engines["django"]
    page = engine.from_string(PAGE)
    html = page.render({"base": base, "title": "Aide"}, request)
    return re.sub(r'name="csrfmiddlewaretoken" value="\w+"', 'name="csrfmiddlewaretoken" value="…"', html)


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["anonymous", "doctor", "usager"])
def test_the_shell_is_django_dsfrs_markup(who):
    users = {"doctor": lambda: UserFactory(medecin=True), "usager": lambda: UserFactory(usager=True)}
    user = users.get(who, AnonymousUser)()
    reference = engines["django"].from_string(REFERENCE).template
    for _ in range(2):  # the second time from what {% once %} kept
        request = request_for(user)
        request._messages.add(constants.SUCCESS, "Enregistré.")
        expected = render(reference, request)
        list(get_messages(request))  # the reference read them: the same message again for the shell
        request = request_for(user)
        request._messages.add(constants.SUCCESS, "Enregistré.")
        assert render("base.html", request) == expected
        assert "Enregistré." in expected and 'nonce="nonce-1"' in expected and "/x.js" in expected


def test_once_keeps_the_first_rendering_and_wants_a_quoted_name():
    template = Template('{% once "test-once" %}{{ value }}{% endonce %}')
    assert template.render(Context({"value": "premier"})) == "premier"
    assert template.render(Context({"value": "second"})) == "premier"
    with pytest.raises(TemplateSyntaxError, match="prend un nom entre guillemets"):
        Template("{% once nom %}x{% endonce %}")


def test_once_forgets_when_a_setting_changes(settings):
    template = Template('{% once "test-once-settings" %}{{ value }}{% endonce %}')
    assert template.render(Context({"value": "avant"})) == "avant"
    settings.SITE_TITLE = "Autre titre"
    assert template.render(Context({"value": "après"})) == "après"
