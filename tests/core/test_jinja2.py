"""The fragments' escaping and `floatformat` (core.jinja2) print what Django prints: `conditional_escape`'s text for
every value, Django's `floatformat` for every value the fast path takes itself and for the ones it hands over."""

import math
import random
from decimal import Decimal

import pytest
from django.template import defaultfilters, engines
from django.utils import translation
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy
from markupsafe import Markup

from trajectoire.core.jinja2 import finalize, floatformat

ESCAPED = ["L'Orée & <b>\"x\"</b>", "", 12345, 1.5, Decimal("2.50"), None, True, mark_safe("<i>sûr</i>"),
           Markup("<b>m</b>"), gettext_lazy("Annulée"), ["a", "<b>"], "a&b", "<", ">", '"', "'",
           "Saint-Étienne — l’Isle", "&amp;", -7, 0, False]  # fmt: skip


@pytest.mark.parametrize("value", ESCAPED)
def test_values_are_escaped_as_djangos_conditional_escape(value):
    assert str(finalize(value)) == str(conditional_escape(value))
    rendered = engines["jinja2"].from_string("{{ v }}").render({"v": value})
    assert rendered == str(conditional_escape(value))


def values(rng: random.Random):
    edges = [0.0, -0.0, 0.05, 0.15, 0.25, 2.25, 2.675, 1.005, -1.5, -0.04, 0.5, 1.5, 2.5, 12.345, 999999.95, 1e14,
             9.999999e14, 1e15, 1e16, 123456789.125, math.inf, -math.inf, math.nan, 5e-7, 1e-20]  # fmt: skip
    yield from edges
    yield from (Decimal(str(v)) for v in edges if math.isfinite(v))
    yield from (Decimal("2345.675"), Decimal("-0.005"), Decimal("1E+3"), Decimal("0E-8"), Decimal("NaN"))
    for _ in range(5_000):
        magnitude = 10 ** rng.randint(-4, 8)
        v = rng.uniform(-1, 1) * magnitude
        yield v
        yield round(v, rng.randint(0, 4))  # exact halves and short decimals, where rounding modes differ
        yield Decimal(str(round(v, rng.randint(0, 5))))
    yield from (3, "12.5", "abc", None, True)  # not floats: Django's filter


@pytest.mark.parametrize("language", ["fr", "en"])
def test_same_text_as_djangos_filter(language):
    rng = random.Random(20)
    with translation.override(language):
        for value in values(rng):
            for arg in (0, 1, 2, 3, 6, -1, -2, "1", "2g", "1u"):
                expected = defaultfilters.floatformat(value, arg)
                assert floatformat(value, arg) == expected, (value, arg)


def test_french_decimal_comma_and_half_up():
    with translation.override("fr"):
        assert floatformat(12.25, 1) == "12,3"  # Django rounds the decimal text half up (not the binary value)
        assert floatformat(Decimal("2345.5"), 0) == "2346"
        assert floatformat(-0.04, 1) == "0,0"


def test_thousand_separators_on_go_to_django(settings):
    settings.USE_THOUSAND_SEPARATOR = True
    with translation.override("fr"):
        assert floatformat(12345.25, 1) == defaultfilters.floatformat(12345.25, 1)
