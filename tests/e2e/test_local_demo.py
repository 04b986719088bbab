"""`omnicase local --demo` plays events/email/*.eml over SMTP and reports the cases and the outbox."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.conftest import REPO, run_local

pytestmark = pytest.mark.e2e


@pytest.mark.skipif(not list((REPO / "events" / "email").glob("*.eml")), reason="no demo mails in events/email")
def test_demo_turns_every_sample_mail_into_a_case_and_lists_the_outbox():
    samples = sorted(Path(REPO / "events" / "email").glob("*.eml"))
    with run_local("--demo", ready_mark="demo outbox:") as stack:
        sent = [line for line in stack.output if line.startswith("demo sent email")]
        assert [line.split()[3].rstrip(":") for line in sent] == [p.name for p in samples]
        listed = stack.output[stack.output.index("demo cases:") + 1 :]
        assert any(line.startswith("  ") and " msg " in line for line in listed)
