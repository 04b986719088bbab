"""`omnicase local --demo` plays the samples of events/<channel>/ and tells a readable story of each: the message,
the case it made and the acknowledgement. The functions' JSON log lines go to a file, not to the terminal."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.e2e.conftest import REPO, run_local

pytestmark = pytest.mark.e2e
CHANNELS = {"email": "*.eml", "sms": "*.form", "chat": "*.json", "wechat": "*.xml"}


def test_the_demo_tells_each_message_its_case_and_acknowledgement_and_keeps_json_logs_in_a_file(tmp_path: Path):
    samples = [
        path for channel, pattern in CHANNELS.items() for path in sorted((REPO / "events" / channel).glob(pattern))
    ]
    with run_local("--demo", "--log-dir", str(tmp_path), ready_mark="demo done:") as stack:
        stack.wait_for(lambda: any(line.startswith("open the console at ") for line in stack.output))
        output = list(stack.output)

    # The terminal (stdout and stderr) holds the story: no JSON line, no warning
    assert [line for line in output if line.lstrip().startswith("{")] == []
    assert [line for line in output if "Warning" in line or " WARNING " in line] == []
    told = [line for line in output if line[:3].strip().rstrip(".").isdigit()]
    assert [line.split("(")[-1].rstrip(")") for line in told] == [path.name for path in samples]
    assert told[0].startswith(" 1. email from Ann Example <ann@example.com>")
    story = "\n".join(output)
    assert "-> new case " in story and "next SLA deadline" in story
    assert "-> acknowledgement by email to ann@example.com" in story
    assert '"你好，我的订单100-2231还没到，请帮忙查一下。"' in story  # the SMS as omnicase stored it
    assert "-> acknowledgement by wechat to " in story  # a WeChat send names no case: found by its recipient
    assert any(line.startswith(f"demo done: {len(samples)} messages -> ") for line in output)
    (closing,) = [line for line in output if line.startswith("open the console at ")]
    assert "/console/" in closing and "li.na / Acme-agent-2026" in closing

    # And the functions' JSON lines are in this run's log file, each one a JSON document
    (log_file,) = tmp_path.glob("*-functions.jsonl")
    documents = [json.loads(line) for line in log_file.read_text(encoding="utf-8").splitlines()]
    assert "mail stored" in [d.get("message") for d in documents]
    assert any("_aws" in d for d in documents)  # EMF metrics, as CloudWatch would get them
    assert next(tmp_path.glob("*-runtime.log")).read_text(encoding="utf-8")
