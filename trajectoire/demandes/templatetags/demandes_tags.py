"""The status badge of a demande, rendered in Python: lists show one per row (docs/performance.md)."""

from django import template
from django.utils.html import format_html

from trajectoire.demandes.enums import Statut

register = template.Library()

BADGE_CLASS = {
    Statut.ACCEPTEE: "fr-badge--success",
    Statut.ADMISSION_CONFIRMEE: "fr-badge--success",
    Statut.ADMIS: "fr-badge--success",
    Statut.REFUSEE: "fr-badge--error",
    Statut.COMPLEMENT_DEMANDE: "fr-badge--warning",
    Statut.LISTE_ATTENTE: "fr-badge--warning",
    Statut.ANNULEE: "",
    Statut.CLOTUREE: "",
}


def _badge(statut: str, label: str) -> str:
    modifier = BADGE_CLASS.get(statut, "fr-badge--info")
    return format_html('<span class="fr-badge fr-badge--sm fr-badge--no-icon {}">{}</span>', modifier, label)


BADGES = {statut: _badge(statut, label) for statut, label in Statut.choices}  # built once: same for every row


@register.filter
def statut_badge(demande) -> str:
    """`<span class="fr-badge …">Acceptée</span>`: success, error, warning, neutral (cancelled, closed) or info."""
    badge = BADGES.get(demande.statut)
    return badge if badge is not None else _badge(demande.statut, demande.get_statut_display())


@register.filter
def attente_badge(attente) -> str:
    """How long the demande waits for its first answer against its target (`delais.Attente`), « » when it
    does not wait: warning once the target is past. Rows of the lists and the demande's page."""
    if not attente:
        return ""
    if attente.depassee:
        return format_html(
            '<p class="fr-badge fr-badge--sm fr-badge--warning attente-reponse">{} : délai cible de {} dépassé</p>',
            attente.texte,
            attente.cible_texte,
        )
    return format_html(
        '<p class="fr-badge fr-badge--sm fr-badge--info fr-badge--no-icon attente-reponse">{} (délai cible : {})</p>',
        attente.texte,
        attente.cible_texte,
    )
