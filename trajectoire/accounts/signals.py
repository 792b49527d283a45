"""A write to a membership drops the request's memo of memberships (accounts.permissions.active_memberships)."""

from trajectoire.core.request_context import forget


def membership_changed(sender, **kwargs) -> None:
    from .permissions import MEMO_KEY

    forget(MEMO_KEY)
