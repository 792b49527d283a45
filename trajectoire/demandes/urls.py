from django.urls import path

from . import views, views_envoi, views_referent

app_name = "demandes"
urlpatterns = [
    path("", views.mes_demandes, name="mes_demandes"),
    path("recues/", views.inbox, name="inbox"),
    path("dossier/<int:dossier_id>/envoyer/", views_envoi.envoyer, name="envoyer"),
    path("dossier/<int:dossier_id>/annuler/", views_envoi.annuler_dossier, name="annuler_dossier"),
    path("dossier/<int:dossier_id>/toujours-actualite/", views_envoi.toujours_actualite, name="toujours_actualite"),
    path("structure/<int:structure_id>/", views_referent.structure_home, name="structure"),
    path("structure/<int:structure_id>/membres/<int:membership_id>/", views_referent.member_edit, name="member_edit"),
    path("structure/<int:structure_id>/unites/<int:unite_id>/", views_referent.unite_edit, name="unite_edit"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/<slug:action>/", views.act, name="act"),
]
