from django.contrib import admin

from .models import KnownDevice, OtpChallenge, UserSession


class ReadOnlyAdmin(admin.ModelAdmin):
    """Security records are looked at, never edited by hand (codes are hashed anyway)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(OtpChallenge)
class OtpChallengeAdmin(ReadOnlyAdmin):
    list_display = ["user", "purpose", "created_at", "expires_at", "attempts", "used_at", "voided_at"]
    list_filter = ["purpose"]
    exclude = ["code_hash"]
    raw_id_fields = ["user"]


@admin.register(UserSession)
class UserSessionAdmin(ReadOnlyAdmin):
    list_display = ["user", "means", "ip", "created_at", "last_seen"]
    list_filter = ["means"]
    exclude = ["session_key"]
    raw_id_fields = ["user"]


@admin.register(KnownDevice)
class KnownDeviceAdmin(ReadOnlyAdmin):
    list_display = ["user", "created_at", "user_agent"]
    exclude = ["token_hash"]
    raw_id_fields = ["user"]
