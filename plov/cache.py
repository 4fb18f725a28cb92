"""The shared cache on Redis: Django's backend, keeping one client per connection pool.

Django's `RedisCacheClient.get_client` builds a new `redis.Redis` for every cache call, and
redis-py fills a dict of some 170 response callbacks for each one: about 0.3 ms a call, more
than the call itself takes on a local Redis. The address suggestions make two calls per
keystroke. A `redis.Redis` is thread-safe and stateless beyond its pool, so one per pool does.
"""

from __future__ import annotations

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient


class RedisCacheClient(DjangoRedisCacheClient):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient
