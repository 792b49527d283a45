"""The benches' Redis: a database number of their own on 127.0.0.1:6379, as production's `REDIS_URL` cache.

`answers(url)`: a server answers there (else the benches keep the database cache); `flush(url)`: empty that
database only, before (and for the FHIR bench, after) a run.
"""

from __future__ import annotations


def answers(url: str) -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except Exception:  # no server, refused, timeout, no client library: the database cache then
        return False


def flush(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()  # this database number only
