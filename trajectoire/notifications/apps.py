from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "trajectoire.notifications"
    verbose_name = "Notifications"
