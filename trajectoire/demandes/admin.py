from django.contrib import admin

from .models import DelaiCible


@admin.register(DelaiCible)
class DelaiCibleAdmin(admin.ModelAdmin):
    """The instance's target delays of first answer; a missing case keeps settings.DELAIS_CIBLES_HEURES."""

    list_display = ("domain", "urgente", "heures", "updated_at")
    list_editable = ("heures",)
    list_filter = ("domain", "urgente")
