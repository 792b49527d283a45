"""The fast form renderer writes exactly what Django's widget templates write (core/forms_renderer.py)."""

import datetime as dt

import pytest
from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from trajectoire.core.forms_renderer import FAST, FastTemplatesSetting
from trajectoire.demandes.forms import InboxFilterForm
from trajectoire.directory.forms import RechercheForm

CHOICES = [
    ("", "Tous"),
    ("a", 'Texte & <b>balises</b> « guillemets » "doubles"'),
    (3, gettext_lazy("Libellé traduit")),
    ("Groupe <1>", [("g1", "Premier"), ("g2", mark_safe("<i>sûr</i>"))]),
]
WIDGETS = [
    (forms.Select(choices=CHOICES), ["", "a", "3", "g2", None, "absent"]),
    (forms.Select(choices=CHOICES, attrs={"class": "fr-select", "required": True, "disabled": False, "x": None}), "a"),
    (forms.SelectMultiple(choices=CHOICES), [["a", "g1"], []]),
    (forms.NullBooleanSelect(), [None, True, False]),
    (forms.TextInput(attrs={"class": "fr-input", "hx-get": "/communes/", "list": "x"}), [None, "", 'a"<b>', 0]),
    (forms.DateInput(attrs={"type": "date"}), [None, dt.date(2026, 11, 30), "30/11/2026"]),
    (forms.NumberInput(attrs={"min": 0, "step": 0.5}), [None, 12, 1.5]),
    (forms.EmailInput(), ["a@b.fr"]),
    (forms.HiddenInput(), ["69381", None]),
    (forms.PasswordInput(), ["secret"]),
    (forms.CheckboxInput(attrs={"class": "fr-checkbox"}), [None, True, False, "on"]),
    (forms.TimeInput(), [dt.time(8, 30)]),
    (forms.TextInput(attrs={"data-safe": mark_safe("<ok>")}), ["v"]),
]


@pytest.mark.parametrize(("widget", "values"), WIDGETS, ids=[type(w).__name__ for w, _ in WIDGETS])
def test_widget_markup_is_identical(widget, values):
    django, fast = TemplatesSetting(), FastTemplatesSetting()
    assert fast.is_djangos(widget.template_name) or widget.template_name not in FAST
    for value in values if isinstance(values, list) else [values]:
        context = widget.get_context("champ", value, {"id": "id_champ", "aria-describedby": "aide"})
        expected = django.render(widget.template_name, context)
        assert fast.render(widget.template_name, context) == expected, (widget, value)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "form",
    [
        lambda: InboxFilterForm({"statut": "lue", "depuis": "2026-01-01"}, unites=[]),
        lambda: InboxFilterForm(None, unites=[]),
        lambda: RechercheForm({"commune": "Lyon", "structure_type": "ehpad", "capabilities": ["x"], "gir": "2"}),
        lambda: RechercheForm(None),
    ],
)
def test_forms_of_the_pages_are_identical(form, settings):
    """Whole DSFR field groups of the benchmark pages' forms, with the former and the fast renderer."""
    settings.FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
    before = [form()[name].as_field_group() for name in form().fields]
    settings.FORM_RENDERER = "trajectoire.core.forms_renderer.FastTemplatesSetting"
    after = [form()[name].as_field_group() for name in form().fields]
    assert after == before
    assert any("<select" in html for html in after)


def test_overridden_templates_are_used(tmp_path, settings):
    """A project that overrides a widget template gets its template, not the fast path."""
    override = tmp_path / "django" / "forms" / "widgets"
    override.mkdir(parents=True)
    (override / "select_option.html").write_text("<option>{{ widget.label }} (maison)</option>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    widget = forms.Select(choices=[("a", "A")])
    html = FastTemplatesSetting().render(widget.template_name, widget.get_context("c", "a", {}))
    assert "(maison)" in html


def test_widget_templates_rendered_once_per_context():
    """DSFR's checkbox list (the annuaire's thesaurus): the same markup as the template, rendered once per selection."""
    from trajectoire.directory import thesaurus

    widget = forms.CheckboxSelectMultiple(choices=thesaurus.grouped_choices())
    django, fast = TemplatesSetting(), FastTemplatesSetting()
    codes = [code for _group, options in thesaurus.grouped_choices() for code, _label in options]
    for selected in ([], codes[:1], codes[:3], codes[:1]):
        context = widget.get_context("capabilities", selected, {"id": "id_capabilities"})
        assert fast.render(widget.template_name, context) == django.render(widget.template_name, context)
    assert len(fast.memo) == 3  # three distinct selections
    assert "checked" in fast.render(widget.template_name, widget.get_context("capabilities", codes[:1], {}))


def test_contexts_with_objects_are_not_memoized():
    class Label:
        def __str__(self):
            return "objet"

    widget = forms.CheckboxSelectMultiple(choices=[("a", Label())])
    fast = FastTemplatesSetting()
    context = widget.get_context("c", [], {"id": "id_c"})
    assert fast.render(widget.template_name, context) == TemplatesSetting().render(widget.template_name, context)
    assert fast.memo == {}


def test_unbound_form_html_is_the_form_rendered_once():
    """The dossier page's cancel form: the same markup as `{{ form }}`, rendered once per process and language."""
    from django.utils import translation

    from trajectoire.core.forms_renderer import _unbound_form_html, unbound_form_html
    from trajectoire.demandes.forms import CancelForm

    _unbound_form_html.cache_clear()
    html = unbound_form_html(CancelForm, "annulation")
    assert html == str(CancelForm(prefix="annulation"))
    assert 'name="annulation-motif"' in html and "Motif d’annulation" in html
    assert unbound_form_html(CancelForm, "annulation") is html
    assert _unbound_form_html.cache_info().misses == 1
    with translation.override("en"):
        unbound_form_html(CancelForm, "annulation")
    assert _unbound_form_html.cache_info().misses == 2  # another language: rendered again, not reused
