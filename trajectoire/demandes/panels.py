from django.db.models import Count, Q

from trajectoire.accounts.enums import Role
from trajectoire.accounts.models import USER_NAME_FIELDS
from trajectoire.accounts.permissions import structures_named_for
from trajectoire.core.forms_renderer import unbound_form_html
from trajectoire.core.panels import Panel
from trajectoire.core.prepared import prepared
from trajectoire.dossiers.enums import Statut as DossierStatut

from . import delais, permissions
from .enums import OPEN_STATUTS, Statut
from .forms import CancelForm
from .models import Demande, DemandeEvent
from .permissions import receiving_structure_ids, receiving_structures, sender_dossiers

CANCELLABLE = {*OPEN_STATUTS, Statut.ADMISSION_CONFIRMEE}
# What the dossier page's panel shows of each demande (dossier_panel.html, delais.attente) and of each event of the
# timeline: whole FINESS structures, units and user rows were 60 + 78 columns to build and read for a dozen used.
PANEL_FIELDS = (
    *("dossier_id", "unite_id", "structure_id", *delais.ATTENTE_FIELDS),
    *("date_admission_proposee", "structure__name", "unite__name"),
)
EVENT_FIELDS = (
    *("demande_id", "dossier_id", "at", "label", "motif", "actor_id", "demande__structure_id"),
    *("demande__structure__name", *(f"actor__{name}" for name in USER_NAME_FIELDS)),
)


def demandes(request):
    """Sender: what needs my action. Structure: unread demandes per structure. Référent: manage links."""
    user = request.user
    if not user.is_professionnel and not user.is_usager:
        return None
    received = (
        receiving_structures(user)
        .only("name")  # the panel shows the name and the two counts
        .annotate(
            unread=Count("demandes", filter=Q(demandes__read_at__isnull=True)),
            a_traiter=Count("demandes", filter=Q(demandes__statut__in=[Statut.ENVOYEE, Statut.LUE, Statut.COMPLETEE])),
        )
        .order_by("name")
    )
    counts = sender_dossiers(user).aggregate(  # demandes of my dossiers awaiting me, one query
        a_confirmer=Count("demandes", filter=Q(demandes__statut=Statut.ACCEPTEE), distinct=True),
        complements=Count("demandes", filter=Q(demandes__statut=Statut.COMPLEMENT_DEMANDE), distinct=True),
    )
    return Panel(
        "demandes/panel.html",
        {"received": list(received), "counts": counts, "referent_of": structures_named_for(user, Role.REFERENT)},
        order=10,
    )


def _panel_shape(demandes):
    return demandes.select_related("structure", "unite").only(*PANEL_FIELDS).order_by("-sent_at")


@prepared
def _panel_demandes(*, dossier_id: int):
    return _panel_shape(Demande.objects.filter(dossier_id=dossier_id))


@prepared
def _panel_events(*, dossier_id: int):  # a list: the fragment (demandes/_dossier_panel_events.html) gets values
    return (
        DemandeEvent.objects.filter(dossier_id=dossier_id)
        .select_related("actor", "demande__structure")
        .only(*EVENT_FIELDS)
    )


def demandes_du_dossier(request, dossier):
    """On a dossier's page: its demandes and timeline for the sender; only its own demande for a structure."""
    user = request.user
    is_sender = permissions.is_sender(user, dossier)
    if is_sender:  # the same two queries on every sender's page: their SQL is kept (core.prepared)
        demandes = delais.with_attente(_panel_demandes.queryset(dossier_id=dossier.pk, known={"dossier": dossier}))
        events = _panel_events.all(dossier_id=dossier.pk, known={"dossier": dossier})
    else:
        demandes = list(_panel_shape(dossier.demandes.filter(structure_id__in=receiving_structure_ids(user))))
        events = []
        if not demandes:
            return None
    live = dossier.statut in (DossierStatut.BROUILLON, DossierStatut.TRANSMIS)
    return Panel(
        "demandes/dossier_panel.html",
        {
            "dossier": dossier,
            "demandes": demandes,
            "is_sender": is_sender,
            "can_send": is_sender and live,
            "can_cancel": is_sender and any(d.statut in CANCELLABLE for d in demandes),
            "cancel_form": unbound_form_html(CancelForm, "annulation"),
            "events": events,
        },
        order=5,
    )
