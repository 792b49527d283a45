from django.urls import path

from . import views

app_name = "directory"
urlpatterns = [
    path("", views.recherche, name="recherche"),
    path("communes/", views.communes, name="communes"),
    path("structures/<str:finess>/", views.structure_detail, name="structure"),
    path("api/recherche", views.api_recherche, name="api_recherche"),
]
