"""Faster `{% url %}` and `|date` for every template (a builtin library, settings.TEMPLATES), same output.

Profiles of the list pages (docs/performance.md) put a large share of their time in these two, once per
row: `reverse()` walks the resolver and checks the candidate against the pattern's regex for each row,
`date_format()` looks up the locale's formats for each value. Both results depend on little:

- `{% url 'demandes:detail' d.pk %}`: for plain non-negative integer arguments, the URL of a view is a
  fixed text with the numbers in it. It is learnt once per (view, number of arguments, current app,
  script prefix, urlconf, language) from Django's own `reverse()` with two probes of different lengths,
  and used only when both give the same text; anything else (keyword or non-integer arguments, a
  pattern the probes do not fit) goes through `reverse()` as before.
- `|date:"d/m/Y"` (and « d/m/Y H:i », « H:i »): numeric fields only, no translation; other formats and
  values go through Django's filter. The value is already in local time (`expects_localtime`).

tests/core/test_rendering.py compares both with Django's implementation over every URL of the project
and over dates around the daylight-saving changes.
"""

from __future__ import annotations

import datetime as dt

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template import defaultfilters, defaulttags
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()

PROBES = ((9081726354, 9182736455, 9283746556), (7, 8, 9))
SLOW = object()  # this view's URLs are not learnt: reverse() each time
_patterns: dict[tuple, object] = {}
MAX_PATTERNS = 5000


def _learn(view_name: str, count: int, current_app: str | None) -> object:
    """The URL's text around its integer arguments, or SLOW when Django's reverse() does not fit that shape."""
    try:
        first, second = (reverse(view_name, args=probe[:count], current_app=current_app) for probe in PROBES)
    except NoReverseMatch:
        return SLOW
    parts, rest = [], first
    for probe in PROBES[0][:count]:
        before, found, rest = rest.partition(str(probe))
        if not found or str(probe) in rest:
            return SLOW
        parts.append(before)
    parts.append(rest)
    if _join(parts, PROBES[1][:count]) != second:
        return SLOW
    return tuple(parts)


def _join(parts, args) -> str:
    pieces = [parts[0]]
    for arg, part in zip(args, parts[1:], strict=True):
        pieces += [str(arg), part]
    return "".join(pieces)


def fast_reverse(view_name, args, kwargs, current_app) -> str:
    if kwargs or len(args) > len(PROBES[0]) or not all(type(a) is int and a >= 0 for a in args):
        return reverse(view_name, args=args, kwargs=kwargs, current_app=current_app)
    key = (view_name, len(args), current_app, get_script_prefix(), get_urlconf(), get_language())
    parts = _patterns.get(key)
    if parts is None:
        parts = _learn(view_name, len(args), current_app)
        if len(_patterns) < MAX_PATTERNS:
            _patterns[key] = parts
    if parts is SLOW:
        return reverse(view_name, args=args, current_app=current_app)
    return _join(parts, args)


class FastURLNode(defaulttags.URLNode):
    """Django's URLNode.render with fast_reverse() in place of reverse()."""

    def render(self, context):
        args = [arg.resolve(context) for arg in self.args]
        kwargs = {k: v.resolve(context) for k, v in self.kwargs.items()}
        view_name = self.view_name.resolve(context)
        try:
            current_app = context.request.current_app
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace
            except AttributeError:
                current_app = None
        url = ""
        try:
            url = fast_reverse(view_name, args, kwargs, current_app)
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser, token):
    node = defaulttags.url(parser, token)
    node.__class__ = FastURLNode
    return node


NUMERIC_FORMATS = {
    "d/m/Y": lambda v: f"{v.day:02d}/{v.month:02d}/{v.year:04d}",
    "d/m/Y H:i": lambda v: f"{v.day:02d}/{v.month:02d}/{v.year:04d} {v.hour:02d}:{v.minute:02d}",
    "H:i": lambda v: f"{v.hour:02d}:{v.minute:02d}",
}
TIME_FORMATS = {"d/m/Y H:i", "H:i"}


@register.filter(expects_localtime=True, is_safe=False)
def date(value, arg=None):
    """Django's `date` filter; the numeric formats above without the locale lookups."""
    fast = NUMERIC_FORMATS.get(arg)
    if fast is not None and (type(value) is dt.datetime or (type(value) is dt.date and arg not in TIME_FORMATS)):
        return fast(value)
    return defaultfilters.date(value, arg)


@register.simple_tag
def jinja(template_name: str, **context) -> str:
    """`{% jinja "demandes/_inbox_rows.html" rows=page.object_list %}`: a Jinja2 fragment (core/jinja2.py),
    rendered with these values only (not the page's context), escaped by the fragment itself."""
    from django.template import engines

    return mark_safe(engines["jinja2"].get_template(template_name).render(context))  # noqa: S308


_once: dict[tuple[str, str | None], str] = {}


@receiver(setting_changed)
def _forget_once(**kwargs) -> None:
    """A setting changed (tests: override_settings): what {% once %} kept may have used it (site title, static
    storage)."""
    _once.clear()


class OnceNode(template.Node):
    def __init__(self, name: str, nodelist):
        self.name, self.nodelist = name, nodelist

    def render(self, context) -> str:
        key = (self.name, get_language())
        html = _once.get(key)
        if html is None:
            html = _once[key] = self.nodelist.render(context)
        return html


@register.tag
def once(parser, token):
    """`{% once "dsfr-head" %}…{% endonce %}`: rendered the first time, then the same text for the life of the
    process (per language). Only for markup that depends on nothing of the request nor the page — the shell's
    DSFR styles, favicons, theme dialog and footer (static URLs, settings): ≈ 1 ms of template per page
    (docs/performance.md). Never around a nonce, a token, a user or a page variable."""
    bits = token.split_contents()
    if len(bits) != 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError('{% once %} prend un nom entre guillemets : {% once "nom" %}')
    nodelist = parser.parse(("endonce",))
    parser.delete_first_token()
    return OnceNode(bits[1][1:-1], nodelist)
