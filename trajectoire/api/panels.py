from trajectoire.accounts.enums import Role
from trajectoire.accounts.permissions import structures_named_for
from trajectoire.core.panels import Panel


def logiciels(request):
    """Dashboard: the référent's link to the structure's connected software (FHIR API clients)."""
    structures = structures_named_for(request.user, Role.REFERENT) if request.user.is_authenticated else []
    if not structures:
        return None
    return Panel("api/panel.html", {"structures": structures}, order=15)
