from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from trajectoire.audit.enums import Action
from trajectoire.audit.services import record

from .models import Membership, User
from .permissions import MEDICAL_HABILITATION_REFUSED, USAGER_MEMBERSHIP_REFUSED, may_hold_medical_habilitation


class MembershipAdminForm(forms.ModelForm):
    """The administration grants the medical habilitation under the same rule as the référents."""

    class Meta:
        model = Membership
        fields = ["user", "structure", "is_admissions", "is_medical", "is_referent", "is_active", "created_by"]

    def clean(self):
        cleaned = super().clean()
        user = cleaned.get("user") or (User.objects.filter(pk=self.instance.user_id).first())
        if user is not None and user.is_usager:
            self.add_error(None, USAGER_MEMBERSHIP_REFUSED)
        elif cleaned.get("is_medical") and not may_hold_medical_habilitation(user):
            self.add_error("is_medical", MEDICAL_HABILITATION_REFUSED)
        return cleaned


class MembershipInline(admin.TabularInline):
    model = Membership
    form = MembershipAdminForm
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

    def save_formset(self, request, form, formset, change):
        """Habilitations changed here are audited like the référents' changes (demandes.referent)."""
        super().save_formset(request, form, formset, change)
        for membership in formset.new_objects + [obj for obj, _ in formset.changed_objects]:
            if isinstance(membership, Membership):
                roles = {field: getattr(membership, field) for field in Membership.ROLE_FIELDS.values()}
                record(Action.MEMBERSHIP_CHANGED, request=request, obj=membership, change="admin",
                       is_active=membership.is_active, **roles)  # fmt: skip
