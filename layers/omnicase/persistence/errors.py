"""Map DynamoDB client failures to domain exceptions, once."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from pynamodb.exceptions import TransactWriteError

from omnicase.domain.errors import ConcurrentUpdate, DuplicateDelivery

_TRANSIENT_REASONS = {"TransactionConflict", "ThrottlingError", "ProvisionedThroughputExceeded"}


@contextmanager
def transaction_errors(dedupe_positions: set[int]) -> Iterator[None]:
    """A failed condition on a redelivery marker (positions filled in while the transaction is built) is a
    duplicate; any other failed condition is a lost race."""
    try:
        yield
    except TransactWriteError as error:
        reasons = error.cancellation_reasons or []
        codes = {r.code for r in reasons if r is not None}
        failed = {i for i, r in enumerate(reasons) if r is not None and r.code == "ConditionalCheckFailed"}
        if failed & dedupe_positions:
            raise DuplicateDelivery(str(error)) from error
        # DynamoDB cancels a transaction that met another one on an item, or that was throttled, with these
        # reasons (botocore does not retry a cancelled transaction): nothing was written, so re-read and retry.
        if failed or codes & _TRANSIENT_REASONS or error.cause_response_code == "TransactionConflict":
            raise ConcurrentUpdate(str(error)) from error
        raise
