"""Public annuaire (no login): search page with htmx live results, commune autocomplete, structure page, JSON."""

from __future__ import annotations

from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from . import annuaire_cache
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


RESULTS = "directory/_resultats.html"


def _results_html(request, form: RechercheForm) -> str:
    """The results block: a found list comes from the annuaire's cache (same criteria, same directory version);
    errors and the empty form are rendered each time."""

    def found():
        recherche_ = _run(form)
        return None if recherche_ is None else render_to_string(RESULTS, {"recherche": recherche_}, request)

    html = None
    if form.is_bound and form.is_valid():
        options = {"show_excluded": form.cleaned_data.get("show_excluded", False)}
        html = annuaire_cache.cached_html(form.criteres(), found, **options)
    return html if html is not None else render_to_string(RESULTS, {"form": form, "recherche": None}, request)


@require_GET
def recherche(request):
    form = RechercheForm(request.GET if request.GET else None)
    results = _results_html(request, form)
    if request.htmx and not request.htmx.boosted:
        return HttpResponse(results)
    # Our own template's output (escaped when rendered), read back from the cache: shown as is.
    context = {"form": form, "resultats_html": mark_safe(results), "title": "Annuaire des structures"}  # noqa: S308
    return render(request, "directory/recherche.html", context)


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
