"""An invocation that records no metric publishes nothing and warns nothing (Powertools warned on every such call:
each stream batch with nothing for its function printed "No application metrics to publish")."""

from __future__ import annotations

import json
import warnings

import pytest


def _handler(metric: str | None):
    from omnicase.observability import handler_metrics

    metrics = handler_metrics("send_outbound")

    @metrics.log_metrics
    def handler(event, context):
        if metric:
            metrics.add_metric(name=metric, unit="Count", value=1)
        return "done"

    return handler


def test_an_invocation_without_metrics_prints_and_warns_nothing(capsys):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert _handler(None)({}, None) == "done"
    assert [str(w.message) for w in caught] == []
    assert capsys.readouterr().out == ""


def test_an_invocation_with_a_metric_still_publishes_it(capsys):
    assert _handler("OutboundSent")({}, None) == "done"
    (emitted,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert emitted["OutboundSent"] == [1.0] and emitted["service"] == "send_outbound"


def test_a_function_that_must_always_publish_still_fails_when_it_did_not():
    from aws_lambda_powertools.metrics.exceptions import SchemaValidationError

    from omnicase.observability import handler_metrics

    with pytest.raises(SchemaValidationError):
        handler_metrics("ingest_email").flush_metrics(raise_on_empty_metrics=True)
