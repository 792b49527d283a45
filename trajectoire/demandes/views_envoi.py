"""From a dossier: search the structures able to take the patient, pick units, send.

Professionals only: the family sends from its own space (usagers), which never shows the GIR, the care needs
nor the units excluded for medical reasons (the family hook makes a usager a sender of their dossier).
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from trajectoire.accounts.permissions import professional_required
from trajectoire.core.parsing import parse_decimal, parse_float, parse_ids
from trajectoire.core.prepared import prepared
from trajectoire.directory.models import Unite
from trajectoire.directory.search import SearchError, search
from trajectoire.dossiers.models import Dossier
from trajectoire.dossiers.services import record_read

from . import delais, inactivity, services
from .forms import CancelForm
from .matching import criteres_for
from .models import Demande
from .permissions import dossier_url_for, is_sender, sender_dossiers
from .workflow import TransitionError


@prepared  # the same two queries on every search from a dossier: their SQL is kept (core.prepared)
def _dossier_to_send(*, pk: int):
    return Dossier.objects.select_related("patient__commune").prefetch_related("sections").filter(pk=pk)


@prepared
def _units_already_asked(*, dossier_id: int):
    return Demande.objects.filter(dossier_id=dossier_id).open().values_list("unite_id", flat=True)


@professional_required
def envoyer(request, dossier_id):
    try:
        dossier = _dossier_to_send.get(pk=dossier_id)
    except Dossier.DoesNotExist:
        dossier = None
    if dossier is None or not is_sender(request.user, dossier):  # as sender_dossiers(user).get(pk=…)
        raise Http404("Dossier introuvable.")
    record_read(request, dossier, medical=True)  # the search shows the GIR and the care needs
    if request.method == "POST":
        ids = parse_ids(request.POST.getlist("unites"))
        unites = list(Unite.objects.filter(pk__in=ids, is_active=True).select_related("structure"))
        if not unites:
            messages.error(request, "Sélectionnez au moins une structure dans les résultats.")
        else:
            try:
                demandes = services.send(dossier, unites, by=request.user)
            except services.SendError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, f"Dossier envoyé à {len(demandes)} structure(s).")
                return redirect("demandes:mes_demandes")
    criteres = criteres_for(
        dossier,
        commune=request.GET.get("commune", ""),
        insee=request.GET.get("insee", ""),
        radius_km=parse_float(request.GET.get("rayon")),
        max_budget=parse_decimal(request.GET.get("budget")),
        free_places_only=request.GET.get("places") == "1" or None,
    )
    recherche, errors = None, {}
    if not dossier.is_ready_to_send():
        messages.warning(request, "Le dossier ne peut pas encore être envoyé : validez d’abord toutes ses sections.")
    try:
        recherche = search(criteres, limit=50)
    except SearchError as exc:
        errors = exc.errors
    else:
        delais.avec_delai_habituel(recherche.resultats)
    already = set(_units_already_asked.all(dossier_id=dossier.pk))
    return render(
        request,
        "demandes/envoyer.html",
        {
            "title": "Rechercher et envoyer",
            "dossier": dossier,
            "criteres": criteres,
            "recherche": recherche,
            "errors": errors,
            "already": already,
            "ready": dossier.is_ready_to_send(),
        },
    )


@professional_required
@require_POST
def toujours_actualite(request, dossier_id):
    dossier = get_object_or_404(sender_dossiers(request.user), pk=dossier_id)
    inactivity.confirm_still_current(dossier)
    messages.success(request, "Merci : votre dossier reste actif.")
    return redirect(dossier_url_for(request.user, dossier))


@professional_required
@require_POST
def annuler_dossier(request, dossier_id):
    dossier = get_object_or_404(sender_dossiers(request.user), pk=dossier_id)
    form = CancelForm(request.POST, prefix="annulation")
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    else:
        try:
            cancelled = services.cancel_dossier(
                dossier, request.user, form.cleaned_data["motif"], form.cleaned_data["comment"]
            )
        except TransitionError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"{len(cancelled)} demande(s) annulée(s) ; les structures sont informées.")
    return redirect("dossiers:detail", pk=dossier.pk)
