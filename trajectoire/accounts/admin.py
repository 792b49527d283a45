from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import Membership, User


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "user"
    extra = 0
    raw_id_fields = ("structure", "created_by")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ("last_name", "first_name")
    list_display = ("username", "last_name", "first_name", "kind", "profession", "rpps", "is_active")
    list_filter = ("kind", "profession", "is_active", "is_staff", "is_observatoire")
    search_fields = ("username", "last_name", "first_name", "rpps", "email")
    inlines = [MembershipInline]
    fieldsets = (
        (None, {"fields": ("username", "password", "kind")}),
        ("Identité", {"fields": ("first_name", "last_name", "email", "email_confirmed_at")}),
        (
            "Professionnel",
            {"fields": ("profession", "specialite", "rpps", "adeli", "staff_card_id", "strong_auth_at")},
        ),
        ("Observatoire", {"fields": ("is_observatoire", "observatoire_departements")}),
        ("Droits", {"fields": ("is_active", "is_staff", "is_superuser")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("username", "kind", "password1", "password2")}),)
