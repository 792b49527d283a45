from django.contrib import admin

from .models import Commune, Structure, Unite


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
