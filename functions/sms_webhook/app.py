"""SMS webhooks: Twilio (form-encoded, X-Twilio-Signature) and SNS HTTPS deliveries of two-way SMS."""

from __future__ import annotations

from chalice import Response

from omnicase.api.edge import edge_app
from omnicase.api.errors import http_errors
from omnicase.api.webhook_request import signed_request
from omnicase.channels.sms.intake import EMPTY_TWIML
from omnicase.observability import metrics_namespace
from omnicase.wiring import sms_intake, sns_endpoint, twilio_status_callbacks

app = edge_app("omnicase-sms-webhook")  # every request passes the edge's guards (omnicase.api.edge)


@app.route("/webhooks/sms/twilio", methods=["POST"], content_types=["application/x-www-form-urlencoded"])
@http_errors
def twilio_sms() -> Response:
    """An inbound SMS/MMS from Twilio; answered with empty TwiML (replies go out through the outbox)."""
    sms_intake().receive_twilio(signed_request(app.current_request))
    return Response(body=EMPTY_TWIML, status_code=200, headers={"Content-Type": "text/xml"})


@app.route("/webhooks/sms/twilio/status", methods=["POST"], content_types=["application/x-www-form-urlencoded"])
@http_errors
def twilio_status() -> Response:
    """Twilio's status callback on one of our SMS: delivered / undelivered / failed recorded once, in order."""
    try:
        outcome = twilio_status_callbacks().receive(signed_request(app.current_request))
    except Exception as refused:
        _count_status_callback(getattr(refused, "reason", None) or "error")
        raise
    _count_status_callback(outcome.result)
    return Response(body=EMPTY_TWIML, status_code=200, headers={"Content-Type": "text/xml"})


def _count_status_callback(result: str) -> None:
    """TwilioStatusCallbacks by result: recorded / unchanged / ignored, or why one was refused (bad-signature, …)."""
    from aws_lambda_powertools.metrics import MetricUnit, single_metric

    with single_metric(
        name="TwilioStatusCallbacks", unit=MetricUnit.Count, value=1, namespace=metrics_namespace()
    ) as metric:
        metric.add_dimension(name="result", value=result)


@app.route("/webhooks/sms/sns", methods=["POST"], content_types=["text/plain", "application/json"])
@http_errors
def sns_sms() -> Response:
    """An SNS HTTPS delivery: signature verified first; subscriptions confirmed only after that."""
    outcome = sns_endpoint().receive(app.current_request.raw_body)
    return Response(body={"result": outcome}, status_code=200)
