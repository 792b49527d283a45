from django.urls import path

from . import views

app_name = "proauth"
urlpatterns = [
    path("", views.login, name="login"),
    path("carte/", views.card_login, name="card_login"),
    path("e-cps/", views.ecps_login, name="ecps_login"),
    path("deconnexion/", views.logout, name="logout"),
]
