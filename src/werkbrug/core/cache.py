"""Django's Redis cache, reusing one client object per connection pool.

Django's `RedisCacheClient.get_client()` builds a new `redis.Redis` for every cache call; its
constructor fills a table of several hundred response callbacks each time, which cost more than
the network round trip itself on the session and principal reads of every request. A `redis.Redis`
is safe to share between threads (its pool hands out connections), so one per pool suffices.
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class ReusingRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(connection_pool=self._get_connection_pool(write))
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
