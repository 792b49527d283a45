from django.urls import path

from . import views

app_name = "dossiers"
urlpatterns = [
    path("", views.dossier_list, name="list"),
    path("nouveau/", views.dossier_create, name="create"),
    path("<int:pk>/", views.dossier_detail, name="detail"),
    path("<int:pk>/imprimer/", views.dossier_print, name="print"),
    path("<int:pk>/pdf/", views.dossier_pdf, name="pdf"),
    path("<int:pk>/code-acces/", views.access_code, name="access_code"),
    path("<int:pk>/sections/<slug:key>/", views.section_edit, name="section"),
    path("<int:pk>/sections/<slug:key>/brouillon/", views.section_autosave, name="autosave"),
]
