from django.core.management.base import BaseCommand, CommandError

from trajectoire.core.demo_registry import DemoDataUnavailable, run_all


class Command(BaseCommand):
    help = "Charge les données de référence et la démonstration (idempotent), puis affiche les comptes."

    def handle(self, *args, **options):
        try:
            ctx = run_all(self.stdout)
        except DemoDataUnavailable as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("Comptes de démonstration :"))
        for account in ctx.accounts:
            self.stdout.write(f"  - {account.role} : {account.name}")
            self.stdout.write(f"      identifiant : {account.login}   mot de passe : {account.password}")
            if account.how:
                self.stdout.write(f"      {account.how}")
