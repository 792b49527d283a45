from django.contrib import admin

from .clients import revoke_client
from .models import ApiClient, Subscription


@admin.action(description="Révoquer les clients sélectionnés")
def revoke(modeladmin, request, queryset):
    for client in queryset.filter(is_active=True):
        revoke_client(client, by=request.user)


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    """Listing and revocation; registration goes through `manage.py api_client create` or the référent's page
    (the secret is shown once, which the admin's add form cannot do)."""

    list_display = ["name", "client_id", "kind", "structure", "user", "is_active", "created_at"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "client_id", "structure__finess", "user__rpps"]
    readonly_fields = [
        "client_id",
        "secret_hash",
        "kind",
        "structure",
        "user",
        "created_at",
        "created_by",
        "revoked_at",
    ]
    actions = [revoke]

    def has_add_permission(self, request):
        return False


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["client", "criteria", "endpoint", "status", "failures", "last_delivered_at"]
    list_filter = ["status"]
