from trajectoire.core.panels import Panel

from . import sessions


def securite(request) -> Panel | None:
    """Dashboard panel: how the user logged in, link to the active sessions and to the password page."""
    if not request.user.is_professionnel:
        return None
    means = request.session.get(sessions.MEANS, "")
    return Panel("proauth/_panel.html", {"strong": means in ("card", "ecps")}, order=900)
