from django.contrib import admin

from trajectoire.audit.admin_mixins import AuditedAdminMixin

from .models import Aidant, InvitationAidant


@admin.register(Aidant)
class AidantAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("dossier", "user", "lien", "is_referent", "consentement_at")
    raw_id_fields = ("dossier", "user", "consentement_by")


@admin.register(InvitationAidant)
class InvitationAidantAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("dossier", "email", "lien", "consentement_at", "created_at")
    raw_id_fields = ("dossier", "invited_by")
