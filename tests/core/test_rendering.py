"""The faster {% url %} and |date (core/templatetags/rendering.py) give exactly Django's output."""

import datetime as dt
import zoneinfo

import pytest
from django.template import Context, Engine, engines
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse, set_script_prefix

from trajectoire.core.templatetags.rendering import FastURLNode, fast_reverse

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def named_views(resolver=None, namespace=""):
    """Every named URL of the project with its number of parameters."""
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from named_views(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", pattern.pattern.regex.groups


def outcome(func):
    """The result, or the class of the error (Django raises TypeError for a time format on a date)."""
    try:
        return func()
    except (NoReverseMatch, TypeError) as error:
        return type(error)


@pytest.mark.parametrize("script_prefix", ["/", "/trajectoire/"])
def test_every_url_of_the_project(script_prefix):
    views = list(named_views())
    assert len(views) > 50
    set_script_prefix(script_prefix)
    try:
        for name, groups in views:
            for args in ([0], [1], [42], [10**12], [3, 17], [], ["abc"], [-1], [True]):
                args = args if len(args) <= max(groups, 1) else args[:1]
                expected = outcome(lambda name=name, args=args: reverse(name, args=args))
                ours = outcome(lambda name=name, args=args: fast_reverse(name, args, {}, None))
                assert ours == expected, (name, args)
    finally:
        set_script_prefix("/")


def test_kwargs_and_strings_go_through_reverse():
    assert fast_reverse("directory:structure", ["010000001"], {}, None) == "/annuaire/structures/010000001/"
    assert fast_reverse("demandes:detail", [], {"pk": 5}, None) == reverse("demandes:detail", kwargs={"pk": 5})


def test_templates_use_the_fast_tag():
    template = engines["django"].from_string("{% url 'demandes:detail' pk %}|{% url 'core:home' as home %}{{ home }}")
    assert any(isinstance(node, FastURLNode) for node in template.template.nodelist)
    assert template.render({"pk": 12}) == f"{reverse('demandes:detail', args=[12])}|{reverse('core:home')}"
    with pytest.raises(NoReverseMatch):
        engines["django"].from_string("{% url 'demandes:detail' 'x' %}").render({})


def dates():
    for start in (dt.datetime(2026, 3, 29, 0, 0, tzinfo=dt.UTC), dt.datetime(2026, 10, 25, 0, 0, tzinfo=dt.UTC)):
        for minutes in range(0, 4 * 60, 17):
            yield start + dt.timedelta(minutes=minutes)
    yield dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=PARIS)
    yield dt.datetime(999, 12, 31, 23, 59)  # naive, year < 1000
    yield dt.date(2026, 7, 14)
    yield from (None, "", "pas une date", 0)


@pytest.mark.parametrize("fmt", ["d/m/Y", "d/m/Y H:i", "H:i", "j F Y", "SHORT_DATE_FORMAT", ""])
def test_date_filter_matches_django(fmt):
    source = f'{{{{ value|date:"{fmt}" }}}}' if fmt else "{{ value|date }}"
    ours = engines["django"].from_string(source).template
    django = Engine().from_string(source)  # Django's builtins only
    for value in dates():
        context = {"value": value}
        expected = outcome(lambda context=context: django.render(Context(context)))
        assert outcome(lambda context=context: ours.render(Context(context))) == expected, (fmt, value)
