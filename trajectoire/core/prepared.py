"""Fixed-shape queries whose SQL is compiled once per process and database, then run with new values.

Django compiles a queryset to SQL every time it runs: for a select_related over three tables that is 0.7–1.2 ms
of CPU (docs/performance.md, ninth pass), more than PostgreSQL takes to answer. The hot pages run the same few
queries with other ids; `prepared` keeps their SQL and the compiler's description of the columns, and runs them
through Django's own iterables (model instances, select_related, prefetch_related, values_list: the same objects
as the queryset would give).

    @prepared
    def events_of(*, dossier_id: int):
        return DossierEvent.objects.filter(dossier_id=dossier_id).order_by("-at")

    events_of.all(dossier_id=5)            # a list, as list(queryset)
    demandes_of.all(dossier_id=5, known={"dossier": dossier})   # demande.dossier without a query

The builder's keyword-only parameters are the values (int, str or float, annotated): it is called once with
unique marker values, and each must reach the SQL parameters untouched — found by identity, so a value Django
transforms (a date, a list for `__in`, None for `isnull`) is refused when the query is first compiled, not
silently wrong. Its positional parameters, if any, choose among shapes (hashable: e.g. a filter present or not):
one compiled query per shape and database alias (the replica router is asked at each call).

The result is a list, never a queryset: refining a prepared query (filter, count, exists…) would run SQL built
with the markers, so the query refuses to be cloned.
"""

from __future__ import annotations

import inspect
import itertools
import threading
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

_SUPPORTED = (int, str, float)
_counter = itertools.count(1)


def _marker(kind: type, name: str):
    """A value of `kind` no real query uses, made at run time so that identity tells it apart."""
    n = next(_counter)
    if kind is int:
        return int(f"-7359164028{n:06d}")
    if kind is float:
        return float(f"-7359164028.{n:06d}")
    return f"\u2063prepared:{name}:{n}\u2063"


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple
    positions: dict[str, tuple[int, ...]]
    select: Any
    klass_info: Any
    annotation_col_map: Any
    col_count: int
    has_extra_select: bool


class _PreparedQuery:
    """Stands for the template's Query in one evaluation: its compiler runs the kept SQL with these params."""

    def __init__(self, query, compiled: _Compiled, params: list):
        self._query, self._compiled, self._params = query, compiled, params

    def __getattr__(self, name):
        """The template's attributes (the iterables read a few); never its methods, whose SQL holds markers."""
        value = getattr(self._query, name)
        if inspect.ismethod(value):
            self.chain()
        return value

    def get_compiler(self, using=None, connection=None, elide_empty=True):
        compiler = self._query.get_compiler(using, connection, elide_empty)
        c, sql, params = self._compiled, self._compiled.sql, self._params
        compiler.as_sql = lambda *args, **kwargs: (sql, params)
        compiler.select, compiler.klass_info, compiler.annotation_col_map = c.select, c.klass_info, c.annotation_col_map
        compiler.col_count, compiler.has_extra_select = c.col_count, c.has_extra_select
        return compiler

    def chain(self, *args, **kwargs):
        raise TypeError("Une requête préparée ne se raffine pas : ajoutez le filtre dans sa fonction de construction.")

    clone = chain


class Prepared:
    def __init__(self, build):
        self.build = build
        signature = inspect.signature(build, eval_str=True)
        self.values: dict[str, type] = {}
        for name, p in signature.parameters.items():
            if p.kind is inspect.Parameter.KEYWORD_ONLY:
                if p.annotation not in _SUPPORTED:
                    raise TypeError(f"{build.__qualname__}: {name} must be annotated int, str or float")
                self.values[name] = p.annotation
        self._templates: dict[tuple, tuple[QuerySet, dict]] = {}
        self._compiled: dict[tuple, _Compiled] = {}
        self._lock = threading.Lock()
        self.__doc__, self.__name__ = build.__doc__, build.__name__

    def _template(self, shape: tuple) -> tuple[QuerySet, dict]:
        found = self._templates.get(shape)
        if found is None:
            with self._lock:  # one template per shape, so that every thread's compiled SQL matches its markers
                if (found := self._templates.get(shape)) is None:
                    markers = {name: _marker(kind, name) for name, kind in self.values.items()}
                    queryset = self.build(*shape, **markers)
                    if not isinstance(queryset, QuerySet) or queryset._result_cache is not None:
                        raise TypeError(f"{self.build.__qualname__} must return an unevaluated queryset")
                    found = self._templates[shape] = (queryset, markers)
        return found

    def _compile(self, key: tuple, queryset: QuerySet, markers: dict, alias: str) -> _Compiled:
        with self._lock:
            if key in self._compiled:
                return self._compiled[key]
            compiler = queryset.query.clone().get_compiler(using=alias)
            sql, params = compiler.as_sql()
            params = tuple(params)
            positions = {}
            for name, marker in markers.items():
                positions[name] = tuple(i for i, p in enumerate(params) if p is marker)
                if not positions[name] or str(marker) in sql:
                    raise TypeError(
                        f"{self.build.__qualname__}: {name} does not reach the SQL parameters as given "
                        "(a lookup that transforms it, or a shape that depends on it, cannot be prepared)"
                    )
            compiled = self._compiled[key] = _Compiled(
                sql, params, positions, compiler.select, compiler.klass_info, compiler.annotation_col_map,
                compiler.col_count, compiler.has_extra_select,
            )  # fmt: skip
            return compiled

    def queryset(self, *shape, known: dict | None = None, **values) -> QuerySet:
        """The queryset for these values, to be evaluated once (iterate it or use `all`/`get`)."""
        if values.keys() != self.values.keys():
            raise TypeError(f"{self.build.__qualname__} takes the values {sorted(self.values)}")
        for name, value in values.items():
            kind = self.values[name]
            if type(value) is not kind:
                if not isinstance(value, kind) or isinstance(value, bool):
                    raise TypeError(f"{self.build.__qualname__}: {name} must be {kind.__name__}")
                values[name] = kind(value)  # a choice (TextChoices, IntegerChoices) as its plain value
        template, markers = self._template(shape)
        alias = template.db
        compiled = self._compiled.get((shape, alias)) or self._compile((shape, alias), template, markers, alias)
        params = list(compiled.params)
        for name, places in compiled.positions.items():
            for i in places:
                params[i] = values[name]
        queryset = QuerySet(model=template.model, query=_PreparedQuery(template.query, compiled, params), using=alias)
        queryset._iterable_class, queryset._fields = template._iterable_class, template._fields
        queryset._prefetch_related_lookups = template._prefetch_related_lookups
        if known:
            opts = template.model._meta
            queryset._known_related_objects = {opts.get_field(k): {v.pk: v} for k, v in known.items()}
        return queryset

    def all(self, *shape, known: dict | None = None, **values) -> list:
        return list(self.queryset(*shape, known=known, **values))

    def get(self, *shape, **values):
        """The one row, or the model's DoesNotExist / MultipleObjectsReturned as `QuerySet.get` raises them."""
        rows = self.all(*shape, **values)
        if len(rows) == 1:
            return rows[0]
        model = self._template(shape)[0].model
        if not rows:
            raise model.DoesNotExist(f"{model._meta.object_name} matching query does not exist.")
        raise model.MultipleObjectsReturned(f"get() returned more than one {model._meta.object_name}")


def prepared(build) -> Prepared:
    return Prepared(build)
