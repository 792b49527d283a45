"""Demo: the accounts get their e-mail notifications (on by default for real accounts) once the demo's stories
are written, so `make run` does not print an e-mail for each past event of those stories."""

from trajectoire.accounts.models import User


def load(ctx) -> None:
    logins = [account.login for account in ctx.accounts]
    User.objects.filter(username__in=logins).update(notify_by_email=True)
