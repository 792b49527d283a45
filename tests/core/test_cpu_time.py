"""The bench's CPU-time header: present only when the bench enables its middleware."""

import pytest
from django.conf import settings

from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db
CPU = "trajectoire.core.middleware.CpuTimeMiddleware"


def test_absent_by_default(client):
    assert CPU not in settings.MIDDLEWARE
    response = client.get("/healthz")
    assert "X-Cpu-Ms" not in response.headers


def test_bench_header_reports_cpu_milliseconds(client, settings):
    settings.MIDDLEWARE = [CPU, *settings.MIDDLEWARE]
    user = UserFactory(medecin=True)
    client.force_login(user)
    response = client.get("/healthz/moi")
    assert response.status_code == 200
    assert response.content.decode() == user.get_full_name()  # same page, one more header
    assert 0 <= float(response.headers["X-Cpu-Ms"]) < 10_000
