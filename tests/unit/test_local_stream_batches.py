"""The local runtime hands stream records to functions in batches, as Lambda's poller does."""

from __future__ import annotations

from types import SimpleNamespace

from omnicase_local import streams


def _mapping(batch_size: int) -> SimpleNamespace:
    return SimpleNamespace(batch_size=batch_size, max_retry_attempts=1, destination_config=None)


def test_records_are_grouped_per_mapping_in_stream_order_and_cut_at_its_batch_size():
    outbox, timers = _mapping(2), _mapping(10)
    entries = [
        (outbox, {"n": 1}, {"function": "send"}),
        (timers, {"n": 2}, {"function": "timers"}),
        (outbox, {"n": 3}, {"function": "send"}),
        (outbox, {"n": 4}, {"function": "send"}),
        (timers, {"n": 5}, {"function": "timers"}),
    ]

    batches = [(fn, [r["n"] for r in records]) for _, fn, records in streams._batches(entries)]

    assert batches == [("send", [1, 3]), ("send", [4]), ("timers", [2, 5])]


def test_a_failing_batch_is_retried_record_by_record_so_only_the_bad_one_is_given_up(monkeypatch):
    given_up: list[int] = []
    monkeypatch.setattr(streams, "_on_failure", lambda mapping, record, fn: given_up.append(record["n"]))
    calls: list[list[int]] = []

    def invoke(function_arn, event):
        numbers = [r["n"] for r in event["Records"]]
        calls.append(numbers)
        if 2 in numbers:
            raise RuntimeError("record 2 is poison")
        return {"batchItemFailures": []}

    streams._deliver_batch(invoke, _mapping(10), [{"n": 1}, {"n": 2}, {"n": 3}], "send")

    assert calls[0] == [1, 2, 3]  # one invocation for the batch first
    assert calls[1:] == [[1], [2], [2], [3]]  # then each on its own; 2 fails its retry too
    assert given_up == [2]
