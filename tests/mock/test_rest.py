"""The REST mock: the spec's answers, and the spec's errors for requests that break it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from instamrkt_docs.mock import MockLog, running
from instamrkt_docs.verify import MOCK_KEY
from tests.conftest import SPEC

AUTH = {"Authorization": f"Bearer {MOCK_KEY}"}
STANDARD = {"Authorization": "Bearer imk_test_std000000000000000000000"}
POOL = "/v1/pools/pol_9Lm3kW7qRt2YvB6s"
BET = {"outcomeId": "out_3Kd8Wm2Qx7Lp5Rn9", "stake": 2500, "playerRef": "player-1"}


@pytest.fixture(scope="module")
def mock() -> Iterator[tuple[str, MockLog]]:
    with running([SPEC]) as (url, log):
        yield url, log


def error(response: requests.Response) -> tuple[int, str]:
    return response.status_code, response.json()["error"]["code"]


def test_a_valid_request_gets_the_example_of_its_success_response(mock) -> None:
    url, _ = mock
    response = requests.post(f"{url}{POOL}/bets", json=BET, headers=AUTH)
    assert response.status_code == 201
    assert response.json()["id"] == "bet_4Tn8Qw2Lz6Xk9Hv5"
    assert response.headers["RateLimit-Limit"] == "600"
    assert response.headers["X-Request-Id"].startswith("req_")


def test_authentication_as_the_security_scheme_says(mock) -> None:
    url, _ = mock
    assert error(requests.get(f"{url}{POOL}")) == (401, "unauthenticated")
    assert error(requests.get(f"{url}{POOL}", headers={"Authorization": "Bearer nope"})) == (
        401,
        "invalid_api_key",
    )
    assert (
        requests.post(
            f"{url}/v1/providers", json={"name": "a", "contactEmail": "a@b.co"}
        ).status_code
        == 201
    )
    assert error(requests.get(f"{url}/v1/api-keys", headers=STANDARD)) == (
        403,
        "admin_key_required",
    )
    assert requests.get(f"{url}{POOL}", headers=STANDARD).status_code == 200


def test_invalid_parameters_and_bodies_get_400_with_the_place_of_each_problem(mock) -> None:
    url, _ = mock
    response = requests.post(
        f"{url}{POOL}/bets", json={**BET, "stake": "many", "extra": 1}, headers=AUTH
    )
    assert error(response) == (400, "invalid_request")
    fields = {d["field"] for d in response.json()["error"]["details"]}
    assert fields == {"/stake", "/extra"}
    response = requests.get(f"{url}/v1/pools/not-a-pool-id", headers=AUTH)
    assert error(response) == (400, "invalid_request")
    assert response.json()["error"]["details"][0]["field"] == "poolId"
    response = requests.post(
        f"{url}{POOL}/bets", data=b"{oops", headers={**AUTH, "Content-Type": "application/json"}
    )
    assert error(response) == (400, "invalid_request")
    assert "not valid JSON" in response.json()["error"]["message"]


def test_unknown_paths_and_methods_in_the_error_model(mock) -> None:
    url, _ = mock
    assert error(requests.get(f"{url}/v1/nothing", headers=AUTH)) == (404, "not_found")
    response = requests.delete(f"{url}{POOL}", headers=AUTH)
    assert error(response) == (405, "method_not_allowed")
    assert response.headers["Allow"] == "GET"


def test_prefer_picks_another_documented_response(mock) -> None:
    url, _ = mock
    blocked = requests.post(
        f"{url}{POOL}/bets", json=BET, headers={**AUTH, "Prefer": "example=poolBlocked"}
    )
    assert error(blocked) == (409, "pool_blocked")
    closed = requests.post(
        f"{url}{POOL}/bets", json=BET, headers={**AUTH, "Prefer": "code=409, example=poolClosed"}
    )
    assert error(closed) == (409, "pool_closed")
    first_409 = requests.post(f"{url}{POOL}/bets", json=BET, headers={**AUTH, "Prefer": "code=409"})
    assert error(first_409) == (409, "pool_blocked")
    nothing = requests.post(f"{url}{POOL}/bets", json=BET, headers={**AUTH, "Prefer": "code=418"})
    assert nothing.status_code == 400


def test_each_request_is_logged_on_one_line(mock) -> None:
    url, log = mock
    requests.get(f"{url}/__run/t1{POOL}", headers=AUTH)
    (entry,) = log.for_run("t1")
    assert entry.operation == "getPool" and entry.status == "200"
    assert entry.line().startswith(f"[t1] http       GET {POOL}  200  ")


def test_an_example_that_breaks_its_schema_is_said_loudly(tmp_path, capsys) -> None:
    import shutil

    spec = tmp_path / "spec"
    shutil.copytree(SPEC, spec)
    openapi = spec / "openapi.yaml"
    text = openapi.read_text().replace(
        "        betCount: 12\n        blockedReason: null",
        "        betCount: -12\n        blockedReason: null",
        1,
    )
    openapi.write_text(text)
    with running([spec / "openapi.yaml"]) as (url, _):
        response = requests.get(f"{url}{POOL}", headers=AUTH)
    assert response.headers["X-Mock-Warning"] == "the example does not fit the spec"
    assert "MOCK WARNING: getPool: the 200 example does not fit the spec" in capsys.readouterr().err
