from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.urls import include, path, register_converter

from trajectoire.api.views import dispatch as fhir_dispatch
from trajectoire.core.converters import IdConverter


def _admin_login(request, extra_context=None):
    """The administration has no password-only door: staff log in like every professional (card, e-CPS or
    RPPS + password + e-mailed code), then come back here."""
    return redirect_to_login(request.GET.get("next") or "/administration/", "proauth:login")


admin.site.login = _admin_login
# `<id:…>` in every app's URLs: a database id; a number the database cannot hold is a 404 (core.converters).
register_converter(IdConverter, "id")

urlpatterns = [
    path("", include("trajectoire.core.urls")),
    path("connexion/", include("trajectoire.proauth.urls")),
    path("annuaire/", include("trajectoire.directory.urls")),
    path("patients/", include("trajectoire.patients.urls")),
    path("dossiers/", include("trajectoire.dossiers.urls")),
    path("demandes/", include("trajectoire.demandes.urls")),
    path("notifications/", include("trajectoire.notifications.urls")),
    path("usager/", include("trajectoire.usagers.urls")),
    path("observatoire/", include("trajectoire.observatoire.urls")),
    path("administration/", admin.site.urls),
    path("logiciels/", include("trajectoire.api.urls_pages")),
    path("fhir", fhir_dispatch),  # the FHIR base without its slash: no HTML redirect
    path("fhir/", include("trajectoire.api.urls")),
]

handler403 = "trajectoire.core.views.error_403"
handler404 = "trajectoire.core.views.error_404"
handler500 = "trajectoire.core.views.error_500"
