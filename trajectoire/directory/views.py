"""Public annuaire (no login): search page with htmx live results, commune autocomplete, structure page, JSON."""

from __future__ import annotations

from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from .forms import RechercheForm
from .models import PrixEhpad, Structure
from .search import SearchError, search
from .services import find_communes, prix_mensuel_ehpad
from .thesaurus import label as besoin_label


def _run(form: RechercheForm):
    """Validate the form and search; service errors become field errors. Returns a Recherche or None."""
    if not form.is_bound or not form.is_valid():
        return None
    try:
        return search(form.criteres(), limit=50, with_excluded=form.cleaned_data.get("show_excluded", False))
    except SearchError as error:
        for field, message in error.errors.items():
            form.add_error(field if field in form.fields else None, message)
        return None


@require_GET
def recherche(request):
    form = RechercheForm(request.GET if request.GET else None)
    context = {"form": form, "recherche": _run(form), "title": "Annuaire des structures"}
    template = "directory/_resultats.html" if request.htmx and not request.htmx.boosted else "directory/recherche.html"
    return render(request, template, context)


@require_GET
def api_recherche(request):
    form = RechercheForm(request.GET)
    recherche_ = _run(form)
    if recherche_ is None:
        errors = {field: [str(e) for e in errs] for field, errs in form.errors.items()}
        return JsonResponse({"erreurs": errors}, status=400, json_dumps_params={"ensure_ascii": False})
    return JsonResponse(recherche_.to_dict(), json_dumps_params={"ensure_ascii": False})


@require_GET
def communes(request):
    query = request.GET.get("q") or request.GET.get("commune") or ""
    found = find_communes(query[:100], limit=10)
    if request.htmx:
        return render(request, "directory/_communes.html", {"communes": found})
    data = [{"insee": c.insee, "nom": c.name, "codes_postaux": c.postal_codes.split(","), "libelle": str(c)}
            for c in found]  # fmt: skip
    return JsonResponse({"communes": data}, json_dumps_params={"ensure_ascii": False})


@require_GET
def structure_detail(request, finess: str):
    structure = get_object_or_404(Structure.objects.select_related("commune"), finess=finess, is_active=True)
    unites = [
        {"unite": u, "capabilities": [besoin_label(code) for code in u.capabilities or []]}
        for u in structure.unites.filter(is_active=True)
    ]
    prix = PrixEhpad.objects.filter(finess=finess).first()
    context = {
        "structure": structure,
        "unites": unites,
        "prix": prix,
        "prix_mensuel": prix_mensuel_ehpad(structure, prix=prix) if prix is not None else None,
        "title": structure.name,
    }
    return render(request, "directory/structure.html", context)
