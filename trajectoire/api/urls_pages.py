from django.urls import path

from . import views_pages

app_name = "api_pages"

urlpatterns = [
    path("structure/<id:structure_id>/", views_pages.structure_clients, name="structure_clients"),
    path("structure/<id:structure_id>/<id:client_pk>/revoquer/", views_pages.revoke, name="revoke"),
]
