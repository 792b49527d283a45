"""What every importer shares: a report (counts, rejected lines with reasons) and batched upserts."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from itertools import islice

from django.db import connection, transaction

BATCH_SIZE = 2000
MAX_REJECTS_KEPT = 10_000


@dataclass
class Rejet:
    line: str  # "file:line"
    reason: str


@dataclass
class ImportReport:
    source: str
    read: int = 0
    imported: int = 0
    rejected: list[Rejet] = field(default_factory=list)
    rejected_count: int = 0
    started: float = field(default_factory=time.monotonic)
    details: dict[str, int] = field(default_factory=dict)

    def reject(self, line: str, reason: str) -> None:
        self.rejected_count += 1
        if len(self.rejected) < MAX_REJECTS_KEPT:
            self.rejected.append(Rejet(line, reason))

    def count(self, key: str, n: int = 1) -> None:
        self.details[key] = self.details.get(key, 0) + n

    @property
    def seconds(self) -> float:
        return time.monotonic() - self.started

    def summary(self) -> str:
        extra = "".join(f", {key} : {value}" for key, value in sorted(self.details.items()))
        return (
            f"{self.source} : {self.read} lignes lues, {self.imported} importées, "
            f"{self.rejected_count} rejetées{extra} ({self.seconds:.1f} s)"
        )


def batched(items: Iterable, size: int = BATCH_SIZE) -> Iterator[list]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def run_batches(items: Iterable, write: Callable[[list], int], report: ImportReport, progress=None) -> None:
    """Write items batch by batch, each batch in its own transaction (a failure loses one batch only)."""
    for chunk in batched(items):
        with transaction.atomic():
            report.imported += write(chunk)
        if progress:
            progress(report)


def parse_decimal(value: str | None) -> Decimal | None:
    """French decimal ('99,6') or null ('', '\\N', 'NULL') -> Decimal | None; ValueError otherwise."""
    value = (value or "").strip().strip('"')
    if value in ("", "\\N", "NULL"):
        return None
    try:
        return Decimal(value.replace(" ", "").replace(",", "."))
    except InvalidOperation as exc:
        raise ValueError(f"nombre invalide « {value} »") from exc


def format_phone(value: str) -> str:
    digits = "".join(c for c in value or "" if c.isdigit())
    if len(digits) == 10:
        return " ".join(digits[i : i + 2] for i in range(0, 10, 2))
    return digits[:20]


def analyze(*tables: str) -> None:
    """Refresh the planner's statistics after a bulk import (PostgreSQL picks bad plans without them)."""
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
