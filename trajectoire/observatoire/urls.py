from django.urls import path

from . import views

app_name = "observatoire"
urlpatterns = [
    path("", views.statistiques, name="statistiques"),
    path("export.csv", views.export_csv, name="export"),
]
