"""core.prepared: the kept SQL gives what the queryset gives, for every value, shape and kind of iterable."""

import pytest
from django.db import connection
from django.db.models import Prefetch
from django.test.utils import CaptureQueriesContext

from tests.factories.demandes import DemandeFactory
from tests.factories.directory import StructureFactory, UniteFactory
from tests.factories.dossiers import DossierFactory
from trajectoire.core.prepared import prepared
from trajectoire.demandes.models import Demande
from trajectoire.directory.enums import StructureType
from trajectoire.directory.models import Structure, Unite
from trajectoire.dossiers.models import Dossier, Section

pytestmark = pytest.mark.django_db


@prepared
def _dossier(*, pk: int):
    return (
        Dossier.objects.select_related("patient")
        .prefetch_related(Prefetch("sections", queryset=Section.objects.order_by("key")))
        .filter(pk=pk)
    )


@prepared
def _demandes(with_structure: bool, *, dossier_id: int):
    demandes = Demande.objects.filter(dossier_id=dossier_id).order_by("-sent_at", "-pk")
    return demandes.select_related("structure", "unite") if with_structure else demandes


@prepared
def _units(*, kind: str, min_lat: float, max_lat: float):
    return (
        Unite.objects.filter(structure_type=kind, structure__latitude__range=(min_lat, max_lat))
        .order_by("pk")
        .values_list("pk", "structure__name")
    )


def _same(a, b):
    return [(x.pk, x.__dict__.keys(), x._state.fields_cache.keys()) for x in a] == [
        (x.pk, x.__dict__.keys(), x._state.fields_cache.keys()) for x in b
    ]


def _fields(instance):
    return {k: v for k, v in instance.__dict__.items() if k != "_state"}


def test_rows_instances_and_related_as_the_queryset_gives_them():
    d1, d2 = DossierFactory(), DossierFactory()
    for d in (d1, d1, d2):
        DemandeFactory(dossier=d)
    for d in (d1, d2):
        for shape in (True, False):
            expected = list(_demandes.build(shape, dossier_id=d.pk))
            got = _demandes.all(shape, dossier_id=d.pk)
            assert [x.pk for x in got] == [x.pk for x in expected] and got
            assert _same(got, expected)
            assert [_fields(x) for x in got] == [_fields(x) for x in expected]
            assert [_fields(x.structure) for x in got if shape] == [_fields(x.structure) for x in expected if shape]
    got = _demandes.all(True, dossier_id=d1.pk)
    with CaptureQueriesContext(connection) as queries:
        names = [(x.structure.name, x.unite.name) for x in got]  # select_related: no query
    assert not queries and names == [(x.structure.name, x.unite.name) for x in _demandes.build(True, dossier_id=d1.pk)]


def test_get_with_prefetch_and_the_errors_of_queryset_get():
    dossier = DossierFactory()
    with CaptureQueriesContext(connection) as queries:
        got = _dossier.get(pk=dossier.pk)
    assert got == dossier and got.patient == dossier.patient
    assert len(queries) == 2  # the dossier with its patient, then its sections (prefetch_related)
    assert [s.key for s in got.sections.all()] == sorted(s.key for s in dossier.sections.all())
    with pytest.raises(Dossier.DoesNotExist):
        _dossier.get(pk=dossier.pk + 1000)


def test_known_related_objects_spare_the_query():
    dossier = DossierFactory()
    DemandeFactory(dossier=dossier)
    demande = _demandes.all(False, dossier_id=dossier.pk, known={"dossier": dossier})[0]
    with CaptureQueriesContext(connection) as queries:
        assert demande.dossier is dossier
    assert not queries


def test_values_list_floats_and_strings():
    near, far = StructureFactory(latitude=45.0, name="Près"), StructureFactory(latitude=48.0, name="Loin")
    u1 = UniteFactory(structure=near, structure_type="ehpad")
    UniteFactory(structure=far, structure_type="ehpad")
    UniteFactory(structure=near, structure_type="smr")
    assert _units.all(kind="ehpad", min_lat=44.5, max_lat=45.5) == [(u1.pk, "Près")]
    assert len(_units.all(kind="ehpad", min_lat=40.0, max_lat=50.0)) == 2
    assert _units.all(kind="usld", min_lat=40.0, max_lat=50.0) == []
    assert _units.all(kind=StructureType.EHPAD, min_lat=44.5, max_lat=45.5) == [(u1.pk, "Près")]  # a choice
    assert Structure.objects.count() == 2


def test_refuses_what_it_cannot_keep():
    with pytest.raises(TypeError, match="annotated"):
        prepared(lambda *, pk: Dossier.objects.filter(pk=pk))
    with pytest.raises(TypeError, match="must be int"):
        _dossier.get(pk="1")
    with pytest.raises(TypeError, match="must be int"):
        _dossier.get(pk=True)
    with pytest.raises(TypeError, match="takes the values"):
        _dossier.all(id=1)

    @prepared
    def transformed(*, numero: int):  # an int for a text column: Django makes it a str, the marker is lost
        return Dossier.objects.filter(numero=numero)

    with pytest.raises(TypeError, match="does not reach"):
        transformed.all(numero=1)


def test_a_prepared_query_cannot_be_refined():
    queryset = _demandes.queryset(False, dossier_id=1)
    with pytest.raises(TypeError, match="ne se raffine pas"):
        queryset.filter(pk=1)
    with pytest.raises(TypeError, match="ne se raffine pas"):
        queryset.count()
    with pytest.raises(TypeError, match="ne se raffine pas"):
        queryset.exists()
    assert list(queryset) == []  # evaluating it is what it is for


def test_threads_compiling_at_once_share_one_template_and_one_sql():
    """gunicorn's four threads may ask for a shape's SQL at the same time: one template, one compiled entry,
    each thread's parameters in the right places."""
    import threading

    from django.db import connections

    fresh = prepared(_demandes.build)
    barrier, seen = threading.Barrier(8), []

    def ask(i):
        barrier.wait()
        try:
            queryset = fresh.queryset(True, dossier_id=1000 + i)
            seen.append((i, queryset.query._compiled, queryset.query._params))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=ask, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(fresh._templates) == 1 and len({id(compiled) for _, compiled, _ in seen}) == 1
    assert all(params.count(1000 + i) == 1 for i, _, params in seen) and len(seen) == 8
