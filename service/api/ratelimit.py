"""Requests per API key per minute (``settings.rate_limit_per_minute``; 0 turns it off).

Two limiters with one interface: ``MemoryRateLimiter`` (a token bucket per key, for the
embedded single-process setup) and ``RedisRateLimiter`` (a fixed one-minute window per key in
Redis, shared by every API process; used with the Celery runner, which needs Redis anyway).
Over the limit, the API answers 429 ``rate_limited`` with ``Retry-After`` in whole seconds.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from service.settings import Settings

log = logging.getLogger(__name__)

WINDOW_SECONDS = 60.0


@dataclass(frozen=True)
class Decision:
    allowed: bool
    retry_after: int = 0  # seconds, when not allowed


class RateLimiter(Protocol):
    def hit(self, key_id: str) -> Decision: ...


class NoRateLimit:
    def hit(self, key_id: str) -> Decision:
        return Decision(True)


class MemoryRateLimiter:
    """A token bucket per key: ``per_minute`` requests at once, refilled evenly over a minute.
    Buckets untouched for a minute are full again and are dropped."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        if per_minute <= 0:
            raise ValueError("per_minute must be positive")
        self.capacity = float(per_minute)
        self.rate = per_minute / WINDOW_SECONDS  # tokens per second
        self.clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}  # key -> (tokens, at)
        self._lock = threading.Lock()
        self._last_sweep = clock()

    def hit(self, key_id: str) -> Decision:
        now = self.clock()
        with self._lock:
            self._sweep(now)
            tokens, at = self._buckets.get(key_id, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - at) * self.rate)
            if tokens >= 1.0:
                self._buckets[key_id] = (tokens - 1.0, now)
                return Decision(True)
            self._buckets[key_id] = (tokens, now)
            return Decision(False, max(1, math.ceil((1.0 - tokens) / self.rate)))

    def _sweep(self, now: float) -> None:
        if now - self._last_sweep < WINDOW_SECONDS:
            return
        self._last_sweep = now
        stale = [k for k, (_, at) in self._buckets.items() if now - at >= WINDOW_SECONDS]
        for k in stale:
            del self._buckets[k]


class RedisRateLimiter:
    """A fixed window per key and minute: ``INCR`` then ``EXPIRE`` on the first hit. When Redis
    cannot be reached the request is let through (logged) and Redis is left alone for
    ``pause_seconds``: the limit protects the service, an outage of the limiter should not
    take it down or slow every request."""

    def __init__(
        self,
        client: Any,
        per_minute: int,
        namespace: str,
        clock: Callable[[], float] = time.time,
        pause_seconds: float = 5.0,
    ) -> None:
        self.client = client
        self.per_minute = per_minute
        self.namespace = namespace
        self.clock = clock
        self.pause_seconds = pause_seconds
        self._paused_until = 0.0

    def hit(self, key_id: str) -> Decision:
        now = self.clock()
        if now < self._paused_until:
            return Decision(True)
        window = int(now // WINDOW_SECONDS)
        name = f"{self.namespace}:ratelimit:{key_id}:{window}"
        try:
            pipe = self.client.pipeline()
            pipe.incr(name)
            pipe.expire(name, int(WINDOW_SECONDS) + 1, nx=True)
            count = int(pipe.execute()[0])
        except Exception as exc:
            self._paused_until = now + self.pause_seconds
            log.warning(
                "rate limiter: Redis unavailable (%s: %s); requests let through for %.0f s",
                type(exc).__name__,
                exc,
                self.pause_seconds,
            )
            return Decision(True)
        if count <= self.per_minute:
            return Decision(True)
        return Decision(False, max(1, math.ceil((window + 1) * WINDOW_SECONDS - now)))


def make_rate_limiter(settings: Settings) -> RateLimiter:
    if settings.rate_limit_per_minute <= 0:
        return NoRateLimit()
    if settings.runner == "celery":
        client = redis_client(settings.redis_url)
        return RedisRateLimiter(client, settings.rate_limit_per_minute, settings.queue)
    return MemoryRateLimiter(settings.rate_limit_per_minute)


def redis_client(url: str) -> Any:
    """A client that fails fast (no retries, half-second timeouts): a request waits at most
    about a second for the limiter when Redis is away."""
    import redis
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    return redis.Redis.from_url(
        url, socket_connect_timeout=0.5, socket_timeout=0.5, retry=Retry(NoBackoff(), 0)
    )
