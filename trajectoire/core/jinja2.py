"""Jinja2 for the hottest fragments of pages: the rows of long lists, inside pages that stay Django templates.

The profile of the list pages (docs/performance.md, « Pages, fifth pass ») puts a third of the inbox's CPU in
rendering its 25 rows: Django's engine resolves each `{{ d.x }}` by trying a dictionary lookup, an attribute,
then an index, and renders every tag and include as a node. The same rows compiled by Jinja2 to Python cost
about a third. Only fragments are Jinja2: the DSFR shell (django-dsfr's tags), forms and pages stay Django
templates, which render a fragment with `{% jinja "app/_fragment.html" name=value %}`
(`core/templatetags/rendering.py`). Fragments live in `<app>/jinja2/` (Django's Jinja2 backend, settings
TEMPLATES) and receive plain values, never querysets: an undefined name raises (StrictUndefined) instead of
rendering nothing.

Same bytes as Django's engine: values are escaped by Django's `conditional_escape` (`finalize`), so « L'Orée »
gives `&#x27;` as before, not markupsafe's `&#39;`; `date` and `url` are the builtin library's fast versions
(local time first, as Django's `date` filter expects), `floatformat` and `linebreaksbr` are Django's; other
numbers are not localised, so fragments format decimals with `floatformat`. Filters of the apps are named in
settings (TEMPLATES OPTIONS `filters`: dotted paths), so core imports nothing of the domain.
"""

from __future__ import annotations

import jinja2
from django.template import defaultfilters
from django.utils.html import conditional_escape
from django.utils.module_loading import import_string
from django.utils.timezone import template_localtime

from .templatetags.rendering import date as fast_date
from .templatetags.rendering import fast_reverse


def date(value, arg=None) -> str:
    """Django's `{{ value|date:arg }}`: the value in local time, then formatted."""
    return fast_date(template_localtime(value), arg)


def url(view_name: str, *args, **kwargs) -> str:
    """Django's `{% url view_name arg … %}`."""
    return fast_reverse(view_name, args, kwargs, None)


def environment(*, filters: dict[str, str] | None = None, **options) -> jinja2.Environment:
    options.update(undefined=jinja2.StrictUndefined, finalize=conditional_escape, autoescape=True)
    env = jinja2.Environment(**options)  # noqa: S701 (autoescape is on, and finalize escapes as Django does)
    env.filters["date"] = date
    env.filters["floatformat"] = defaultfilters.floatformat  # Django's own: « 12,5 » in French, as the pages
    env.filters["linebreaksbr"] = defaultfilters.linebreaksbr  # Django's own (escapes, then <br>)
    env.filters.update({name: import_string(path) for name, path in (filters or {}).items()})
    env.globals["url"] = url
    return env
