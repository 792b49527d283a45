"""The administration reads patient data too: its pages of patients, dossiers and demandes are audited."""

from __future__ import annotations

from django.contrib.admin.utils import unquote

from .enums import Action
from .services import record


class AuditedAdminMixin:
    """Records a VIEW event for the list, an object's page, its history and its deletion page."""

    def changelist_view(self, request, extra_context=None):
        record(Action.VIEW, request=request, object_type=self.model._meta.label_lower, admin="changelist")
        return super().changelist_view(request, extra_context)

    def _audit_object(self, request, object_id, page: str) -> None:
        obj = self.get_object(request, unquote(object_id))
        if obj is not None:
            record(Action.VIEW, request=request, obj=obj, admin=page)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        self._audit_object(request, object_id, "change")
        return super().change_view(request, object_id, form_url, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        self._audit_object(request, object_id, "history")
        return super().history_view(request, object_id, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        self._audit_object(request, object_id, "delete")
        return super().delete_view(request, object_id, extra_context)
