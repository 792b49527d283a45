from django.urls import re_path

from . import views

app_name = "api"

urlpatterns = [
    # [\s\S], not « . »: a path with a newline must get a FHIR OperationOutcome too, not the site's HTML 404.
    re_path(r"^(?P<path>[\s\S]*)$", views.dispatch, name="fhir"),
]
