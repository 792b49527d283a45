"""Jinja2 for the hottest fragments of pages: the rows of long lists, inside pages that stay Django templates.

The profile of the list pages (docs/performance.md, « Pages, fifth pass ») puts a third of the inbox's CPU in
rendering its 25 rows: Django's engine resolves each `{{ d.x }}` by trying a dictionary lookup, an attribute,
then an index, and renders every tag and include as a node. The same rows compiled by Jinja2 to Python cost
about a third. Only fragments are Jinja2: the DSFR shell (django-dsfr's tags), forms and pages stay Django
templates, which render a fragment with `{% jinja "app/_fragment.html" name=value %}`
(`core/templatetags/rendering.py`). Fragments live in `<app>/jinja2/` (Django's Jinja2 backend, settings
TEMPLATES) and receive plain values, never querysets: an undefined name raises (StrictUndefined) instead of
rendering nothing.

Same bytes as Django's engine: values are escaped as Django's `conditional_escape` does (`finalize`), so « L'Orée »
gives `&#x27;` as before, not markupsafe's `&#39;`; `date` and `url` are the builtin library's fast versions
(local time first, as Django's `date` filter expects), `floatformat` gives Django's output (faster for plain
numbers), `linebreaksbr` is Django's; other numbers are not localised, so fragments format decimals with
`floatformat`. Filters of the apps are named in
settings (TEMPLATES OPTIONS `filters`: dotted paths), so core imports nothing of the domain.
"""

from __future__ import annotations

import html
from decimal import ROUND_HALF_UP, Decimal

import jinja2
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template import defaultfilters
from django.utils.formats import get_format
from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.timezone import template_localtime
from django.utils.translation import get_language
from markupsafe import Markup

from .templatetags.rendering import date as fast_date
from .templatetags.rendering import fast_reverse


def date(value, arg=None) -> str:
    """Django's `{{ value|date:arg }}`: the value in local time, then formatted."""
    return fast_date(template_localtime(value), arg)


_QUANTUM = {places: Decimal(1).scaleb(-places) for places in range(7)}
_FAST_LIMIT = Decimal(10) ** 15


def floatformat(value, arg=-1):
    """Django's `floatformat` filter, same output (tests/core/test_jinja2.py compares the two on
    45,000 values), for the fragments' finite floats and Decimals with 0–6 decimals asked: the value's decimal
    text rounded half up, as Django does (Decimal(str(value)).quantize(ROUND_HALF_UP)), and the language's decimal
    separator — without `formats.number_format`'s lookups per call: 9 → 1–3 µs; a dense search's page formats
    up to 250 distances (docs/performance.md, eighth pass). Anything else (a 'g' or 'u' suffix, a negative
    argument, thousand separators on, a string, a huge number) goes to Django's filter."""
    kind = type(value)
    if (kind is not float and kind is not Decimal) or type(arg) is not int or not 0 <= arg <= 6:
        return defaultfilters.floatformat(value, arg)
    d = Decimal(repr(value)) if kind is float else value
    if not d.is_finite() or abs(d) >= _FAST_LIMIT or settings.USE_THOUSAND_SEPARATOR:
        return defaultfilters.floatformat(value, arg)
    rounded = d.quantize(_QUANTUM[arg], ROUND_HALF_UP)
    text = f"{rounded if rounded else rounded.copy_abs():f}"  # -0.0 is « 0,0 », as Django prints it
    return text if arg == 0 else text.replace(".", _decimal_separator())  # digits: nothing to escape


_SEPARATORS: dict[str | None, str] = {}  # per language: get_format's own cache costs 2–4 µs a call


def _decimal_separator() -> str:
    language = get_language()
    separator = _SEPARATORS.get(language)
    if separator is None:
        separator = _SEPARATORS[language] = get_format("DECIMAL_SEPARATOR")
    return separator


@receiver(setting_changed)
def _forget_separators(**kwargs) -> None:  # as Django's get_format forgets its own (tests)
    _SEPARATORS.clear()


def finalize(value):
    """Django's `conditional_escape` (the same text: « L'Orée » gives `&#x27;`), for every value a fragment
    prints, without the lazy-string wrapper Django puts around `escape` (a dense search's page prints ≈ 1,500;
    tests/core/test_jinja2.py). Jinja's autoescape then wraps what this returns: a str with none of the five
    characters either escapes (most names, labels) and an int are handed over as they are, which Jinja's C escape
    leaves unchanged — one Markup made per value instead of two (docs/performance.md, ninth pass)."""
    kind = type(value)
    if kind is str:
        if "&" in value or "<" in value or ">" in value or '"' in value or "'" in value:
            return Markup(html.escape(value))  # noqa: S704 (escaped here, as Django's escape does)
        return value
    if kind is int:  # ids, counts: nothing to escape
        return value
    return _escaped(value)


def _escaped(value) -> Markup:
    if isinstance(value, Promise):
        value = str(value)
    if hasattr(value, "__html__"):
        return Markup(value.__html__())  # noqa: S704 (marked safe by its maker, as conditional_escape trusts it)
    return Markup(html.escape(str(value)))  # noqa: S704 (escaped here, as Django's escape does)


def join(items, separator: str) -> Markup:
    """Django's `join` filter under autoescape: each item and the separator escaped as `finalize` does (Jinja's
    own escapes « ' » as `&#39;`, Django as `&#x27;`), without a loop and its `loop.last` per item."""
    return Markup(_escaped(separator).join(_escaped(item) for item in items))  # noqa: S704 (each part escaped)


def url(view_name: str, *args, **kwargs) -> str:
    """Django's `{% url view_name arg … %}`."""
    return fast_reverse(view_name, args, kwargs, None)


def environment(*, filters: dict[str, str] | None = None, **options) -> jinja2.Environment:
    options.update(undefined=jinja2.StrictUndefined, finalize=finalize, autoescape=True)
    env = jinja2.Environment(**options)  # noqa: S701 (autoescape is on, and finalize escapes as Django does)
    env.filters["date"] = date
    env.filters["floatformat"] = floatformat  # Django's output: « 12,5 » in French, as the pages
    env.filters["linebreaksbr"] = defaultfilters.linebreaksbr  # Django's own (escapes, then <br>)
    env.filters["join"] = join  # Django's escaping
    env.filters.update({name: import_string(path) for name, path in (filters or {}).items()})
    env.globals["url"] = url
    return env
