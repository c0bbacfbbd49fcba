"""Django's Redis cache backend, sharing one Redis client per connection pool.

Django's backend builds a new ``redis.Redis`` object for every cache call, and
redis-py fills a table of about 170 reply handlers in that constructor. A
``redis.Redis`` object holds no connection of its own (each command borrows
one from the pool), so one per pool can serve every thread.

It also skips the key checks Django makes for memcached (length and
characters, one character at a time): Redis takes any key, and a cached page
checks the versions of up to a few dozen keys on every hit.
"""

from django.core.cache.backends import redis as django_redis


class SharedClientRedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SharedClientRedisCacheClient

    def validate_key(self, key):
        pass
