"""Open aggregates (public, no login): one département × one complete month, CSV or JSON, and their schema."""

import csv
import json

from django.http import Http404, HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from trajectoire.core.request_context import client_ip
from trajectoire.core.throttle import Throttle

from . import ouvertes

_calculs = Throttle("open_data")  # OPEN_DATA_IP_MAX_ATTEMPTS computations per IP and OPEN_DATA_IP_WINDOW_SECONDS


@require_GET
def donnees(request, departement, annee, mois, format):
    try:
        filtre = ouvertes.periode(departement, int(annee), int(mois))
    except ouvertes.PasPublie as exc:
        raise Http404(str(exc)) from exc
    rows = ouvertes.lignes_publiees(
        filtre, calculer_si=lambda: _calculs.ip_attempt_allowed(client_ip(request), "calcul")
    )
    if rows is None:
        response = HttpResponse("Trop de requêtes : réessayez dans une minute.", status=429,
                                content_type="text/plain; charset=utf-8")  # fmt: skip
        response["Retry-After"] = "60"
        return response
    schema_url = request.build_absolute_uri(reverse("observatoire:schema"))
    if format == "json":
        payload = {"territoire": departement, "mois": f"{annee}-{mois}", "schema": schema_url,
                   "licence": "Licence Ouverte / Open Licence 2.0", "lignes": rows}  # fmt: skip
        response = JsonResponse(payload, json_dumps_params={"ensure_ascii": False})
    else:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'inline; filename="trajectoire-{departement}-{annee}-{mois}.csv"'
        response["Link"] = f'<{schema_url}>; rel="describedby"; type="application/json"'
        writer = csv.DictWriter(response, fieldnames=ouvertes.champs(), lineterminator="\n")
        writer.writeheader()
        writer.writerows({key: "" if value is None else value for key, value in row.items()} for row in rows)
    response["Cache-Control"] = "public, max-age=3600"
    response["Access-Control-Allow-Origin"] = "*"  # open data: readable from any site
    return response


@require_GET
def schema(request):
    body = json.dumps(ouvertes.schema(), ensure_ascii=False, indent=2)
    return HttpResponse(body, content_type="application/json; charset=utf-8")
