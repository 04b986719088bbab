"""The cost estimate prices what the load bench counted: the change feed's pipe, bus and queues included."""

from bench.cost import PRICES, estimate


def a_load(bus_events: float, queue_messages: float, queue_batches: float) -> dict:
    """A load bench result of 2,000 deliveries opening 1,000 cases, with one consumer and the feed's counts."""
    return {
        "messages": 2000,
        "cases_opened": 1000,
        "handlers": {"SendOutboundFunction": {"calls": 1000, "mean_ms": 10.0}},
        "request_units_per_message": {},
        "requests_per_message": {},
        "channels": {"email": 2000},
        "log_bytes_per_message": 1000.0,
        "census": {},
        "email_bytes_mean": 2000.0,
        "change_feed_per_message": {
            "bus_events": bus_events,
            "queue_messages": queue_messages,
            "queue_batches": queue_batches,
        },
    }


def feed_lines(load: dict) -> dict[str, tuple[float, float]]:
    lines, _, _ = estimate(load)
    return {
        line.service: (line.quantity, line.cost)
        for line in lines
        if "EventBridge" in line.service or "SQS" in line.service
    }


def test_each_change_on_the_bus_is_a_pipe_request_and_a_custom_event_and_each_queue_message_a_send():
    # Given 3 changes per delivery past the pipe's filter, rules copying them into queues as 4 messages in 1 batch
    lines = feed_lines(a_load(3.0, 4.0, 1.0))

    # Then per 1,000 cases (2,000 deliveries): 6,000 pipe requests and bus events; SQS sends 8,000 messages and
    # receives and deletes 2,000 batches (one ReceiveMessage and one DeleteMessageBatch each)
    assert lines["EventBridge Pipes (changes past filter)"] == (6000, 6000 * PRICES["pipes_request"])
    assert lines["EventBridge custom events (change bus)"] == (6000, 6000 * PRICES["events_custom"])
    assert lines["SQS requests (consumer queues)"] == (12000, 12000 * PRICES["sqs_request"])


def test_bigger_batches_cost_fewer_sqs_requests_for_the_same_messages():
    one_by_one = feed_lines(a_load(3.0, 4.0, 4.0))["SQS requests (consumer queues)"]
    batched = feed_lines(a_load(3.0, 4.0, 0.4))["SQS requests (consumer queues)"]
    assert batched[1] < one_by_one[1] and one_by_one[0] == 2000 * (4.0 + 2 * 4.0)
