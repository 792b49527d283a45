from django.urls import path

from . import views

app_name = "dossiers"
urlpatterns = [
    path("", views.dossier_list, name="list"),
    path("nouveau/", views.dossier_create, name="create"),
    path("<id:pk>/", views.dossier_detail, name="detail"),
    path("<id:pk>/imprimer/", views.dossier_print, name="print"),
    path("<id:pk>/pdf/", views.dossier_pdf, name="pdf"),
    path("<id:pk>/code-acces/", views.access_code, name="access_code"),
    path("<id:pk>/sections/<slug:key>/", views.section_edit, name="section"),
    path("<id:pk>/sections/<slug:key>/brouillon/", views.section_autosave, name="autosave"),
]
