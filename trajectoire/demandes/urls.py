from django.urls import path

from . import views, views_envoi

app_name = "demandes"
urlpatterns = [
    path("", views.mes_demandes, name="mes_demandes"),
    path("recues/", views.inbox, name="inbox"),
    path("dossier/<int:dossier_id>/envoyer/", views_envoi.envoyer, name="envoyer"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/<slug:action>/", views.act, name="act"),
]
