"""The production cache (REDIS_URL): Django's Redis cache, one client per server made once (core.cache)."""

import os
import subprocess
import sys
import threading

import pytest
from django.core.cache import caches

URL = "redis://127.0.0.1:6379/8"


@pytest.fixture
def redis_cache(settings):
    import redis

    try:
        redis.Redis.from_url(URL, socket_connect_timeout=1).flushdb()
    except redis.RedisError:
        pytest.skip("Redis ne répond pas sur 127.0.0.1:6379")
    settings.CACHES = {"default": {"BACKEND": "trajectoire.core.cache.RedisCache", "LOCATION": URL}}
    return caches["default"]


def test_the_settings_use_it_when_redis_is_configured():
    code = "from config.settings import base; print(base.CACHES['default']['BACKEND'])"
    env = {**os.environ, "REDIS_URL": URL}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "trajectoire.core.cache.RedisCache"


def test_every_operation_works_with_one_client_made_once(redis_cache):
    client = redis_cache._cache.get_client()
    assert redis_cache._cache.get_client(write=True) is client
    redis_cache.set("a", {"x": 1}, 30)
    assert redis_cache.get("a") == {"x": 1}
    assert redis_cache.add("a", 2) is False and redis_cache.add("b", 2) is True
    assert redis_cache.get_many(["a", "b", "c"]) == {"a": {"x": 1}, "b": 2}
    assert redis_cache.get_or_set("c", lambda: 3, 30) == 3
    assert redis_cache.incr("b") == 3
    redis_cache.delete_many(["a", "b"])
    assert redis_cache.get("a") is None and redis_cache.get("c") == 3
    assert redis_cache._cache.get_client() is client


def test_threads_share_the_client(redis_cache):
    """gunicorn's threads: each command takes its own connection from the pool."""
    errors = []

    def work(n):
        try:
            for i in range(50):
                redis_cache.set(f"t{n}:{i}", i, 30)
                assert redis_cache.get(f"t{n}:{i}") == i
        except Exception as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len({id(redis_cache._cache.get_client()) for _ in range(3)}) == 1
