"""The agent API's per-token rate limit on moto: the request over the limit is a 429 with Retry-After."""

from __future__ import annotations

import pytest
from chalice.test import Client

from omnicase.api import rate_limit
from omnicase.persistence import keys
from omnicase.persistence.dynamo_models import RateWindowItem
from omnicase.persistence.tenant_store import hash_token
from tests.integration.conftest import TOKEN
from tests.integration.test_read_api import get

WINDOW_START = 1_700_000_040  # a multiple of 60: windows are aligned to the minute
NOW = WINDOW_START + 45.5


def cases(stack, token: str = TOKEN):
    with Client(stack.handler("api")) as client:
        return client.http.get("/cases", headers={"Authorization": f"Bearer {token}"})


@pytest.fixture
def clock(monkeypatch, stack):
    monkeypatch.setenv("API_RATE_LIMIT_PER_MINUTE", "3")
    now = [NOW]
    # A fixed clock keeps all requests in one window, however slow the machine is.
    monkeypatch.setattr(rate_limit, "_clock", lambda: now[0])
    return now


def test_the_request_over_the_limit_is_a_429_with_retry_after_and_other_tokens_go_on(stack, clock):
    assert [cases(stack).status_code for _ in range(3)] == [200, 200, 200]

    refused = cases(stack)
    assert refused.status_code == 429 and refused.json_body["Code"] == "TooManyRequests"
    assert "more than 3 requests a minute" in refused.json_body["Message"]
    retry_after = int(refused.headers["Retry-After"])
    assert 1 <= retry_after <= 60 and retry_after == 15  # until the window ends, 14.5 s after NOW, rounded up
    assert cases(stack, "globex-token").status_code == 200  # each token has its own counter

    counter = RateWindowItem.get(*keys.rate_window_key("acme", hash_token(TOKEN), WINDOW_START))
    assert counter.request_count == 3  # refused requests are not counted
    assert counter.expires_at.timestamp() > WINDOW_START + 60  # DynamoDB's TTL drops it after the window

    clock[0] = WINDOW_START + 60  # the next window
    assert cases(stack).status_code == 200


def test_unknown_tokens_are_401_and_create_no_counter(stack, clock):
    assert get(stack, "/cases", token="nobody-has-this")[0] == 401
    assert list(RateWindowItem.scan()) == []


def test_every_authenticated_route_is_limited(stack, clock):
    for path in ("/cases", "/queues/general", "/cases/C-NOPE"):
        get(stack, path)
    assert get(stack, "/customers/whoever")[0] == 429


def test_a_failing_limiter_does_not_block_the_api(stack, clock, monkeypatch):
    from pynamodb.exceptions import UpdateError

    def unavailable(self, actions, condition=None):
        raise UpdateError("ProvisionedThroughputExceededException", cause=None)

    monkeypatch.setattr(RateWindowItem, "update", unavailable)
    assert [cases(stack).status_code for _ in range(5)] == [200] * 5
