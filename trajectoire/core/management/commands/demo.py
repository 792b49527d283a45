from django.core.management.base import BaseCommand

from trajectoire.core.demo_registry import run_all


class Command(BaseCommand):
    help = "Charge les données de référence et la démonstration (idempotent), puis affiche les comptes."

    def handle(self, *args, **options):
        ctx = run_all(self.stdout)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("Comptes de démonstration :"))
        for account in ctx.accounts:
            self.stdout.write(f"  - {account.role} : {account.name}")
            self.stdout.write(f"      identifiant : {account.login}   mot de passe : {account.password}")
            if account.how:
                self.stdout.write(f"      {account.how}")
