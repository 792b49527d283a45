from django.contrib import admin

from .models import Commune, LieuExercice, Professionnel, Structure, Unite


class UniteInline(admin.TabularInline):
    model = Unite
    extra = 0


@admin.register(Structure)
class StructureAdmin(admin.ModelAdmin):
    list_display = ("finess", "name", "structure_type", "departement", "city")
    list_filter = ("structure_type", "domain")
    search_fields = ("finess", "name", "city")
    inlines = [UniteInline]


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ("insee", "name", "postal_codes", "departement")
    search_fields = ("insee", "name", "postal_codes")


class LieuExerciceInline(admin.TabularInline):
    model = LieuExercice
    extra = 0
    fields = ("raison_sociale", "finess_site", "siret", "commune", "mode_exercice", "email")


@admin.register(Professionnel)
class ProfessionnelAdmin(admin.ModelAdmin):
    """Annuaire Santé entries; the MSSanté address may be entered here (the public extract does not carry it)."""

    list_display = ("identifiant", "nom", "prenom", "profession_label", "savoir_faire_label", "mssante")
    list_filter = ("profession_code",)
    search_fields = ("identifiant", "search_name")
    fields = ("identification_nationale", "nom", "prenom", "profession_label", "savoir_faire_label", "mssante")
    readonly_fields = ("identification_nationale", "nom", "prenom", "profession_label", "savoir_faire_label")
    inlines = [LieuExerciceInline]
