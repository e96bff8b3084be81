"""The Redis cache backend that reuses its client (production sessions and the principal cache)."""

import socket

import pytest

from werkbrug.core.cache import RedisCache


def _redis_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


pytestmark = pytest.mark.skipif(not _redis_up(), reason="no Redis server at 127.0.0.1:6379")


def test_one_client_per_pool_and_the_cache_still_works():
    cache = RedisCache("redis://127.0.0.1:6379/14", {"KEY_PREFIX": "werkbrug-test"})
    assert cache._cache.get_client() is cache._cache.get_client()
    assert cache._cache.get_client(write=True) is cache._cache.get_client(write=False)  # one server
    cache.set("answer", {"value": 42}, 30)
    assert cache.get("answer") == {"value": 42}
    cache.delete_many(["answer"])
    assert cache.get("answer") is None
