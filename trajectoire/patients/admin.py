from django.contrib import admin

from trajectoire.audit.admin_mixins import AuditedAdminMixin

from .models import Contact, Patient


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0


@admin.register(Patient)
class PatientAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("nom_naissance", "prenoms", "date_naissance", "sexe", "created_by")
    search_fields = ("nom_naissance", "nom_usage")
    raw_id_fields = ("commune", "medecin_traitant", "created_by")
    inlines = [ContactInline]
