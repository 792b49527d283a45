"""Dashboard panel of an observatoire account: its territory and the link to the statistics."""

from trajectoire.core.panels import Panel

from .services import departements_of


def observatoire(request):
    user = request.user
    if not user.is_authenticated or not user.is_observatoire:
        return None
    return Panel("observatoire/_panel.html", {"departements": departements_of(user)}, order=5)
