from django.utils.functional import SimpleLazyObject


def unread_count(request):
    """The bell counter, evaluated only when a template shows it (one COUNT query)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"notifications_unread": SimpleLazyObject(lambda: user.notifications.unread().count())}
