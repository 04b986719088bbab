"""Schemathesis fuzzes every operation of /openapi.json against `omnicase local`, then walks its links statefully.

The agent API is called with the demo tenant's bearer token and held to the whole contract: no 5xx, every status
documented, every body matching its schema and documented media type. Webhooks and the survey page are called
unsigned (Schemathesis cannot sign Twilio/WeChat/chat requests), so there they must only answer a documented status
below 500 — an unsigned delivery is a 4xx. Bounded: a fixed seed and a few examples per operation (under 2 minutes).
"""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

schemathesis = pytest.importorskip("schemathesis")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis.errors import Unsatisfiable  # noqa: E402
from schemathesis import GenerationMode  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.e2e.conftest import API_TOKEN, LocalStack, run_local  # noqa: E402

pytestmark = pytest.mark.e2e

AUTH = {"Authorization": f"Bearer {API_TOKEN}"}
FULL_CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
UNSIGNED_CHECKS = [not_a_server_error, status_code_conformance]
# Operations whose callers sign each request (or hold a one-off link): Schemathesis reaches them unsigned.
UNSIGNED_PREFIXES = ("/webhooks/", "/chat/", "/surveys/")
FUZZ_SETTINGS = settings(
    max_examples=12,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture(scope="module")
def fuzz_stack() -> Iterator[LocalStack]:
    """A stack of its own, so that fuzzed writes never reach the other e2e tests' demo data."""
    with run_local() as stack:
        yield stack


def checks_for(path: str) -> list:
    return UNSIGNED_CHECKS if path.startswith(UNSIGNED_PREFIXES) else FULL_CHECKS


def fuzz_operation(operation, mode: GenerationMode, base_url: str, statuses: Counter) -> None:
    @FUZZ_SETTINGS
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case) -> None:
        response = case.call_and_validate(base_url=base_url, headers=AUTH, checks=checks_for(case.path))
        statuses[response.status_code] += 1

    try:
        run()
    except Unsatisfiable:  # nothing to get wrong (GET /openapi.json takes no input): no negative case exists
        assert mode is GenerationMode.NEGATIVE


def test_every_operation_conforms_to_openapi(fuzz_stack: LocalStack) -> None:
    # Loaded and walked by hand: Schemathesis's `from_fixture` parametrization needs a pytest node attribute
    # that pytest 9 no longer has.
    schema = schemathesis.openapi.from_url(f"{fuzz_stack.http_url}/openapi.json", headers=AUTH)
    failures: list[str] = []
    statuses: Counter = Counter()
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                fuzz_operation(operation, mode, fuzz_stack.http_url, statuses)
            except (Exception, BaseExceptionGroup) as error:  # every operation's findings at once, not only the first
                failures.append(f"{operation.method.upper()} {operation.path} ({mode.value}):\n{error}")
    print(f"{operations} operations, responses by status: {dict(sorted(statuses.items()))}")
    assert operations >= 30, f"only {operations} operations in /openapi.json"
    assert not failures, "\n\n".join(failures)


def test_every_phase_of_schemathesis_run_passes(fuzz_stack: LocalStack) -> None:
    """`schemathesis run`: examples, coverage (boundaries, other HTTP methods), fuzzing and the stateful phase."""
    command = [
        *(str(Path(sys.executable).with_name("schemathesis")), "run", f"{fuzz_stack.http_url}/openapi.json"),
        *("--url", fuzz_stack.http_url, "-H", f"Authorization: Bearer {API_TOKEN}"),
        *(
            "--checks",
            "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance",
        ),
        *("--max-examples", "10", "--generation-deterministic", "--no-color"),
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=240, check=False)
    assert result.returncode == 0, result.stdout[-20000:] + result.stderr[-2000:]
