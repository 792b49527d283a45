from django.contrib import admin

from trajectoire.audit.admin_mixins import AuditedAdminMixin

from .models import Dossier, Section


class SectionInline(admin.TabularInline):
    model = Section
    extra = 0
    fields = ("key", "is_valid", "is_medical", "updated_at", "updated_by")
    readonly_fields = fields


@admin.register(Dossier)
class DossierAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("numero", "domain", "prise_en_charge", "statut", "created_by", "updated_at")
    list_filter = ("domain", "statut")
    search_fields = ("numero",)
    raw_id_fields = ("patient", "created_by", "medecin")
    exclude = ("access_code_hash",)
    inlines = [SectionInline]
