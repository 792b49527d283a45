from django.urls import path, re_path

from . import views, views_ouvertes

app_name = "observatoire"
urlpatterns = [
    path("", views.statistiques, name="statistiques"),
    path("export.csv", views.export_csv, name="export"),
    # Open aggregates: stable addresses, one département and one complete month (docs/open-data.md).
    path("donnees/schema.json", views_ouvertes.schema, name="schema"),
    re_path(
        r"^donnees/(?P<departement>[0-9]{2}|2A|2B|97[1-6])/(?P<annee>[0-9]{4})-(?P<mois>[0-9]{2})\.(?P<format>csv|json)$",
        views_ouvertes.donnees,
        name="donnees",
    ),
]
