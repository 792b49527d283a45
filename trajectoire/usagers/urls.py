from django.urls import path

from . import views_choix, views_compte, views_dossier

app_name = "usagers"
urlpatterns = [
    path("", views_dossier.accueil, name="accueil"),
    path("aide/", views_dossier.aide, name="aide"),
    path("inscription/", views_compte.inscription, name="inscription"),
    path("inscription/envoyee/", views_compte.inscription_envoyee, name="inscription_envoyee"),
    path("confirmer/renvoyer/", views_compte.renvoyer_confirmation, name="renvoyer_confirmation"),
    path("confirmer/<str:token>/", views_compte.confirmer, name="confirmer"),
    path("connexion/", views_compte.connexion, name="connexion"),
    path("deconnexion/", views_compte.deconnexion, name="deconnexion"),
    path("mot-de-passe/", views_compte.mot_de_passe_oublie, name="mot_de_passe"),
    path("mot-de-passe/<str:uidb64>/<str:token>/", views_compte.reinitialiser, name="reinitialiser"),
    path("dossier/nouveau/", views_dossier.nouveau_dossier, name="nouveau"),
    path("dossier/<id:pk>/", views_dossier.dossier, name="dossier"),
    path("dossier/<id:pk>/administratif/", views_dossier.administratif, name="administratif"),
    path("dossier/<id:pk>/aidants/", views_dossier.aidants, name="aidants"),
    path("dossier/<id:pk>/medecin/", views_dossier.medecin, name="medecin"),
    path("dossier/<id:pk>/medecin/papier/", views_dossier.code_papier, name="code_papier"),
    path("dossier/<id:pk>/etablissements/", views_choix.recherche, name="recherche"),
    path("dossier/<id:pk>/demandes/<id:demande_id>/accepter/", views_choix.accepter, name="accepter"),
    path("dossier/<id:pk>/demandes/<id:demande_id>/decliner/", views_choix.decliner, name="decliner"),
    path("dossier/<id:pk>/toujours-actualite/", views_choix.toujours_actualite, name="toujours_actualite"),
    path("medecin/rattacher/", views_dossier.rattacher, name="rattacher"),
]
