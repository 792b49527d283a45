"""Choosing structures: the family's search with monthly costs, sending, following answers, offers."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from trajectoire.core.parsing import parse_ids
from trajectoire.demandes import inactivity
from trajectoire.demandes.delais import avec_delai_habituel
from trajectoire.demandes.workflow import TransitionError
from trajectoire.directory.models import Unite
from trajectoire.directory.search import SearchError
from trajectoire.dossiers import services as dossier_services

from .forms import RechercheForm
from .permissions import dossier_or_404, famille_required
from .services import choix
from .services.comptes import CompteError


@famille_required
@require_http_methods(["GET", "POST"])
def recherche(request, pk):
    dossier = dossier_or_404(request.user, pk)
    if request.method == "POST":
        ids = parse_ids(request.POST.getlist("unites"))
        unites = list(Unite.objects.filter(pk__in=ids, is_active=True).select_related("structure"))
        if not unites:
            messages.error(request, "Cochez au moins un établissement dans la liste.")
        else:
            try:
                demandes = choix.send(dossier, unites, by=request.user)
            except CompteError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, f"Votre demande est envoyée à {len(demandes)} établissement(s).")
                return redirect("usagers:dossier", pk=dossier.pk)
    dossier_services.record_read(request, dossier, medical=False)
    form = RechercheForm(request.GET or None, initial={"structure_type": dossier.prise_en_charge, "rayon": 30})
    recherche, errors = None, {}
    data = form.cleaned_data if form.is_valid() else {}
    try:
        recherche = choix.family_search(
            dossier,
            structure_type=data.get("structure_type") or dossier.prise_en_charge,
            commune=data.get("commune", ""),
            radius_km=data.get("rayon") or None,
            free_places_only=data.get("places", False),
        )
    except SearchError as exc:
        errors = exc.errors
    else:
        avec_delai_habituel(recherche.resultats)
    context = {
        "title": "Choisir des établissements",
        "dossier": dossier,
        "form": form,
        "recherche": recherche,
        "errors": errors,
        "already": set(dossier.demandes.open().values_list("unite_id", flat=True)),
        "reasons": choix.blocking_reasons(dossier, request.user),
    }
    return render(request, "usagers/recherche.html", context)


def _demande(request, pk, demande_id):
    dossier = dossier_or_404(request.user, pk)
    return get_object_or_404(dossier.demandes.select_related("structure", "dossier"), pk=demande_id)


@famille_required
@require_POST
def accepter(request, pk, demande_id):
    demande = _demande(request, pk, demande_id)
    try:
        choix.accept_offer(demande, by=request.user)
    except TransitionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, f"Vous avez accepté la place à « {demande.structure.name} ». Les autres demandes sont closes."
        )
    return redirect("usagers:dossier", pk=pk)


@famille_required
@require_POST
def decliner(request, pk, demande_id):
    demande = _demande(request, pk, demande_id)
    try:
        choix.decline_offer(demande, by=request.user, comment=request.POST.get("commentaire", "")[:500])
    except TransitionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Vous avez refusé la proposition de « {demande.structure.name} ».")
    return redirect("usagers:dossier", pk=pk)


@famille_required
@require_POST
def toujours_actualite(request, pk):
    """« Votre dossier est-il toujours d’actualité ? » — the same rule as the doctors' button."""
    dossier = dossier_or_404(request.user, pk)
    inactivity.confirm_still_current(dossier)
    messages.success(request, "Merci : votre dossier reste actif.")
    return redirect("usagers:dossier", pk=dossier.pk)
