"""The form renderer: Django's TemplatesSetting, with the select and input widgets rendered in Python.

Django renders a `<select>` with one template include per option, and one more per option for its
attributes: the inbox's filter form spent most of its time there (docs/performance.md). This renderer
writes the markup of Django's own `django/forms/widgets/{select,select_option,input,attrs}.html` directly,
character for character (tests/core/test_forms_renderer.py compares them over many widgets), and only while
those templates are Django's own: a project or package that overrides one of them gets its template as
before. Values it cannot render the same way (callables, non-text labels, which the template engine would
call or localize) also go through the templates. DSFR's field groups (`dsfr/form_field_snippets/…`) are
unchanged templates.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import django.forms
from django.conf import settings
from django.forms.renderers import TemplatesSetting
from django.utils.functional import Promise
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe
from django.utils.translation import get_language

DJANGO_WIDGETS = Path(django.forms.__file__).resolve().parent / "templates" / "django" / "forms" / "widgets"
OWN = ("attrs.html", "select_option.html")


class CannotRender(Exception):
    """A value the fast path would not render like the template: use the template."""


def _text(value) -> str:
    """`{{ value }}` for text (escaped unless safe); anything else is left to the template engine."""
    if isinstance(value, str):
        return conditional_escape(value)
    if isinstance(value, Promise):
        return conditional_escape(str(value))
    raise CannotRender


def _formatted(value) -> str:
    """`{{ value|stringformat:'s' }}`."""
    if callable(value):
        raise CannotRender
    text = "%s" % (str(value) if isinstance(value, tuple) else value)
    # The filter keeps a safe value safe (not escaped again), as the template does.
    return conditional_escape(mark_safe(text) if isinstance(value, SafeData) else text)  # noqa: S308


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html."""
    out = []
    for name, value in attrs.items():
        if value is not False:
            out.append(" " + _text(name))
            if value is not True:
                out.append(f'="{_formatted(value)}"')
    return "".join(out)


def _option(option: dict) -> str:
    """django/forms/widgets/select_option.html (its final newline included, as the include renders it)."""
    if option.get("template_name") != "django/forms/widgets/select_option.html":
        raise CannotRender
    return f'<option value="{_formatted(option["value"])}"{_attrs(option["attrs"])}>{_text(option["label"])}</option>\n'


def render_select(widget: dict) -> str:
    parts = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_text(group_name)}">')
        parts.extend("\n  " + _option(option) for option in group_choices)
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def render_input(widget: dict) -> str:
    value = widget["value"]
    shown = f' value="{_formatted(value)}"' if value != None else ""  # noqa: E711 (the template's `!= None`)
    return f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"{shown}{_attrs(widget["attrs"])}>'


# Django's templates of these input types are `{% include "django/forms/widgets/input.html" %}`.
INPUTS = ("text", "date", "number", "email", "checkbox", "hidden", "password", "url", "tel", "search", "time")
FAST = {"django/forms/widgets/select.html": render_select, "django/forms/widgets/input.html": render_input}
FAST.update({f"django/forms/widgets/{name}.html": render_input for name in INPUTS})


MEMO_PREFIXES = ("django/forms/widgets/", "dsfr/widgets/")
MEMO_SIZE = 256


def _frozen(value):
    """A hashable copy of a widget's context made of text, numbers, lists and dicts only (else CannotRender)."""
    if value is None or type(value) in (bool, int, float):
        return (type(value).__name__, value)
    if isinstance(value, str):
        return ("safe" if isinstance(value, SafeData) else "str", str(value))
    if isinstance(value, Promise):
        return ("lazy", str(value))
    if isinstance(value, list | tuple):
        return (type(value).__name__, tuple(_frozen(item) for item in value))
    if isinstance(value, dict):
        return ("dict", tuple((_frozen(k), _frozen(v)) for k, v in value.items()))
    raise CannotRender


class FastTemplatesSetting(TemplatesSetting):
    """settings.FORM_RENDERER: TemplatesSetting, with the FAST widgets in Python while their templates are Django's,
    and the other widget templates (DSFR's checkbox lists…) rendered once per distinct widget context.

    A widget template is rendered from its context alone (no request, no context processors), so the same
    context gives the same markup: the thesaurus' checkbox list of the annuaire, ≈ 100 options and two
    template includes each, is rendered once per selection instead of on every page.
    """

    def __init__(self):
        self.memo: dict = {}

    def render(self, template_name, context, request=None):
        fast = FAST.get(template_name)
        if fast is not None and self.is_djangos(template_name):
            try:
                return mark_safe(fast(context["widget"]).strip())  # noqa: S308 (every value escaped above)
            except CannotRender:
                pass
        memo = request is None and not settings.DEBUG  # DEBUG: an edited template shows at once
        if memo and template_name.startswith(MEMO_PREFIXES) and list(context) == ["widget"]:
            return self._memoized(template_name, context)
        return super().render(template_name, context, request)

    def _memoized(self, template_name, context):
        try:
            key = (template_name, get_language(), _frozen(context["widget"]))
        except CannotRender:
            return super().render(template_name, context)
        html = self.memo.get(key)
        if html is None:
            html = super().render(template_name, context)
            if len(self.memo) < MEMO_SIZE:
                self.memo[key] = html
        return html

    @cache  # noqa: B019 (one renderer per process; a handful of template names)
    def is_djangos(self, template_name: str) -> bool:
        """The template and the ones it includes are Django's own files (not overridden by the project or a package)."""
        names = [template_name.rsplit("/", 1)[1], *OWN]
        if names[0] != "select.html":
            names.append("input.html")
        for name in names:
            origin = self.get_template(f"django/forms/widgets/{name}").origin.name
            if Path(origin).resolve() != DJANGO_WIDGETS / name:
                return False
        return True


def unbound_form_html(form_class, prefix: str | None = None) -> str:
    """`{{ form }}` of an unbound form whose fields and choices are fixed in code (enums, never the database):
    the same markup on every page, so rendered once per process and language (the dossier page's cancel form:
    two DSFR field groups, ≈ 2 ms each time). tests/core/test_forms_renderer.py checks it equals `str(form)`."""
    if settings.DEBUG:  # as the widget memo above: an edited template shows at once
        return str(form_class(prefix=prefix))
    return _unbound_form_html(form_class, prefix, get_language())


@cache
def _unbound_form_html(form_class, prefix, language) -> str:
    return str(form_class(prefix=prefix))
