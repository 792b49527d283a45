"""Django's Redis cache with one `redis.Redis` client per server, made once per process.

Django's RedisCacheClient.get_client() makes a new `redis.Redis` for every operation (on a shared connection
pool); redis-py's constructor fills its table of response callbacks, ≈ 70 µs of CPU, as much as the command
itself (docs/performance.md, eighth pass). A `redis.Redis` is safe to share between threads: each command takes
a connection from the pool (redis-py's documentation, "Thread safety"), which is what Django's own clients
already share.
"""

from django.core.cache.backends import redis as django_redis


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)  # Django's: made once per server, kept in self._pools
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients.setdefault(id(pool), self._client(connection_pool=pool))
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
