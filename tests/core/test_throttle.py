"""`Throttle` windows last what the settings say, whatever the cache backend does on `incr`.

Django's database and file caches implement `incr` as get + `set` with the DEFAULT timeout (300 s): before the
fix a 60 s rate window lasted as long as the client kept calling within 5 minutes (its counter never reset), and
a 900 s lock-out window forgot failures spaced more than 5 minutes apart. Each test runs on the database cache
(whose `incr` is get + set: `Throttle` writes one `set`) and on a cache that increments in one step (local
memory, as Redis: `incr` + `touch`)."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.cache import cache

from trajectoire.core.throttle import Throttle

pytestmark = pytest.mark.django_db
START = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


BACKENDS = {
    "database": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "trajectoire_cache"},
    "locmem": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "throttle-test"},
}


@pytest.fixture(autouse=True, params=sorted(BACKENDS))
def _clean_cache(request, settings):
    settings.CACHES = {"default": BACKENDS[request.param]}
    cache.clear()
    yield
    cache.clear()


def test_rate_window_ends_after_its_own_length(settings):
    settings.TEST_RATE_MAX_REQUESTS, settings.TEST_RATE_WINDOW_SECONDS = 3, 60
    throttle = Throttle("test")
    with time_machine.travel(START, tick=False) as traveller:
        assert all(throttle.rate_allowed("c") for _ in range(3))
        assert not throttle.rate_allowed("c")
        traveller.shift(timedelta(seconds=61))
        assert throttle.rate_allowed("c"), "a 60 s window must be over after 61 s"


def test_rate_window_does_not_stretch_with_steady_calls(settings):
    settings.TEST_RATE_MAX_REQUESTS, settings.TEST_RATE_WINDOW_SECONDS = 3, 60
    throttle = Throttle("test")
    with time_machine.travel(START, tick=False) as traveller:
        for _ in range(10):  # one call every 50 s is far below 3 per minute
            assert throttle.rate_allowed("c")
            traveller.shift(timedelta(seconds=50))


def test_lockout_window_keeps_failures_for_its_whole_length(settings, django_user_model):
    settings.TEST_LOCKOUT_THRESHOLD, settings.TEST_LOCKOUT_WINDOW_SECONDS = 3, 900
    user = django_user_model.objects.create_user("cible")
    throttle = Throttle("test")
    with time_machine.travel(START, tick=False) as traveller:
        assert not throttle.register_failure(user)
        traveller.shift(timedelta(seconds=400))  # longer than the cache's default 300 s
        assert not throttle.register_failure(user)
        traveller.shift(timedelta(seconds=400))
        assert throttle.register_failure(user), "3 failures within 900 s lock the account"
        assert throttle.is_locked(user)


def test_window_starts_at_first_hit_and_expires(settings):
    settings.TEST_IP_MAX_ATTEMPTS, settings.TEST_IP_WINDOW_SECONDS = 2, 600
    throttle = Throttle("test")
    with time_machine.travel(START, tick=False) as traveller:
        throttle.register_ip_failure("192.0.2.1")
        traveller.shift(timedelta(seconds=500))
        throttle.register_ip_failure("192.0.2.1")
        assert not throttle.ip_failures_allowed("192.0.2.1")
        traveller.shift(timedelta(seconds=101))
        assert throttle.ip_failures_allowed("192.0.2.1"), "the window opened at the first failure, 601 s ago"


def test_counts_are_exact_within_a_window(settings):
    settings.TEST_RATE_MAX_REQUESTS, settings.TEST_RATE_WINDOW_SECONDS = 5, 60
    throttle = Throttle("test")
    with time_machine.travel(START, tick=False):
        assert [throttle.rate_allowed("c") for _ in range(7)] == [True] * 5 + [False] * 2
        assert cache.get("test:rate:c") == 7 and cache.get("test:rate:c:fin") == START.timestamp() + 60
        assert throttle.rate_allowed("other")
