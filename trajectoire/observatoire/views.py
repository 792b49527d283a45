"""The observatoire's page and CSV export: aggregates of its territory only (see services)."""

import csv

from django.http import HttpResponse
from django.shortcuts import render

from trajectoire.accounts.permissions import observatoire_required
from trajectoire.audit.enums import Action
from trajectoire.audit.services import record

from . import graphiques, services
from .forms import FiltreForm


def _statistiques(request):
    departements = services.departements_of(request.user)
    form = FiltreForm(request.GET or None, departements=departements)
    stats = None
    if departements and (not form.is_bound or form.is_valid()):
        data = form.cleaned_data if form.is_bound else {}
        filtre = services.Filtre(
            departements=form.departements_choisis(),
            domain=data.get("domain", ""),
            depuis=data.get("depuis"),
            jusqua=data.get("jusqua"),
        )
        stats = services.statistiques_cached(filtre)
        record(Action.VIEW, request=request, object_type="observatoire", departements=",".join(filtre.departements))
    return form, stats


def _page(request, form, stats, en_retard=None, en_retard_at=None):
    context = {"title": "Observatoire", "form": form, "stats": stats, "secret_below": services.secret_below()}
    if stats is not None:
        distribution = graphiques.distribution_delais(stats)
        charts = {chart.ident: chart for chart in graphiques.graphiques(stats, distribution)}
        context.update(en_retard=en_retard, en_retard_at=en_retard_at, distribution=distribution, graphiques=charts)
    return render(request, "observatoire/statistiques.html", context)


@observatoire_required
def statistiques(request):
    form, stats = _statistiques(request)
    en_retard = services.structures_en_retard_cached(stats.filtre) if stats else (None, None)
    return _page(request, form, stats, *en_retard)


@observatoire_required
def export_csv(request):
    form, stats = _statistiques(request)
    if stats is None:  # invalid filters or no territory: the page says why
        return _page(request, form, stats)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"trajectoire-observatoire-{stats.filtre.depuis:%Y%m%d}-{stats.filtre.jusqua:%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response.write("\ufeff")  # BOM: spreadsheets open the accents right
    writer = csv.writer(response, delimiter=";")
    writer.writerows(services.csv_rows(stats))
    return response
