def unread_count(request):
    """The bell counter: the request's user row carries it (accounts.User.unread_notifications), no query."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"notifications_unread": user.unread_notifications}
