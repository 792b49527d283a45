"""A write to a membership drops the request's memo of memberships (accounts.permissions.active_memberships)."""

from trajectoire.core.request_context import forget


def membership_changed(sender, **kwargs) -> None:
    from .permissions import MEMO_KEY

    forget(MEMO_KEY)


def role_summary_changed(sender, instance, **kwargs) -> None:
    """The header's cached label of the user (User.role_summary) is dropped when a membership or the user is
    written; a structure renamed shows under its new name within ROLE_SUMMARY_CACHE_SECONDS."""
    from django.core.cache import cache

    from .models import role_summary_key

    user_id = instance.user_id if hasattr(instance, "user_id") else instance.pk
    if user_id is not None:
        cache.delete(role_summary_key(user_id))
