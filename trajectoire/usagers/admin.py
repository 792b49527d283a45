from django.contrib import admin

from .models import Aidant


@admin.register(Aidant)
class AidantAdmin(admin.ModelAdmin):
    list_display = ("dossier", "user", "lien", "is_referent", "consentement_at")
    raw_id_fields = ("dossier", "user", "consentement_by")
