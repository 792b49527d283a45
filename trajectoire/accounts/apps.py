from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "trajectoire.accounts"
    verbose_name = "Comptes"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from .signals import membership_changed, role_summary_changed

        post_save.connect(membership_changed, sender="accounts.Membership", dispatch_uid="accounts-memo")
        post_delete.connect(membership_changed, sender="accounts.Membership", dispatch_uid="accounts-memo-delete")
        for sender in ("accounts.Membership", "accounts.User"):
            for signal in (post_save, post_delete):
                signal.connect(role_summary_changed, sender=sender, dispatch_uid=f"role-summary-{sender}-{id(signal)}")
