from django.apps import AppConfig


class VolumeConfig(AppConfig):
    name = "trajectoire.volume"
    verbose_name = "Volume national (banc de mesure)"
