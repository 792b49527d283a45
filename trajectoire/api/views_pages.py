"""The référent's page: register the structure's software, see its clients, revoke them."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from trajectoire.accounts.enums import Role
from trajectoire.accounts.permissions import structure_role_required
from trajectoire.directory.models import Structure

from .clients import ClientError, clients_managed_by, create_client, revoke_client
from .forms import ApiClientForm


@structure_role_required(Role.REFERENT)
def structure_clients(request, structure_id):
    structure = get_object_or_404(Structure, pk=structure_id)
    form = ApiClientForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            client, secret = create_client(data["name"], structure=structure, jwks=data["jwks"], by=request.user)
        except ClientError as exc:
            form.add_error(None, str(exc))
        else:
            created = {"client_id": client.client_id, "client_secret": secret, "name": client.name}
            form = ApiClientForm()
    clients = clients_managed_by(request.user).filter(structure=structure).order_by("-created_at")
    return render(
        request,
        "api/structure_clients.html",
        {
            "title": f"Logiciels connectés — {structure.name}",
            "structure": structure,
            "clients": clients,
            "form": form,
            "created": created,
        },
    )


@require_POST
@structure_role_required(Role.REFERENT)
def revoke(request, structure_id, client_pk):
    client = get_object_or_404(clients_managed_by(request.user).filter(structure_id=structure_id), pk=client_pk)
    if client.is_active:
        revoke_client(client, by=request.user)
        messages.success(request, f"Le logiciel « {client.name} » n’a plus accès à l’API.")
    return redirect("api_pages:structure_clients", structure_id=structure_id)
