from django.apps import AppConfig


class PatientsConfig(AppConfig):
    name = "trajectoire.patients"
    verbose_name = "Patients"
