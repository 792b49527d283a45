"""Demande pages: the structure's inbox, a demande with its actions and timeline, the sender's follow-up."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from trajectoire.accounts.permissions import professional_required
from trajectoire.audit.enums import Action
from trajectoire.audit.services import record, record_all
from trajectoire.directory.models import Unite

from . import delais, forms, services
from .enums import Side, Statut
from .models import UNREAD_FIRST
from .permissions import demandes_visible_to, dossier_url_for, inbox_for, receiving_structures
from .rows import demande_rows
from .workflow import TransitionError, available


@professional_required
def inbox(request):
    """The structure's demandes, unread first, filterable by unit, status, date, urgency and domain."""
    structures = receiving_structures(request.user)
    unites = Unite.objects.filter(structure__in=structures).select_related("structure").only("name", "structure__name")
    form = forms.InboxFilterForm(request.GET or None, unites=unites)
    queryset = form.filter(inbox_for(request.user)).annotate(unread=UNREAD_FIRST)
    page = Paginator(queryset.order_by("unread", "-urgente", "-sent_at"), 25).get_page(request.GET.get("page"))
    page.object_list = demande_rows(page.object_list)
    return render(request, "demandes/inbox.html", {"title": "Demandes reçues", "form": form, "page": page})


@login_required
def detail(request, pk):
    demande = get_object_or_404(
        demandes_visible_to(request.user).select_related("dossier__patient", "unite", "structure", "sent_by"), pk=pk
    )
    side = services.side_of(request.user, demande)
    if side == Side.STRUCTURE:
        demande = services.mark_read(demande, request.user)
    record(Action.VIEW, request=request, obj=demande)
    delais.with_attente([demande])
    events = demande.events.select_related("actor")
    return render(
        request,
        "demandes/detail.html",
        {
            "title": f"Demande n° {demande.pk}",
            "demande": demande,
            "side": side,
            "events": events,
            "actions": {t.name for t in available(demande.statut, side)} if side else set(),
            "forms": _action_forms(demande.dossier.domain),
            "Side": Side,
            "dossier_url": dossier_url_for(request.user, demande.dossier),
        },
    )


def _action_forms(domain):
    return {
        "demander_complement": forms.ComplementRequestForm(prefix="complement"),
        "completer": forms.MessageForm(prefix="reponse"),
        "accepter": forms.AcceptForm(prefix="accepter"),
        "mettre_en_attente": forms.WaitingListForm(prefix="attente"),
        "refuser": forms.RefuseForm(prefix="refus", domain=domain),
        "enregistrer_admission": forms.AdmissionForm(prefix="admission"),
        "annuler": forms.CancelForm(prefix="annulation"),
    }


# action name -> (form class, prefix, service call)
ACTIONS = {
    "demander_complement": (
        forms.ComplementRequestForm,
        "complement",
        lambda d, u, c: services.ask_complement(d, u, c["message"]),
    ),
    "completer": (forms.MessageForm, "reponse", lambda d, u, c: services.answer_complement(d, u, c["message"])),
    "accepter": (
        forms.AcceptForm,
        "accepter",
        lambda d, u, c: services.accept(d, u, c["date_admission"], c["message"]),
    ),
    "mettre_en_attente": (
        forms.WaitingListForm,
        "attente",
        lambda d, u, c: services.put_on_waiting_list(d, u, c["message"]),
    ),
    "refuser": (forms.RefuseForm, "refus", lambda d, u, c: services.refuse(d, u, c["motif"], c["comment"])),
    "enregistrer_admission": (
        forms.AdmissionForm,
        "admission",
        lambda d, u, c: services.record_admission(d, u, c["date_entree"]),
    ),
    "annuler": (forms.CancelForm, "annulation", lambda d, u, c: services.cancel(d, u, c["motif"], c["comment"])),
    "confirmer_admission": (None, "", lambda d, u, c: services.confirm_admission(d, u)),
    "decliner": (None, "", lambda d, u, c: services.decline_offer(d, u)),
}

SUCCESS = {
    "demander_complement": "Votre demande de complément a été envoyée.",
    "completer": "Votre réponse a été transmise à la structure.",
    "accepter": "La proposition d’admission a été envoyée au demandeur.",
    "mettre_en_attente": "La demande est inscrite sur liste d’attente.",
    "refuser": "La demande est refusée ; le demandeur en est informé.",
    "enregistrer_admission": "L’entrée du patient est enregistrée.",
    "annuler": "La demande est annulée ; la structure en est informée.",
    "confirmer_admission": "Admission confirmée. Les autres demandes du dossier ont été clôturées.",
    "decliner": "Vous avez décliné la proposition d’admission.",
}


@login_required
@require_POST
def act(request, pk, action):
    """A button of the demande's page. As the API's Task update: the services' dossier lock first, then the
    demande read once, under it, through the user's visibility (404 otherwise), and lent to the service
    (`services.holding`) instead of being locked and read again; the service's audit row is written with it."""
    if action not in ACTIONS:
        raise Http404
    form_class, prefix, call = ACTIONS[action]
    try:
        with transaction.atomic():
            visible = demandes_visible_to(request.user).select_related("dossier", "unite")
            demande = services.locked_demande(visible, pk)
            if demande is None:
                raise Http404
            cleaned = {}
            if form_class is not None:
                extra = {"domain": demande.dossier.domain} if form_class is forms.RefuseForm else {}
                form = form_class(request.POST, prefix=prefix, **extra)
                if not form.is_valid():
                    for field_errors in form.errors.values():
                        for error in field_errors:
                            messages.error(request, error)
                    return redirect("demandes:detail", pk=pk)
                cleaned = form.cleaned_data
            audit: list = []
            with services.holding(demande, audit):
                call(demande, request.user, cleaned)
            record_all(audit)
    except TransitionError as exc:  # refused: nothing was written (the transaction is rolled back)
        messages.error(request, str(exc))
    else:
        messages.success(request, SUCCESS[action])
    return redirect("demandes:detail", pk=pk)


@professional_required
def mes_demandes(request):
    """The sender's follow-up: what needs my action first, then everything by dossier."""
    from .permissions import sent_demandes_q

    queryset = services.Demande.objects.filter(sent_demandes_q(request.user)).order_by("-status_changed_at")
    statut = request.GET.get("statut", "")
    if statut in Statut.values:
        queryset = queryset.filter(statut=statut)
    to_act = demande_rows(queryset.filter(statut__in=[Statut.ACCEPTEE, Statut.COMPLEMENT_DEMANDE])[:50], attente=False)
    page = Paginator(queryset, 30).get_page(request.GET.get("page"))
    page.object_list = demande_rows(page.object_list)
    return render(
        request,
        "demandes/mes_demandes.html",
        {"title": "Mes demandes", "to_act": to_act, "page": page, "statut": statut, "statuts": Statut.choices},
    )
