from django.contrib import admin

from trajectoire.audit.admin_mixins import AuditedAdminMixin

from .models import OutgoingEmail


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("created_at", "subject", "status", "attempts", "sent_at")
    list_filter = ("status",)
    exclude = ("body",)  # may name a patient's structure; not needed to operate the queue
