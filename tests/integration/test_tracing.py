"""Powertools Tracer on every function: run as inside Lambda (LAMBDA_TASK_ROOT, a trace header, an X-Ray daemon
address), a handler sends its `## handler` subsegment to the daemon, and every handler of the template is traced."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

from omnicase_local.sam_template import read_sam_template

ROOT = Path(__file__).resolve().parents[2]
INVOKE = """
import importlib.util, json, sys
from omnicase.api.edge import TracedChalice

def load(folder, attribute):
    spec = importlib.util.spec_from_file_location(f"handler_{folder.replace('/', '_')}", f"{folder}/app.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return getattr(module, attribute)

untraced, loaded = [], {}
for folder, attribute in json.loads(sys.argv[1]):
    handler = loaded[folder] = load(folder, attribute)
    if not (isinstance(handler, TracedChalice) or getattr(handler, "omnicase_traced", False)):
        untraced.append(folder)
print(json.dumps(untraced))

api = loaded["functions/api"]
event = {"resource": "/openapi.json", "path": "/openapi.json", "httpMethod": "GET", "headers": {},
         "multiValueHeaders": {}, "queryStringParameters": None, "multiValueQueryStringParameters": None,
         "pathParameters": None, "stageVariables": None, "body": None, "isBase64Encoded": False,
         "requestContext": {"resourcePath": "/openapi.json", "httpMethod": "GET", "path": "/Prod/openapi.json"}}
class Context:
    function_name, memory_limit_in_mb, aws_request_id = "api", 512, "req-1"
    invoked_function_arn = "arn:aws:lambda:eu-west-1:123456789012:function:api"
print(api(event, Context())["statusCode"])
"""


def test_every_handler_is_traced_and_a_call_reaches_the_xray_daemon():
    daemon = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    daemon.bind(("127.0.0.1", 0))
    daemon.settimeout(10)
    handlers = [
        (f.code_dir.relative_to(ROOT).as_posix(), f.handler.rpartition(".")[2])
        for f in read_sam_template(ROOT / "template.yaml").functions.values()
    ]
    env = {
        **os.environ,
        "LAMBDA_TASK_ROOT": str(ROOT),  # inside Lambda: Powertools' Tracer is on
        "AWS_LAMBDA_FUNCTION_NAME": "api",
        "_X_AMZN_TRACE_ID": "Root=1-67891233-abcdef012345678912345678;Parent=53995c3f42cd8ad8;Sampled=1",
        "AWS_XRAY_DAEMON_ADDRESS": f"127.0.0.1:{daemon.getsockname()[1]}",
        "TABLE_NAME": "traced",
        "MAIL_BUCKET": "traced",
        "AWS_DEFAULT_REGION": "eu-west-1",
    }
    done = subprocess.run(
        [sys.executable, "-c", INVOKE, json.dumps(handlers)], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    untraced, status = done.stdout.strip().splitlines()[-2:]
    assert len(handlers) >= 16 and json.loads(untraced) == []
    assert status == "200"
    segments = []
    while not any(s.get("name") == "## handler" for s in segments):
        _header, _, body = daemon.recv(65536).decode().partition("\n")
        segments.append(json.loads(body))
    handler_segment = next(s for s in segments if s.get("name") == "## handler")
    assert handler_segment["annotations"]["ColdStart"] is True
    assert "metadata" not in handler_segment or "response" not in json.dumps(handler_segment["metadata"])
    daemon.close()
