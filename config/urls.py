from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("trajectoire.core.urls")),
    path("connexion/", include("trajectoire.proauth.urls")),
    path("annuaire/", include("trajectoire.directory.urls")),
    path("patients/", include("trajectoire.patients.urls")),
    path("dossiers/", include("trajectoire.dossiers.urls")),
    path("demandes/", include("trajectoire.demandes.urls")),
    path("notifications/", include("trajectoire.notifications.urls")),
    path("usager/", include("trajectoire.usagers.urls")),
    path("administration/", admin.site.urls),
]

handler403 = "trajectoire.core.views.error_403"
handler404 = "trajectoire.core.views.error_404"
handler500 = "trajectoire.core.views.error_500"
