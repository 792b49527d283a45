"""Demo data: each app contributes a loader (`<app>/demo.py: load(ctx)`), run in dependency order."""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field

# Order matters: directory first (structures), then accounts (members of those structures), then
# what the accounts own (dossiers, demandes, usager spaces).
DEMO_MODULES = [
    "trajectoire.directory.demo",
    "trajectoire.accounts.demo",
    "trajectoire.patients.demo",
    "trajectoire.dossiers.demo",
    "trajectoire.demandes.demo",
    "trajectoire.usagers.demo",
    "trajectoire.volume.demo",  # the observatoire's history, on structures without demo accounts
    "trajectoire.notifications.demo",  # last: e-mails on for the demo accounts, after their past stories
]


class DemoDataUnavailable(Exception):
    """A loader cannot run (e.g. reference data missing); the message tells the user, in French, what to do."""


@dataclass
class DemoAccount:
    role: str
    name: str
    login: str
    password: str
    how: str = ""


@dataclass
class DemoContext:
    stdout: object
    accounts: list[DemoAccount] = field(default_factory=list)
    data: dict = field(default_factory=dict)  # what one loader hands to the next (users, structures…)

    def say(self, message: str) -> None:
        self.stdout.write(message + "\n")


def run_all(stdout) -> DemoContext:
    ctx = DemoContext(stdout=stdout)
    for name in DEMO_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue  # that app has no demo data yet
            raise
        module.load(ctx)
    return ctx
