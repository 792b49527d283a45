"""Bulk writing of generated rows: PostgreSQL COPY (psycopg 3), plain `executemany` on SQLite.

Rows carry explicit primary keys (allocated from MAX(id) + 1), so related rows can point at them before
they are written; PostgreSQL identity sequences are moved past them at the end (`reset_sequences`).
Columns the generator does not set get the model field's default, so a field added later by another app
does not break the generator as long as it has a default or is nullable.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from contextlib import contextmanager

from django.db import connection, transaction
from django.db.models import NOT_PROVIDED


def literal(value):
    """A value both COPY (text) and SQLite accept."""
    if isinstance(value, (dict, list)):
        return json.dumps(value)
    if isinstance(value, dt.datetime):
        return ts(value)
    return value


def ts(value: dt.datetime) -> str:
    """UTC timestamp as text: Django's connections run in UTC (USE_TZ), SQLite stores this very format."""
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return value.isoformat(sep=" ", timespec="seconds")


class Table:
    """The explicit columns of a model, plus a constant tail of defaults for the others."""

    def __init__(self, model, columns: list[str]):
        self.model = model
        self.name = model._meta.db_table
        fields = {f.attname: f for f in model._meta.concrete_fields}
        unknown = set(columns) - set(fields)
        if unknown:
            raise ValueError(f"{self.name}: unknown columns {sorted(unknown)}")
        pk = model._meta.pk.attname  # left to the database when not given
        self.tail_columns = [name for name in fields if name not in columns and name != pk]
        self.tail = tuple(literal(_default(fields[name])) for name in self.tail_columns)
        self.columns = [fields[name].column for name in [*columns, *self.tail_columns]]
        self.rows: list[tuple] = []
        self.written = 0

    def add(self, *values) -> None:
        self.rows.append(values + self.tail)

    def flush(self) -> int:
        count = len(self.rows)
        if count:
            write(self.name, self.columns, self.rows)
            self.written += count
            self.rows = []
        return count


def _default(field):
    if field.has_default():
        return field.get_default()
    if field.null:
        return None
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return dt.datetime.now(dt.UTC)
    if field.blank and field.get_internal_type() in ("CharField", "TextField", "EmailField"):
        return ""
    if field.default is NOT_PROVIDED:
        raise ValueError(f"{field.model._meta.db_table}.{field.column}: no value and no default")
    return field.default


def write(table: str, columns: list[str], rows: list[tuple]) -> None:
    qn = connection.ops.quote_name
    cols = ", ".join(qn(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {qn(table)} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {qn(table)} ({cols}) VALUES ({marks})", rows)  # noqa: S608 (model names)


def next_id(model) -> int:
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX({qn(model._meta.pk.column)}), 0) + 1 FROM {qn(model._meta.db_table)}")  # noqa: S608
        return cursor.fetchone()[0]


def reset_sequences(models) -> None:
    """Move PostgreSQL identity sequences past the explicit ids; then refresh the planner's statistics."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models:
            table, pk = model._meta.db_table, model._meta.pk.column
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence(%s, %s), COALESCE((SELECT MAX({pk}) FROM {table}), 1))",  # noqa: S608
                [table, pk],
            )


def analyze(models) -> None:
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


@contextmanager
def deferred_indexes(models, log=print):
    """PostgreSQL: drop foreign keys and secondary indexes of `models` during the load, rebuild them after.

    Primary keys and unique constraints stay in place. Rebuilding re-validates every foreign key and
    re-creates every index (partial unique ones included, so a constraint the data broke fails loudly).
    Checking a foreign key per inserted row costs more than COPY itself; one validation pass is cheap.
    """
    if connection.vendor != "postgresql":
        yield
        return
    tables = [m._meta.db_table for m in models]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE contype = 'f' AND conrelid::regclass::text = ANY(%s)",
            [tables],
        )
        foreign_keys = cursor.fetchall()
        cursor.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = current_schema() "
            "AND i.tablename = ANY(%s) AND NOT EXISTS (SELECT 1 FROM pg_constraint c "
            "WHERE c.conname = i.indexname AND c.contype IN ('p', 'u', 'x'))",
            [tables],
        )
        indexes = cursor.fetchall()
        with transaction.atomic():
            for table, name, _ in foreign_keys:
                cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
            for name, _ in indexes:
                cursor.execute(f'DROP INDEX "{name}"')
    try:
        yield
    finally:
        start = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '512MB'")
            for _, definition in indexes:
                cursor.execute(definition)
            for table, name, definition in foreign_keys:
                cursor.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
        elapsed = time.perf_counter() - start
        log(f"{len(indexes)} index et {len(foreign_keys)} clés étrangères reconstruits ({elapsed:.1f} s)")
