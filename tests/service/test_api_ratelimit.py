"""The per-key rate limit: 429 ``rate_limited`` with Retry-After, per key, off at 0."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from service.api.ratelimit import (
    MemoryRateLimiter,
    NoRateLimit,
    RedisRateLimiter,
    make_rate_limiter,
    redis_client,
)
from service.settings import Settings

API = "/api/v1"


@pytest.fixture
def limited(api_helpers: Any, tmp_path: Path) -> Iterator[Any]:
    settings = Settings(data_dir=tmp_path / "data", rate_limit_per_minute=3)
    with api_helpers.harness(settings, runner=api_helpers.RecordingRunner()) as harness:
        harness.org = api_helpers.org(harness.database, roles=("admin", "viewer"))
        yield harness


def test_a_key_over_its_limit_gets_429_with_retry_after(limited: Any) -> None:
    client, viewer, admin = limited.client, limited.org["viewer"], limited.org["admin"]
    for _ in range(3):
        assert client.get(f"{API}/me", headers=viewer.headers).status_code == 200
    refused = client.get(f"{API}/contracts", headers=viewer.headers)
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "rate_limited"
    assert 1 <= int(refused.headers["retry-after"]) <= 20  # one request's worth: 60 s / 3
    # Another key has its own allowance; /health and bad keys are not counted against it.
    assert client.get(f"{API}/me", headers=admin.headers).status_code == 200
    assert client.get("/health").status_code == 200
    assert client.get(f"{API}/me", headers={"Authorization": "Bearer nope"}).status_code == 401


def test_the_bucket_refills_over_the_minute() -> None:
    now = [1000.0]
    limiter = MemoryRateLimiter(2, clock=lambda: now[0])
    assert limiter.hit("k").allowed and limiter.hit("k").allowed
    third = limiter.hit("k")
    assert not third.allowed and third.retry_after == 30
    assert limiter.hit("other").allowed
    now[0] += 30
    assert limiter.hit("k").allowed
    assert not limiter.hit("k").allowed
    now[0] += 600  # idle buckets are dropped, and come back full
    assert limiter.hit("k").allowed and limiter.hit("k").allowed
    assert "other" not in limiter._buckets


def test_the_limiter_follows_the_settings(tmp_path: Path) -> None:
    assert isinstance(make_rate_limiter(Settings(rate_limit_per_minute=0)), NoRateLimit)
    assert isinstance(make_rate_limiter(Settings()), MemoryRateLimiter)
    shared = make_rate_limiter(Settings(runner="celery"))
    assert isinstance(shared, RedisRateLimiter), "several API processes share Redis's count"
    with pytest.raises(ValueError):
        MemoryRateLimiter(0)


def test_the_redis_limiter_counts_per_key_and_minute(redis_url: str) -> None:
    import redis

    client = redis.Redis.from_url(redis_url)
    namespace = "payerlens-test-" + secrets.token_hex(4)
    now = [60.0 * 1_000_000 + 10]
    limiter = RedisRateLimiter(client, 2, namespace, clock=lambda: now[0])
    try:
        assert limiter.hit("k").allowed and limiter.hit("k").allowed
        third = limiter.hit("k")
        assert not third.allowed and third.retry_after == 50
        assert limiter.hit("other").allowed
        ttl = client.ttl(f"{namespace}:ratelimit:k:{int(now[0] // 60)}")
        assert 0 < ttl <= 61, "the window's counter expires"
        now[0] += 50  # the next minute
        assert limiter.hit("k").allowed
    finally:
        for key in client.scan_iter(match=f"{namespace}:*"):
            client.delete(key)
        client.close()


def test_the_redis_limiter_lets_requests_through_when_redis_is_down(
    caplog: pytest.LogCaptureFixture,
) -> None:
    now = [1000.0]
    client = redis_client("redis://127.0.0.1:1/0")  # nothing listens there
    calls = []
    pipeline = client.pipeline
    client.pipeline = lambda: calls.append(1) or pipeline()  # type: ignore[method-assign]
    limiter = RedisRateLimiter(client, 1, "x", clock=lambda: now[0], pause_seconds=5)
    assert limiter.hit("k").allowed and "Redis unavailable" in caplog.text
    assert limiter.hit("k").allowed and len(calls) == 1, "Redis is left alone for a while"
    now[0] += 6
    assert limiter.hit("k").allowed and len(calls) == 2
