"""Published figures: small counts hidden (« < 5 »), French number formats, « — » when not published."""

from django import template

from ..services import shown

register = template.Library()


@register.filter
def publie(count):
    return shown(count)


def _french(value, unit: str) -> str:
    if value is None:
        return "—"
    return f"{value:.1f}".replace(".", ",") + unit


@register.filter
def pourcent(value):
    return _french(value, " %")


@register.filter
def heures(value):
    return _french(value, " h")


@register.filter
def jours(value):
    return _french(value, " j")
