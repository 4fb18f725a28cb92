"""plov.cache.RedisCache (production's shared cache) against the Redis server on the machine."""

from __future__ import annotations

import threading

from plov.cache import RedisCache
from tests.servers import REDIS_URL


def make_cache() -> RedisCache:
    return RedisCache(REDIS_URL, {"KEY_PREFIX": "plov-test-cache", "TIMEOUT": 60})


def test_one_client_serves_every_call_and_what_is_set_is_read():
    cache = make_cache()
    cache.set("answer", {"items": ["Solvej 4, 8000 Aarhus C"]})
    assert cache.get("answer") == {"items": ["Solvej 4, 8000 Aarhus C"]}
    client = cache._cache.get_client(write=True)
    assert cache._cache.get_client() is client
    assert cache.add("answer", "other") is False
    cache.delete("answer")
    assert cache.get("answer", "gone") == "gone"


def test_threads_sharing_the_client_each_read_their_own_values():
    cache = make_cache()
    errors = []

    def work(n: int) -> None:
        for i in range(200):
            cache.set(f"t{n}", (n, i))
            if cache.get(f"t{n}") != (n, i):
                errors.append((n, i))

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    cache.delete_many([f"t{n}" for n in range(8)])
