from django.db.models import Count, Q

from trajectoire.accounts.enums import Role
from trajectoire.accounts.permissions import structures_for
from trajectoire.core.panels import Panel

from .enums import Statut
from .permissions import receiving_structures, sender_dossiers


def demandes(request):
    """Sender: what needs my action. Structure: unread demandes per structure. Référent: manage links."""
    user = request.user
    if not user.is_professionnel and not user.is_usager:
        return None
    received = (
        receiving_structures(user)
        .annotate(
            unread=Count("demandes", filter=Q(demandes__read_at__isnull=True)),
            a_traiter=Count("demandes", filter=Q(demandes__statut__in=[Statut.ENVOYEE, Statut.LUE, Statut.COMPLETEE])),
        )
        .order_by("name")
    )
    sent = sender_dossiers(user)
    counts = {
        "a_confirmer": sent.filter(demandes__statut=Statut.ACCEPTEE).count(),
        "complements": sent.filter(demandes__statut=Statut.COMPLEMENT_DEMANDE).count(),
    }
    return Panel(
        "demandes/panel.html",
        {"received": list(received), "counts": counts, "referent_of": list(structures_for(user, Role.REFERENT))},
        order=10,
    )
