"""Pages of the référent structure: members and habilitations, units. A référent never sees other structures."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render

from trajectoire.accounts import annuaire
from trajectoire.accounts.enums import Role
from trajectoire.accounts.models import Membership
from trajectoire.accounts.permissions import structure_role_required
from trajectoire.directory.models import Structure, Unite

from . import delais, referent
from .forms_referent import ROLE_FIELDS, AddMemberForm, MemberRolesForm, UniteForm


@structure_role_required(Role.REFERENT)
def structure_home(request, structure_id):
    structure = get_object_or_404(Structure, pk=structure_id)
    proposed = list(annuaire.proposed_members(structure))
    chosen = next((u for u in proposed if u.rpps == request.GET.get("rpps")), None)
    initial = {"rpps": chosen.rpps, "first_name": chosen.first_name, "last_name": chosen.last_name,
               "email": chosen.email} if chosen else None  # fmt: skip
    form = AddMemberForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            membership = referent.add_member(
                structure,
                rpps=data["rpps"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                roles=form.roles(),
                by=request.user,
            )
        except referent.ReferentError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{membership.user} est rattaché(e) à la structure.")
            return redirect("demandes:structure", structure_id=structure.pk)
    members = Membership.objects.filter(structure=structure).select_related("user").order_by("user__last_name")
    return render(
        request,
        "demandes/referent/structure.html",
        {
            "title": f"Gérer {structure.name}",
            "structure": structure,
            "members": members,
            "proposed": proposed,
            "unites": structure.unites.order_by("name"),
            "form": form,
            "retards": delais.retards(structure.pk),
        },
    )


@structure_role_required(Role.REFERENT)
def member_edit(request, structure_id, membership_id):
    membership = get_object_or_404(
        Membership.objects.select_related("user", "structure"), pk=membership_id, structure_id=structure_id
    )
    initial = {field: getattr(membership, field) for field in (*ROLE_FIELDS, "is_active")}
    form = MemberRolesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            referent.update_roles(
                membership, roles=form.roles(), is_active=form.cleaned_data["is_active"], by=request.user
            )
        except referent.ReferentError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Les habilitations sont enregistrées.")
            return redirect("demandes:structure", structure_id=structure_id)
    return render(
        request,
        "demandes/referent/form.html",
        {"title": f"Habilitations de {membership.user}", "form": form, "structure": membership.structure},
    )


@structure_role_required(Role.REFERENT)
def unite_edit(request, structure_id, unite_id):
    unite = get_object_or_404(Unite.objects.select_related("structure"), pk=unite_id, structure_id=structure_id)
    previous_free_places = unite.free_places
    form = UniteForm(request.POST or None, instance=unite)
    if request.method == "POST" and form.is_valid():
        referent.update_unite(form.instance, previous_free_places=previous_free_places, by=request.user)
        messages.success(request, "L’unité est enregistrée ; la recherche en tient compte immédiatement.")
        return redirect("demandes:structure", structure_id=structure_id)
    return render(
        request,
        "demandes/referent/form.html",
        {"title": f"Unité « {unite.name} »", "form": form, "structure": unite.structure},
    )
