import logging

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .panels import collect

logger = logging.getLogger(__name__)


def home(request):
    return render(request, "core/home.html", {"title": "Accueil"})


def aide(request):
    return render(request, "core/aide.html", {"title": "Besoin de plus d’informations"})


def accessibilite(request):
    return render(request, "core/accessibilite.html", {"title": "Accessibilité"})


def donnees(request):
    return render(request, "core/donnees.html", {"title": "Données personnelles et sources des données"})


@login_required
def dashboard(request):
    """The landing page after login: each app contributes panels (settings.DASHBOARD_PANELS)."""
    memberships = request.user.active_memberships()
    return render(
        request,
        "core/dashboard.html",
        {"title": "Tableau de bord", "memberships": memberships, "panels": collect("DASHBOARD_PANELS", request)},
    )


@require_GET
@never_cache
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.exception("healthz: database unavailable")
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@require_GET
@never_cache
@login_required
def healthz_moi(request):
    """Benchmark baseline: the smallest authenticated page (session, user, nothing else). Only one's own name."""
    return HttpResponse(request.user.get_full_name() or request.user.get_username(), content_type="text/plain")


def error_403(request, exception=None):
    message = str(exception) if exception and str(exception) else ""
    return render(request, "403.html", {"title": "Accès refusé", "message": message}, status=403)


def error_404(request, exception=None):
    return render(request, "404.html", {"title": "Page non trouvée"}, status=404)


def error_500(request):
    try:
        html = loader.render_to_string("500.html", {"title": "Erreur inattendue"}, request=request)
    except Exception:  # the error page must never fail itself
        logger.exception("error_500: template failed")
        html = "<!doctype html><html lang=fr><title>Erreur</title><h1>Erreur inattendue</h1></html>"
    return HttpResponseServerError(html)


def robots(request):
    return HttpResponse("User-agent: *\nDisallow: /\n", content_type="text/plain")
