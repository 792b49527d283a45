from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("aide/", views.aide, name="aide"),
    path("accessibilite/", views.accessibilite, name="accessibilite"),
    path("donnees-personnelles/", views.donnees, name="donnees"),
    path("tableau-de-bord/", views.dashboard, name="dashboard"),
    path("healthz", views.healthz, name="healthz"),
    path("healthz/moi", views.healthz_moi, name="healthz_moi"),  # benchmark baseline (docs/performance.md)
    path("robots.txt", views.robots, name="robots"),
]
