from django.urls import path

from . import views, views_envoi, views_referent

app_name = "demandes"
urlpatterns = [
    path("", views.mes_demandes, name="mes_demandes"),
    path("recues/", views.inbox, name="inbox"),
    path("dossier/<id:dossier_id>/envoyer/", views_envoi.envoyer, name="envoyer"),
    path("dossier/<id:dossier_id>/annuler/", views_envoi.annuler_dossier, name="annuler_dossier"),
    path("dossier/<id:dossier_id>/toujours-actualite/", views_envoi.toujours_actualite, name="toujours_actualite"),
    path("structure/<id:structure_id>/", views_referent.structure_home, name="structure"),
    path("structure/<id:structure_id>/membres/<id:membership_id>/", views_referent.member_edit, name="member_edit"),
    path("structure/<id:structure_id>/unites/<id:unite_id>/", views_referent.unite_edit, name="unite_edit"),
    path("<id:pk>/", views.detail, name="detail"),
    path("<id:pk>/<slug:action>/", views.act, name="act"),
]
