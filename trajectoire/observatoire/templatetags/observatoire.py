"""Published figures: small counts hidden (« < 5 »), French number formats, « — » when not published."""

from django import template

from ..services import french_decimal, shown

register = template.Library()


@register.filter
def publie(count):
    return shown(count)


@register.filter
def pourcent(value):
    return french_decimal(value, " %", missing="—")


@register.filter
def heures(value):
    return french_decimal(value, " h", missing="—")


@register.filter
def jours(value):
    return french_decimal(value, " j", missing="—")
