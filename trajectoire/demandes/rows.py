"""Rows of the demandes lists (the structure's inbox, the sender's « Mes demandes »), read as plain values.

A list row shows a dozen columns of a demande, its unit, its structure and its patient. Loading them as model
instances cost four instances per row (demande, unit, structure, dossier, patient) and, in the templates, a
descriptor and a failed dictionary lookup per column; here one `values_list()` row becomes one small object
whose attributes are what the row shows, rendered by a Jinja2 fragment (core/jinja2.py). The markup is the one
the Django templates gave: tests/demandes/test_rows.py compares both over every status.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from trajectoire.directory.enums import Domain
from trajectoire.patients.models import PATIENT_NAME_FIELDS, display_name

from . import delais
from .enums import Statut

# (attribute of the row, column read): what inbox and « Mes demandes » rows show, and what `delais.attente` needs.
COLUMNS = (
    ("pk", "pk"),
    ("domain", "domain"),
    ("urgente", "urgente"),
    ("statut", "statut"),
    ("sent_at", "sent_at"),
    ("read_at", "read_at"),
    ("answered_at", "answered_at"),
    ("unite_name", "unite__name"),
    ("structure_name", "structure__name"),
    *((name, f"dossier__patient__{name}") for name in PATIENT_NAME_FIELDS),
)
DOMAIN_LABELS = dict(Domain.choices)
STATUT_LABELS = dict(Statut.choices)


@dataclass(slots=True)
class DemandeRow:
    pk: int
    domain: str
    urgente: bool
    statut: str
    sent_at: dt.datetime
    read_at: dt.datetime | None
    answered_at: dt.datetime | None
    unite_name: str
    structure_name: str
    patient: str
    attente: delais.Attente | None = None

    @property
    def is_unread(self) -> bool:
        return self.read_at is None

    @property
    def domain_label(self) -> str:
        """« Grand Âge », not `grand_age` (as `Demande.domain_label`)."""
        return DOMAIN_LABELS.get(self.domain, self.domain)

    def get_statut_display(self) -> str:
        return STATUT_LABELS.get(self.statut, self.statut)


def demande_rows(queryset, now=None, attente: bool = True) -> list[DemandeRow]:
    """The rows of these demandes (a filtered, ordered, possibly sliced queryset), each with its wait against
    its target unless `attente` is false (`delais.attente`; one query for the targets). One query for the rows,
    whatever their number."""
    rows = []
    for values in queryset.values_list(*(column for _, column in COLUMNS)):
        names = len(PATIENT_NAME_FIELDS)  # last columns, in display_name's order
        rows.append(DemandeRow(*values[:-names], patient=display_name(*values[-names:])))
    return delais.with_attente(rows, now) if attente else rows
