from django.urls import path

from . import views

app_name = "proauth"
urlpatterns = [
    path("", views.login, name="login"),
    path("code/", views.code, name="code"),
    path("code/renvoyer/", views.resend_code, name="resend_code"),
    path("carte/", views.card_login, name="card_login"),
    path("e-cps/", views.ecps_login, name="ecps_login"),
    path("e-cps/retour/", views.ecps_callback, name="ecps_callback"),
    path("premiere-connexion/", views.setup, name="setup"),
    path("premiere-connexion/code/", views.setup_code, name="setup_code"),
    path("sessions/", views.active_sessions, name="sessions"),
    path("sessions/<id:pk>/terminer/", views.end_session, name="end_session"),
    path("sessions/terminer-tout/", views.end_all_sessions, name="end_all_sessions"),
    path("deconnexion/", views.logout, name="logout"),
]
